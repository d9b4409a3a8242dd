import { ActionError } from '../lib/errors.js'
import type { HelmVersion } from '../inputs/types.js'
import type { ExecResult, Runtime } from '../runner/runtime.js'
import { lastHelmError } from './failure.js'
import { installHelm } from './install.js'
import { parseHistory, type HistoryEntry } from './result.js'
import { isUnauthorized } from './unauthorized.js'
import { parseHelmVersion, type HelmVersionInfo } from './version.js'

/** A helm binary ready to run, the version it reported, and the environment it runs with. */
export interface HelmCli {
  readonly binary: string
  readonly version: HelmVersionInfo
  readonly env: Readonly<Record<string, string>>
  readonly runtime: Runtime
  readonly timeouts: HelmTimeouts
}

/**
 * helm waits for ever on an API server that accepts the connection and never answers (its client
 * has no request timeout), so every helm command has a deadline of ours.
 */
export interface HelmTimeouts {
  /** `helm version`, `history`, `status`, `get`: quick reads. */
  readonly queryMs: number
  /** What `helm upgrade` gets beyond its own --timeout (which bounds only its waits). */
  readonly upgradeGraceMs: number
}

export const DEFAULT_HELM_TIMEOUTS: HelmTimeouts = { queryMs: 60_000, upgradeGraceMs: 60_000 }

export interface HelmSetup {
  readonly helmVersion: HelmVersion
  readonly helmMirror: string
  readonly os: string
  readonly arch: string
}

/** Installs the requested helm (or takes the one on the PATH) and asks it its version. */
async function setUpHelm(
  setup: HelmSetup,
  env: Readonly<Record<string, string>>,
  runtime: Runtime,
  timeouts: HelmTimeouts = DEFAULT_HELM_TIMEOUTS,
): Promise<HelmCli> {
  const { helmVersion } = setup
  const binary =
    helmVersion.kind === 'system'
      ? 'helm'
      : (
          await installHelm(
            { version: helmVersion.version, mirror: setup.helmMirror, os: setup.os, arch: setup.arch },
            { runtime },
          )
        ).binary
  const version = await askVersion({ binary, env, runtime, timeouts }, helmVersion)
  if (helmVersion.kind === 'release' && version.text !== helmVersion.version) {
    throw new ActionError(
      `helm-version asks for ${helmVersion.version}, but the installed helm reports ${version.text}.`,
      { hint: 'The mirror serves another release under that name; fix the mirror (helm-mirror input).' },
    )
  }
  runtime.info(`Using helm ${version.text} (${binary})`)
  return { binary, version, env, runtime, timeouts }
}

/** setUpHelm in a log group of its own (`Set up helm v4.1.4`, or `from the PATH`). */
export function setUpHelmInGroup(
  setup: HelmSetup,
  env: Readonly<Record<string, string>>,
  runtime: Runtime,
  timeouts?: HelmTimeouts,
): Promise<HelmCli> {
  const label = setup.helmVersion.kind === 'system' ? 'from the PATH' : setup.helmVersion.version
  return runtime.group(`Set up helm ${label}`, () => setUpHelm(setup, env, runtime, timeouts))
}

async function askVersion(cli: Omit<HelmCli, 'version'>, helmVersion: HelmVersion): Promise<HelmVersionInfo> {
  const { binary } = cli
  const result = await queryHelm(cli, ['version', '--template', '{{.Version}}']).catch((error: unknown) => {
    if (error instanceof ActionError) throw error
    throw new ActionError(`Could not run ${binary}.`, {
      cause: error,
      hint:
        helmVersion.kind === 'system'
          ? '`helm-version: system` needs helm on the PATH: install it in an earlier step, or give a release such as v4.1.4.'
          : 'The installed helm does not run on this runner; check the helm-mirror archive.',
    })
  })
  const version = parseHelmVersion(result.stdout)
  if (result.exitCode !== 0 || version === undefined || version.major < 3) {
    throw new ActionError(
      `${binary} version answered ${JSON.stringify(result.stdout.trim() || lastHelmError(result.stderr))} (exit code ${result.exitCode}): this action drives Helm 3 and Helm 4.`,
      { hint: "Set 'helm-version' to a Helm 3 or Helm 4 release such as v4.1.4." },
    )
  }
  return version
}

/** A read-only helm command: not streamed to the log, stopped when it outlasts its deadline. */
export async function queryHelm(cli: Omit<HelmCli, 'version'>, args: readonly string[]): Promise<ExecResult> {
  const signal = AbortSignal.timeout(cli.timeouts.queryMs)
  const result = await cli.runtime.exec(cli.binary, args, { env: cli.env, shouldStream: false, stop: signal })
  if (signal.aborted) throw helmTimedOut(`helm ${args.slice(0, 2).join(' ')}`, cli.timeouts.queryMs)
  return result
}

/**
 * The deadline of a helm command that changes the release (upgrade, rollback, uninstall): its own
 * --timeout bounds only its waits, so past it and the grace helm is stopped (a hung API server).
 */
export function operationDeadline(cli: HelmCli, timeoutSeconds: number): { signal: AbortSignal; ms: number } {
  // Node's timers hold at most 2^31-1 ms (24.8 days); a longer one would fire at once.
  const ms = Math.min(timeoutSeconds * 1000 + cli.timeouts.upgradeGraceMs, 2 ** 31 - 1)
  return { signal: AbortSignal.timeout(ms), ms }
}

/** A helm command stopped at its deadline: almost always an API server that stopped answering. */
export function helmTimedOut(what: string, waitedMs: number): ActionError {
  return new ActionError(
    `${what} did not end within ${(waitedMs / 1000).toFixed(1)} s and was stopped: the Kubernetes API server it talks to accepted the connection but did not answer.`,
    {
      hint: "Check that the runner reaches the cluster's endpoint (a private endpoint needs a runner in its network; security groups) and that the API server is healthy, then re-run the job. A stopped upgrade may leave the release pending: `helm history <release> -n <namespace>`.",
    },
  )
}

const isNotFound = (result: ExecResult): boolean => /release: not found/.test(result.stderr)

// A refused login (HTTP 401) is not warned about: the deploy fails with its own explanation.
function warnUnreadable(cli: HelmCli, what: string, result: ExecResult): void {
  if (isNotFound(result) || isUnauthorized(result.stderr)) return
  cli.runtime.warning(`Could not read the ${what}: ${lastHelmError(result.stderr)}`)
}

export interface HistoryRead {
  /** The newest revisions, oldest first; none when the release does not exist. */
  readonly entries: HistoryEntry[]
  /** helm's error when the API server refused its credentials (HTTP 401): nothing else can work. */
  readonly refusal: string | undefined
}

export async function readHistory(
  cli: HelmCli,
  release: string,
  namespace: string,
  max: number,
): Promise<HistoryRead> {
  const args = ['history', release, '--namespace', namespace, '--max', String(max), '--output', 'json']
  const result = await queryHelm(cli, args)
  if (result.exitCode === 0) return { entries: parseHistory(result.stdout), refusal: undefined }
  warnUnreadable(cli, `history of release ${release}`, result)
  const refusal = isUnauthorized(result.stderr) ? lastHelmError(result.stderr) : undefined
  return { entries: [], refusal }
}

/**
 * A revision's user-supplied values and manifest (empty when it does not exist), held in memory only:
 * both carry Secret data and set-string values in clear.
 */
export async function readDeployed(
  cli: HelmCli,
  release: string,
  namespace: string,
  revision: number,
): Promise<{ values: unknown; manifest: string }> {
  const where = [release, '--namespace', namespace, '--revision', String(revision)]
  const [values, manifest] = await Promise.all([
    queryHelm(cli, ['get', 'values', ...where, '--output', 'json']),
    queryHelm(cli, ['get', 'manifest', ...where]),
  ])
  return {
    values: values.exitCode === 0 ? (JSON.parse(values.stdout) as unknown) : {},
    manifest: manifest.exitCode === 0 ? manifest.stdout : '',
  }
}

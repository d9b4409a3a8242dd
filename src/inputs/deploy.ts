import { readChartKeyring } from './chart-keyring.js'
import { readManifests } from './manifests.js'
import { isHttpUrl } from './patterns.js'
import type { InputProblems } from './problems.js'
import type { ChartRef, DeployInputs, HelmVersion, KeyValue } from './types.js'

// Readers of phase deploy's inputs.

const RELEASE_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const NAMESPACE_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/
const HELM_VERSION_PATTERN = /^v[34]\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/
const GO_DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
}

export function readDeploy(p: InputProblems): DeployInputs {
  const timeout = p.optional('timeout') ?? '5m'
  const timeoutSeconds = parseGoDuration(timeout)
  if (timeoutSeconds === undefined || timeoutSeconds <= 0) {
    p.add('timeout', timeout, 'must be a Go duration such as 5m, 90s or 1h30m.')
  } else if (timeoutSeconds < MIN_TIMEOUT_SECONDS) {
    p.add(
      'timeout',
      timeout,
      'is shorter than 1s: helm could not even reach the cluster in it. Use 1s or more, such as 5m.',
    )
  } else if (timeoutSeconds > MAX_GO_DURATION_SECONDS) {
    p.add('timeout', timeout, 'is longer than a Go duration can be (about 2562047h); helm would refuse it.')
  }
  const chart = readChart(p)
  const isAtomic = p.bool('atomic', true)
  return {
    release: readRelease(p),
    chart,
    manifests: readManifests(p, chart),
    chartVersion: p.optional('chart-version'),
    chartKeyring: readChartKeyring(p, chart),
    namespace:
      p.matching('namespace', NAMESPACE_PATTERN, 'must be a Kubernetes namespace name (DNS-1123 label).') ??
      'default',
    shouldCreateNamespace: p.bool('create-namespace', true),
    valuesFiles: p.list('values-files', { commas: false }),
    set: readKeyValues(p, 'set'),
    setString: readKeyValues(p, 'set-string'),
    imageRepositoryKey:
      p.matching('image-repository-key', VALUE_KEY_PATTERN, valueKeyRule) ?? 'image.repository',
    imageTagKey: p.matching('image-tag-key', VALUE_KEY_PATTERN, valueKeyRule) ?? 'image.tag',
    isAtomic,
    shouldWait: p.bool('wait', true),
    waitMode: readWaitMode(p, isAtomic),
    timeout,
    timeoutSeconds: wholeSeconds(timeoutSeconds ?? 300),
    historyMax: p.int('history-max', 10, { min: 0, max: 1000 }),
    helmArgs: p.list('helm-args', { commas: false }),
    isDryRun: p.bool('dry-run', false),
    dryRunDiff: p.choice('dry-run-diff', ['redacted', 'keys-only'] as const, 'redacted'),
    fieldConflicts: p.choice('field-conflicts', ['auto', 'take-over', 'fail'] as const, 'auto'),
    isFailFast: p.bool('fail-fast', true),
    onPausedRollout: p.choice('on-paused-rollout', ['wait', 'fail', 'report'] as const, 'wait'),
    shouldKeepFailedInstall: p.bool('keep-failed-install', false),
    isPreflight: p.bool('preflight', true),
    logLines: p.int('log-lines', 20, { min: 0, max: 1000 }),
    shouldRecoverPending: p.bool('recover-pending', false),
    shouldSkipUnchanged: p.bool('skip-unchanged', false),
    shouldFailOnChanges: readFailOnChanges(p),
    lock: p.choice('lock', ['true', 'false', 'required'] as const, 'true'),
    lockTimeoutSeconds: readLockTimeout(p),
    helmVersion: readHelmVersion(p),
    helmMirror: readHelmMirror(p),
  }
}

/**
 * wait-mode hookOnly cannot hold with automatic rollback: Helm 4 turns it into `watcher` whenever
 * --rollback-on-failure is set, and Helm 3's --atomic implies --wait.
 */
function readWaitMode(p: InputProblems, isAtomic: boolean): DeployInputs['waitMode'] {
  const mode = p.choice('wait-mode', ['auto', 'watcher', 'legacy', 'hookOnly'] as const, 'auto')
  if (mode === 'hookOnly' && isAtomic)
    p.add(
      'wait-mode',
      mode,
      "cannot be combined with atomic: true (the default): helm's automatic rollback waits for readiness itself (Helm 4's --rollback-on-failure turns hookOnly into watcher, Helm 3's --atomic implies --wait). Set atomic: false to wait for hooks only, or use wait-mode: auto or legacy, which leave Argo Rollouts and Flagger Canaries to the action's watch.",
    )
  return mode
}

/** fail-on-changes gates a dry run (a plan job): on a deploy, the changes are what it is for. */
function readFailOnChanges(p: InputProblems): boolean {
  const isFailing = p.bool('fail-on-changes', false)
  if (isFailing && !p.bool('dry-run', false))
    p.add(
      'fail-on-changes',
      'true',
      'gates a dry run only: set dry-run: true with it (the plan job of a "no drift allowed" check), or remove it.',
    )
  return isFailing
}

function readLockTimeout(p: InputProblems): number {
  const raw = p.optional('lock-timeout') ?? '10m'
  const seconds = parseGoDuration(raw)
  if (seconds === undefined || seconds > MAX_LOCK_TIMEOUT_SECONDS) {
    p.add('lock-timeout', raw, 'must be a Go duration of at most 6h, such as 10m or 90s (0s: do not wait).')
    return 600
  }
  return wholeSeconds(seconds)
}

// A job runs for at most 6 hours on GitHub's runners.
const MAX_LOCK_TIMEOUT_SECONDS = 6 * 3600

function readRelease(p: InputProblems): string | undefined {
  const release = p.optional('release')
  if (release !== undefined && (release.length > 53 || !RELEASE_PATTERN.test(release))) {
    p.add(
      'release',
      release,
      'must be a Helm release name: at most 53 lower-case letters, digits, - and . (DNS-1123).',
    )
    return undefined
  }
  return release
}

function readChart(p: InputProblems): ChartRef | undefined {
  const chart = p.optional('chart')
  const repository = p.optional('chart-repository')
  if (chart === undefined) {
    if (repository !== undefined) p.add('chart', '', "is required when 'chart-repository' is set.")
    return undefined
  }
  // helm would read `-...` as one of its flags (--post-renderer=..., --set ...), not as the chart.
  if (chart.startsWith('-'))
    p.add('chart', chart, 'must not start with - (write ./-name for such a directory).')
  if (chart.startsWith('oci://')) return { kind: 'oci', ref: chart }
  if (repository !== undefined) {
    if (!isHttpUrl(repository))
      p.add(
        'chart-repository',
        repository,
        'must be an http(s):// URL (for an OCI chart, give chart: oci://...).',
      )
    const name = chart.replace(/^[^/]+\//, '')
    if (name.startsWith('-')) p.add('chart', chart, 'must name a chart that does not start with -.')
    return { kind: 'repo', name, repository }
  }
  return { kind: 'path', path: chart }
}

function readKeyValues(p: InputProblems, name: string): KeyValue[] {
  const pairs: KeyValue[] = []
  // set-string values are secrets by the way they are given: a bad line is not quoted back whole.
  const shown = (line: string): string => {
    if (name !== 'set-string') return line
    const at = line.indexOf('=')
    return at <= 0 ? `<hidden: ${line.length} characters, no key=>` : `${line.slice(0, at)}=<hidden>`
  }
  for (const line of p.list(name, { commas: false })) {
    const at = line.indexOf('=')
    if (at <= 0) p.add(name, shown(line), 'each line must be key=value (the value may hold commas and =).')
    else if (!VALUE_KEY_PATTERN.test(line.slice(0, at).trim())) p.add(name, shown(line), valueKeyRule)
    else pairs.push({ key: line.slice(0, at).trim(), value: line.slice(at + 1) })
  }
  return pairs
}

function readHelmVersion(p: InputProblems): HelmVersion {
  const raw = p.optional('helm-version') ?? DEFAULT_HELM_VERSION
  if (raw.toLowerCase() === 'system') return { kind: 'system' }
  const version = raw.startsWith('v') ? raw : `v${raw}`
  if (!HELM_VERSION_PATTERN.test(version)) {
    p.add('helm-version', raw, "must be a Helm release such as v4.1.4 or v3.17.3, or 'system'.")
  }
  return { kind: 'release', version }
}

const DEFAULT_HELM_VERSION = 'v4.1.4'

// Helm splits --set on commas and '=' before its own escaping applies to keys.
const VALUE_KEY_PATTERN = /^[^\s=,]+$/
const valueKeyRule = 'must be a Helm value path such as image.tag (no spaces, = or commas).'

function readHelmMirror(p: InputProblems): string {
  const mirror = p.optional('helm-mirror') ?? 'https://get.helm.sh'
  // The archive's name is appended to it: a query or fragment would swallow it.
  if (!isHttpUrl(mirror) || /[?#]/.test(mirror)) {
    p.add('helm-mirror', mirror, 'must be an http(s):// URL without ? or #, such as https://get.helm.sh.')
  }
  return mirror.replace(/\/+$/, '')
}

// Go durations are int64 nanoseconds.
const MAX_GO_DURATION_SECONDS = (2 ** 63 - 1) / 1e9
const MIN_TIMEOUT_SECONDS = 1

/**
 * Whole seconds, rounded up (after rounding to Go's nanoseconds, so 1.1s stays 2 and not 1.100…1),
 * so the action's own deadlines around helm (timeoutSeconds * 1000 ms) are whole milliseconds, as
 * timers require; helm itself gets the duration as written.
 */
function wholeSeconds(seconds: number): number {
  return Math.ceil(Math.round(seconds * 1e9) / 1e9)
}

/** Seconds in a Go duration (`1h30m`, `90s`), or undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined
  let seconds = 0
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    seconds += Number(match[1]) * (GO_DURATION_UNITS[match[2] ?? 's'] ?? 1)
  }
  return seconds
}

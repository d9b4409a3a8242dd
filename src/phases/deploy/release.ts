import type { ExecResult, Runtime } from '../../runner/runtime.js'
import { taggedImageReference, type ImageRef } from '../../lib/image-ref.js'
import { buildHelmArgs, type ReleaseSpec } from './helm/args.js'
import { readDeployed, readHistory, readStatus, setUpHelm, type HelmCli, type HelmSetup } from './helm/cli.js'
import { diffManifests, diffValues, parseDryRun } from './helm/dry-run.js'
import { buildHelmEnv, type HelmEnvParams } from './helm/env.js'
import { explainChartPullFailure } from './helm/chart-pull.js'
import { explainUpgradeFailure, wasInstallUninstalled } from './helm/failure.js'
import { describeRelease, isRolledBack, type ReleaseState } from './helm/result.js'
import { explainUnauthorized, type ClusterIdentity } from './helm/unauthorized.js'
import type { DeployResult } from './types.js'

/** The plan's parameters with what the earlier phases produced, as deployRelease needs them. */
export interface DeployReleaseParams extends HelmSetup, HelmEnvParams {
  readonly spec: ReleaseSpec
  /** The image of the ecr-login phase, set as <image-repository-key> and <image-tag-key>. */
  readonly image?: ImageRef | undefined
  /** The kubeconfig phase's cluster and IAM role, named when the cluster refuses them (HTTP 401). */
  readonly cluster?: ClusterIdentity | undefined
}

export interface DeployDeps {
  readonly runtime: Runtime
}

// Enough history to find the last good revision behind a few failed ones.
const HISTORY_DEPTH = 20

/** helm from the tool cache, then `helm upgrade --install` with automatic rollback. */
export async function deployRelease(params: DeployReleaseParams, deps: DeployDeps): Promise<DeployResult> {
  const { runtime } = deps
  const { spec } = params
  const label = params.helmVersion.kind === 'system' ? 'from the PATH' : params.helmVersion.version
  const helm = await runtime.group(`Set up helm ${label}`, () =>
    setUpHelm(params, buildHelmEnv(params), runtime),
  )
  const args = buildHelmArgs(helm.version, spec, params.image)
  if (spec.isAtomic && !spec.shouldWait && !spec.isDryRun) {
    runtime.warning(
      'atomic: true waits for readiness even with wait: false (Helm 3 --atomic implies --wait; Helm 4 --rollback-on-failure defaults --wait to watcher).',
    )
  }
  const base = { helmVersion: helm.version.text, release: spec.release, namespace: spec.namespace }
  const before = await readHistory(helm, spec.release, spec.namespace, 1)
  if (before.refusal !== undefined) return refusedByCluster(params, base, before.refusal)
  const previousRevision = before.entries.at(-1)?.revision
  const run = await runUpgrade(helm, params, args)
  if (spec.isDryRun && run.exitCode === 0) {
    const state = await reportDryRun(helm, spec, run.stdout)
    return { ...base, isDryRun: true, state, previousRevision, isRolledBack: false, failure: undefined }
  }
  return {
    ...base,
    isDryRun: spec.isDryRun,
    previousRevision,
    ...(await readOutcome(helm, params, run, previousRevision)),
  }
}

type DeployBase = Pick<DeployResult, 'helmVersion' | 'release' | 'namespace'>

/** The cluster refused helm's credentials (HTTP 401): the upgrade would fail the same way, so it does not run. */
function refusedByCluster(params: DeployReleaseParams, base: DeployBase, helmError: string): DeployResult {
  const { spec } = params
  return {
    ...base,
    isDryRun: spec.isDryRun,
    state: undefined,
    previousRevision: undefined,
    isRolledBack: false,
    failure: explainUnauthorized({ cluster: params.cluster, namespace: spec.namespace, helmError }),
  }
}

function runUpgrade(
  helm: HelmCli,
  params: DeployReleaseParams,
  args: readonly string[],
): Promise<ExecResult> {
  const { spec, image } = params
  const { runtime } = helm
  const title = `helm upgrade --install ${spec.release} (namespace ${spec.namespace}${spec.isDryRun ? ', dry run' : ''})`
  return runtime.group(title, () => {
    if (image !== undefined) {
      runtime.info(
        `Image ${taggedImageReference(image)} (values ${spec.imageRepositoryKey} and ${spec.imageTagKey})`,
      )
    }
    runtime.debug(`${helm.binary} ${args.join(' ')}`)
    // Forwarding the runner's SIGINT/SIGTERM lets helm cancel and roll back instead of leaving
    // the release in pending-upgrade (helm's upgrade command handles both signals).
    return runtime.exec(helm.binary, args, {
      env: helm.env,
      shouldForwardSignals: true,
      shouldStream: !spec.isDryRun,
    })
  })
}

async function readOutcome(
  helm: HelmCli,
  params: DeployReleaseParams,
  run: ExecResult,
  previousRevision: number | undefined,
): Promise<Pick<DeployResult, 'state' | 'isRolledBack' | 'failure'>> {
  const { spec } = params
  const status = await readStatus(helm, spec.release, spec.namespace)
  const history =
    status === undefined ? [] : (await readHistory(helm, spec.release, spec.namespace, HISTORY_DEPTH)).entries
  const state = status === undefined ? undefined : describeRelease(status, history)
  const failed = run.exitCode !== 0
  const rolledBack =
    failed &&
    (isRolledBack(status, previousRevision) ||
      (previousRevision === undefined && wasInstallUninstalled(run.stderr)))
  if (!failed && state !== undefined) {
    helm.runtime.info(
      `Release ${spec.release}: revision ${state.revision} ${state.status} (chart ${state.chartName} ${state.chartVersion}, app ${state.appVersion || '-'}).`,
    )
  }
  const failure = failed
    ? (explainChartPullFailure(spec.chart, spec.chartVersion, run.stderr) ??
      explainUpgradeFailure({
        release: spec.release,
        namespace: spec.namespace,
        exitCode: run.exitCode,
        stdout: run.stdout,
        stderr: run.stderr,
        state: status,
        history,
        isRolledBack: rolledBack,
        cluster: params.cluster,
      }))
    : undefined
  return { state, isRolledBack: rolledBack, failure }
}

/** Prints what the upgrade would change: the user-supplied values and the rendered resources. */
async function reportDryRun(helm: HelmCli, spec: ReleaseSpec, stdout: string): Promise<ReleaseState> {
  const rendered = parseDryRun(stdout)
  const deployed = await readDeployed(helm, spec.release, spec.namespace)
  const { runtime } = helm
  await runtime.group(`Dry run of ${spec.release}: what would change (nothing was changed)`, () => {
    const values = diffValues(deployed.values, rendered.values)
    runtime.info(`Values (user-supplied), deployed -> rendered:\n${values.join('\n') || '  (no change)'}`)
    const manifest = diffManifests(deployed.manifest, rendered.manifest)
    runtime.info(`Resources (Secrets not shown):\n${manifest.join('\n') || '  (no change)'}`)
    runtime.debug(`Rendered manifest:\n${rendered.manifest}`)
    return Promise.resolve()
  })
  return rendered.state
}

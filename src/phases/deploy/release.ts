import { ActionError } from '../../lib/errors.js'
import type { ImageRef } from '../../lib/image-ref.js'
import type { ExecResult, Runtime } from '../../runner/runtime.js'
import type { PhaseDeps } from '../phase.js'
import { buildHelmArgs, type ReleaseSpec } from '../../helm/args.js'
import {
  readHistory,
  setUpHelmInGroup,
  type HelmCli,
  type HelmSetup,
  type HelmTimeouts,
} from '../../helm/cli.js'
import { buildHelmEnv, type HelmEnvParams } from '../../helm/env.js'
import { describeRelease, type HistoryEntry } from '../../helm/result.js'
import { explainUnauthorized, type ClusterIdentity } from '../../helm/unauthorized.js'
import { decideNamespace, lookUpNamespace } from './namespace.js'
import { readOutcome } from './outcome.js'
import { HISTORY_DEPTH, prepareRollout, settlePending } from './prepare.js'
import type { DiagnosticsDeps } from './rollout/diagnose.js'
import type { KubeApi, LeaseApi } from '../../kube/kube-api.js'
import { lockReport, startReleaseLock, type LockOutcome, type LockParams } from './lock/index.js'
import type { DeployResult } from './types.js'
import { runUpgrade, type WatchedRollout } from './upgrade.js'
import { findUnchanged } from './unchanged.js'
import type { ChangeSet } from './changes/types.js'
import { needsRender, type DeployHeadStart } from './head-start.js'

/** The plan's parameters with what the earlier phases produced, as deployRelease needs them. */
export interface DeployReleaseParams extends HelmSetup, HelmEnvParams {
  readonly spec: ReleaseSpec
  /** The image of the ecr-login phase, set as <image-repository-key> and <image-tag-key>. */
  readonly image?: ImageRef | undefined
  /** The image is already in the chart (pinned into plain manifests): no image values. */
  readonly isImagePinned?: boolean
  /** The release takes over objects kubectl apply created (plain manifests): helm's flags for that. */
  readonly isAdopting?: boolean
  /** The kubeconfig phase's cluster and IAM role, named when the cluster refuses them (HTTP 401/403). */
  readonly cluster?: ClusterIdentity | undefined
  /** The release lock (lock: true or required); undefined with lock: false and in a dry run. */
  readonly lock?: LockParams | undefined
}

export interface DeployDeps {
  readonly runtime: Runtime
  /** The Kubernetes API as helm's identity; made only for a pre-flight, a rollout watch or the lock. */
  readonly connectKube: () => Promise<KubeApi>
  /** The same client's Leases, for the release lock. */
  readonly connectLeases?: () => Promise<KubeApi & LeaseApi>
  /** What ECR says about an image the cluster cannot pull; undefined without an image of this run. */
  readonly describeImage?: DiagnosticsDeps['describeImage']
  /** Writes that must come right before helm's, after the pre-flight (adopting objects); not in a dry run. */
  readonly beforeUpgrade?: () => Promise<ActionError | undefined>
  /** The parts of the deploy on the job summary's timeline. */
  readonly time: PhaseDeps['time']
  readonly record: PhaseDeps['record']
  /** The defaults in a run; tests give short ones. */
  readonly timeouts?: HelmTimeouts
  /** helm and the render, started with the step (head-start.ts); without it, both start here. */
  readonly headStart?: Pick<DeployHeadStart, 'helm' | 'rendered' | 'printLog'>
}

type DeployBase = Pick<DeployResult, 'helmVersion' | 'release' | 'namespace' | 'isDryRun'>

/**
 * helm from the tool cache; a release left pending settled; a render, the access pre-flight; then
 * `helm upgrade --install` with automatic rollback, watched; the release afterwards, and why it failed.
 */
export async function deployRelease(params: DeployReleaseParams, deps: DeployDeps): Promise<DeployResult> {
  // The lock is taken while helm is set up and the namespace looked up (a healthy deploy adds one
  // round trip and one write); it is given up while the outputs are published.
  const locking = startLock(params, deps)
  try {
    const result = await deployLocked(params, deps, locking)
    const report = lockReport(await locking)
    return report === undefined ? result : { ...result, lock: report }
  } finally {
    void locking.then((outcome) => (outcome?.kind === 'held' ? outcome.lock.release() : undefined))
  }
}

function startLock(params: DeployReleaseParams, deps: DeployDeps): Promise<LockOutcome | undefined> {
  const { lock, spec } = params
  if (lock === undefined || spec.isDryRun || deps.connectLeases === undefined)
    return Promise.resolve(undefined)
  return startReleaseLock(
    { ...lock, release: spec.release, namespace: spec.namespace },
    { connect: deps.connectLeases, runtime: deps.runtime, time: deps.time },
  )
}

async function deployLocked(
  params: DeployReleaseParams,
  deps: DeployDeps,
  locking: Promise<LockOutcome | undefined>,
): Promise<DeployResult> {
  const { runtime } = deps
  // Whether helm is to create the namespace depends on it existing: looked up while helm is set up.
  const lookup = lookUpNamespace(deps.connectKube, params.spec.namespace)
  const helm = await setUpHelmOnce(params, deps)
  const valuesImage = params.isImagePinned === true ? undefined : params.image
  // Validates the flags for this helm (a dry run needs 3.13+) before anything runs.
  buildHelmArgs(helm.version, params.spec, valuesImage, params.isAdopting === true)
  if (params.spec.isAtomic && !params.spec.shouldWait && !params.spec.isDryRun) {
    runtime.warning(
      'atomic: true waits for readiness even with wait: false (Helm 3 --atomic implies --wait; Helm 4 --rollback-on-failure defaults --wait to watcher).',
    )
  }
  const base: DeployBase = {
    helmVersion: helm.version.text,
    release: params.spec.release,
    namespace: params.spec.namespace,
    isDryRun: params.spec.isDryRun,
  }
  const lock = await locking
  if (lock?.kind === 'refused') return failed(base, [], lock.error)
  const before = await readHistory(helm, params.spec.release, params.spec.namespace, HISTORY_DEPTH)
  if (before.refusal !== undefined)
    return failed(
      base,
      [],
      explainUnauthorized({
        cluster: params.cluster,
        namespace: params.spec.namespace,
        helmError: before.refusal,
      }),
    )
  const settled = await settlePending(helm, params.spec, before.entries)
  const previousRevision = settled.history.at(-1)?.revision
  if (settled.failure !== undefined) return failed(base, settled.history, settled.failure)
  const namespace = await lookup
  const spec = decideNamespace(params, namespace, runtime)
  if (spec instanceof ActionError) return failed(base, settled.history, spec)
  const args = buildHelmArgs(helm.version, spec, valuesImage, params.isAdopting === true)
  const isWatched = !spec.isDryRun && (spec.shouldWait || spec.isAtomic)
  // The pre-flight needs the history (install or upgrade, pruning) and the namespace's state, so it
  // follows them; a local chart's render was done ahead (head-start.ts), so it runs no helm here.
  const prepared = needsRender(spec)
    ? await deps.time(
        spec.isPreflight ? 'pre-flight' : 'render',
        () =>
          prepareRollout(
            helm,
            { spec, image: valuesImage, cluster: params.cluster, namespace, history: settled.history },
            deps.connectKube,
            deps.headStart?.rendered,
          ),
        (result) => result.failure !== undefined,
      )
    : { rollout: undefined }
  if (prepared.failure !== undefined) return failed(base, settled.history, prepared.failure)
  if (spec.shouldSkipUnchanged && !spec.isDryRun) {
    const unchanged = await findUnchanged(
      helm,
      { spec, image: valuesImage, isAdopting: params.isAdopting === true },
      settled.history,
      deps,
    )
    if (unchanged !== undefined) return skipped(base, settled.history, unchanged, runtime)
  }
  const refusal = spec.isDryRun ? undefined : await deps.beforeUpgrade?.()
  if (refusal !== undefined) return failed(base, settled.history, refusal)
  const rollout = isWatched ? prepared.rollout : undefined
  const startMs = runtime.now()
  const { run, watched } = await runUpgrade(
    helm,
    { spec, image: params.image, isImagePinned: params.isImagePinned === true, args },
    rollout,
    deps.describeImage,
  )
  recordHelm(deps.record, spec, { startMs, endMs: runtime.now(), run, watched })
  const outcome =
    spec.isDryRun && run.exitCode === 0
      ? await whatWouldChange(helm, spec, { stdout: run.stdout, history: settled.history }, deps)
      : {
          ...(await readOutcome(helm, { ...params, spec }, run, previousRevision, watched)),
          changes: undefined,
        }
  return { ...base, previousRevision, ...outcome }
}

/** helm as the head start found it (with the deploy's full environment), or set up here. */
async function setUpHelmOnce(params: DeployReleaseParams, deps: DeployDeps): Promise<HelmCli> {
  const env = buildHelmEnv(params)
  if (deps.headStart === undefined)
    return deps.time('helm setup', () => setUpHelmInGroup(params, env, deps.runtime, deps.timeouts))
  await deps.headStart.printLog()
  const helm = await deps.headStart.helm
  return { ...helm, env, runtime: deps.runtime, timeouts: deps.timeouts ?? helm.timeouts }
}

/** A dry run's release: the revision it would make, and what would change (loaded only for a dry run). */
async function whatWouldChange(
  helm: HelmCli,
  spec: ReleaseSpec,
  dryRun: { readonly stdout: string; readonly history: readonly HistoryEntry[] },
  deps: Pick<DeployDeps, 'time'>,
): Promise<Omit<DeployResult, keyof DeployBase | 'previousRevision'>> {
  const { reportChanges } = await import('./changes/report.js')
  const { state, changes } = await deps.time('what would change', () =>
    reportChanges(helm, spec, dryRun.stdout, dryRun.history),
  )
  return {
    state,
    isRolledBack: false,
    failure: undefined,
    failureReason: undefined,
    diagnosis: undefined,
    changes,
  }
}

/** helm on the timeline: its run (and wait), and after fail-fast stopped it, the rollback. */
function recordHelm(
  record: DeployDeps['record'],
  spec: ReleaseSpec,
  ran: { startMs: number; endMs: number; run: ExecResult; watched: WatchedRollout | undefined },
): void {
  const { startMs, endMs, run, watched } = ran
  const name = spec.isDryRun ? 'helm dry run' : 'helm upgrade'
  const stoppedAfterMs = watched?.stoppedAfterMs
  if (stoppedAfterMs === undefined) {
    record({ name, startMs, endMs, isFailed: run.exitCode !== 0 })
    return
  }
  const stopMs = startMs + stoppedAfterMs
  record({ name: `${name} until fail-fast`, startMs, endMs: stopMs, isFailed: true })
  record({ name: 'rollback', startMs: stopMs, endMs, isFailed: false })
}

/** A deploy that stopped before helm upgraded anything: the release is as it was. */
function failed(
  base: DeployBase,
  history: readonly HistoryEntry[],
  failure: ActionError | undefined,
): DeployResult {
  const last = history.at(-1)
  return {
    ...base,
    state: last === undefined ? undefined : describeRelease(last, history),
    previousRevision: last?.revision,
    isRolledBack: false,
    failure,
    failureReason: failure?.message.split('\n')[0],
    diagnosis: undefined,
    changes: undefined,
  }
}

/** skip-unchanged found nothing to change: the release stays at its revision, and no new one is written. */
function skipped(
  base: DeployBase,
  history: readonly HistoryEntry[],
  changes: ChangeSet,
  runtime: Runtime,
): DeployResult {
  const last = history.at(-1)
  runtime.info(
    `Release ${base.release} is unchanged: the chart renders exactly what revision ${String(last?.revision)} deployed, with the same values. No upgrade, no new revision (skip-unchanged: true).`,
  )
  return { ...failed(base, history, undefined), changes, isSkipped: true }
}

import { ActionError } from '../../lib/errors.js'
import type { ImageRef } from '../../lib/image-ref.js'
import type { Runtime } from '../../runner/runtime.js'
import type { PhaseDeps } from '../phase.js'
import { buildHelmArgs, type ReleaseSpec } from '../../helm/args.js'
import { readReleaseHistory, type ReleaseWhere, type StoredHistory } from '../../helm/storage.js'
import { setUpHelmInGroup, type HelmCli, type HelmSetup, type HelmTimeouts } from '../../helm/cli.js'
import { buildHelmEnv, type HelmEnvParams } from '../../helm/env.js'
import { explainUnauthorized, type ClusterIdentity } from '../../helm/unauthorized.js'
import { askAccessAhead } from './access-ahead.js'
import { decideNamespace, lookUpNamespace } from './namespace.js'
import { readOutcome } from './outcome.js'
import { HISTORY_DEPTH, prepareRollout, settlePending } from './prepare.js'
import type { DiagnosticsDeps } from './rollout/diagnose.js'
import type { KubeApi, LeaseApi } from '../../kube/kube-api.js'
import {
  lockReport,
  startReleaseLock,
  type LeaseMemory,
  type LockOutcome,
  type LockParams,
} from './lock/index.js'
import type { DeployResult } from './types.js'
import { runUpgrade } from './upgrade.js'
import { findUnchanged } from './unchanged.js'
import { needsRender, type DeployHeadStart } from './head-start.js'
import { conflictArgs, replicasDropRun } from './fields/index.js'
import type { VerifyInputs } from '../../inputs/types.js'
import { verifyDeployed, type VerifyTools } from './verified.js'
import { resolveWaitMode } from './rollout/wait-mode.js'
import { failed, recordHelm, skipped, whatWouldChange, type DeployBase } from './release-end.js'
import { printPinNote, type ChartToDeploy } from './chart-pin.js'

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
  /** The checks after a successful rollout; undefined: none asked. */
  readonly verify?: VerifyInputs | undefined
  /** The release lock (lock: true or required); undefined with lock: false and in a dry run. */
  readonly lock?: LockParams | undefined
  /** An oci:// chart's digest, read while helm is set up (chart-pin.ts): helm deploys that. */
  readonly chartPin?: Promise<ChartToDeploy | ActionError> | undefined
}

export interface DeployDeps {
  readonly runtime: Runtime
  /** The Kubernetes API as helm's identity; made only for a pre-flight, a rollout watch or the lock. */
  readonly connectKube: () => Promise<KubeApi>
  /** The same client's Leases, for the release lock. */
  readonly connectLeases?: () => Promise<KubeApi & LeaseApi>
  /** Keeps a held lock in the post step's state until it is given up. */
  readonly leaseMemory?: LeaseMemory
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
  /** What verification uses, given when it is asked for. */
  readonly verifyTools?: VerifyTools
}

/**
 * helm from the tool cache; a release left pending settled; a render, the access pre-flight; then
 * `helm upgrade --install` with automatic rollback, watched; the release afterwards, and why it failed.
 */
export async function deployRelease(params: DeployReleaseParams, deps: DeployDeps): Promise<DeployResult> {
  // The lock is taken while helm is set up and the namespace looked up (a healthy deploy adds one
  // round trip and one write); it is given up while the outputs are published.
  const locking = startLock(params, deps)
  let released: Promise<void> | undefined
  const release = (): Promise<void> =>
    (released ??= locking.then((outcome) => (outcome?.kind === 'held' ? outcome.lock.release() : undefined)))
  try {
    const result = await deployLocked(params, deps, locking, release)
    const report = lockReport(await locking)
    return report === undefined ? result : { ...result, lock: report }
  } finally {
    void release()
  }
}

function startLock(params: DeployReleaseParams, deps: DeployDeps): Promise<LockOutcome | undefined> {
  const { lock, spec } = params
  if (lock === undefined || spec.isDryRun || deps.connectLeases === undefined)
    return Promise.resolve(undefined)
  return startReleaseLock(
    { ...lock, release: spec.release, namespace: spec.namespace },
    { connect: deps.connectLeases, runtime: deps.runtime, time: deps.time, memory: deps.leaseMemory },
  )
}

async function deployLocked(
  params: DeployReleaseParams,
  deps: DeployDeps,
  locking: Promise<LockOutcome | undefined>,
  /** Gives the lock up (once): as soon as helm has written its last, while the outcome is read. */
  releaseLock: () => Promise<void>,
): Promise<DeployResult> {
  const { runtime } = deps
  // Whether helm is to create the namespace depends on it existing: looked up while helm is set up.
  const lookup = lookUpNamespace(deps.connectKube, params.spec.namespace)
  const helmReady = setUpHelmOnce(params, deps)
  // The history too (from helm's storage through the same client) while helm is set up; with the
  // release lock, the moment the lock is held (read before, it may miss a revision a deploy still
  // holding it wrote), whether helm is ready or not.
  // (Without the lock, `locking` is settled already.)
  const history = locking.then((lock) =>
    lock?.kind === 'refused' ? NO_HISTORY : readReleaseHistory(releaseWhere(params, deps), () => helmReady),
  )
  history.catch(() => undefined)
  askAccessAhead(params.spec, helmReady, deps.headStart?.rendered, deps.connectKube)
  const helm = await helmReady
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
  const before = await history
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
  const pin = await params.chartPin
  if (pin instanceof ActionError) return failed(base, settled.history, pin)
  if (pin !== undefined) printPinNote(pin, runtime)
  const pinned =
    pin === undefined
      ? params
      : { ...params, spec: { ...params.spec, chart: pin.chart, chartVersion: pin.chartVersion } }
  const namespace = await lookup
  const decided = decideNamespace(pinned, namespace, runtime)
  if (decided instanceof ActionError) return failed(base, settled.history, decided)
  const spec = keepingFailedInstall(decided, previousRevision, runtime)
  const isWatched = !spec.isDryRun && (spec.shouldWait || spec.isAtomic)
  // The pre-flight needs the history (install or upgrade, pruning) and the namespace's state, so it
  // follows them; a local chart's render was done ahead (head-start.ts), so it runs no helm here.
  const prepared = needsRender(spec)
    ? await deps.time(
        spec.isPreflight ? 'pre-flight' : 'render',
        () =>
          prepareRollout(
            helm,
            {
              spec,
              image: valuesImage,
              cluster: params.cluster,
              namespace,
              history: settled.history,
              records: before.records,
              isAdopting: params.isAdopting === true,
            },
            deps.connectKube,
            deps.headStart?.rendered,
          ),
        (result) => result.failure !== undefined,
      )
    : { rollout: undefined }
  if (prepared.failure !== undefined) return failed(base, settled.history, prepared.failure)
  const { fields } = prepared
  if (fields?.decision.kind === 'refuse')
    return { ...failed(base, settled.history, fields.decision.error), fields }
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
  const waited = resolveWaitMode(spec, rollout?.refs, helm.version.major, runtime)
  const args = buildHelmArgs(helm.version, waited, valuesImage, params.isAdopting === true)
  const drop = await replicasDropRun(helm.version.major, fields, params.jobEnv, spec.helmArgs)
  if (drop instanceof ActionError)
    return { ...failed(base, settled.history, drop), ...(fields && { fields }) }
  const startMs = runtime.now()
  const { run, watched } = await runUpgrade(
    { ...helm, env: { ...helm.env, ...drop.env } },
    {
      spec: waited,
      image: params.image,
      isImagePinned: params.isImagePinned === true,
      args: [...args, ...conflictArgs(spec, { major: helm.version.major, args }, fields), ...drop.args],
    },
    rollout,
    deps.describeImage,
  )
  recordHelm(deps.record, spec, { startMs, endMs: runtime.now(), run, watched })
  const { verify } = params
  const willVerify = verify !== undefined && !spec.isDryRun && deps.verifyTools !== undefined
  // Nothing after helm writes to the release unless verification may roll it back: the lock goes
  // while the release is read (one round trip fewer before the step ends).
  if (!willVerify) void releaseLock()
  const outcome =
    spec.isDryRun && run.exitCode === 0
      ? await whatWouldChange(helm, spec, { stdout: run.stdout, history: settled.history }, deps)
      : {
          ...(await readOutcome(
            helm,
            { ...params, spec, where: releaseWhere(params, deps) },
            run,
            previousRevision,
            watched,
          )),
          changes: undefined,
        }
  const done = {
    ...base,
    previousRevision,
    historyBefore: settled.history,
    ...outcome,
    ...(fields === undefined ? {} : { fields }),
    ...(pin?.digest === undefined ? {} : { chartDigest: pin.digest }),
  }
  if (!willVerify || outcome.failure !== undefined) return done
  const verified = await verifyDeployed(
    helm,
    verify,
    { ...outcome, spec, previousRevision },
    { ...deps, ...deps.verifyTools },
  )
  return { ...done, ...verified }
}

/** The history of a deploy that stops before reading it (the lock was refused). */
const NO_HISTORY: StoredHistory = { entries: [], refusal: undefined, records: undefined }

/** Where the release's history is read: helm's storage through the deploy's own client. */
function releaseWhere(params: DeployReleaseParams, deps: DeployDeps): ReleaseWhere {
  const { release, namespace } = params.spec
  return { release, namespace, max: HISTORY_DEPTH, env: params.jobEnv, connect: deps.connectKube }
}

/**
 * keep-failed-install on a first install: no automatic rollback (which would uninstall it), the same wait.
 * A fail-fast stop then leaves the failed revision and its pods for debugging.
 */
function keepingFailedInstall(
  spec: ReleaseSpec,
  previousRevision: number | undefined,
  runtime: Runtime,
): ReleaseSpec {
  if (!spec.shouldKeepFailedInstall || previousRevision !== undefined || spec.isDryRun || !spec.isAtomic)
    return spec
  runtime.info(
    'keep-failed-install: a first install; if it fails, it stays (status failed) for debugging instead of being uninstalled.',
  )
  return { ...spec, isAtomic: false, shouldWait: true }
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

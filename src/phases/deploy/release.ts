import { ActionError } from '../../lib/errors.js'
import { buildHelmArgs } from '../../helm/args.js'
import { readReleaseHistory } from '../../helm/storage.js'
import type { HelmCli } from '../../helm/cli.js'
import { explainUnauthorized } from '../../helm/unauthorized.js'
import { askAccessAhead } from './access-ahead.js'
import { decideNamespace, lookUpNamespace } from './namespace.js'
import { readOutcome } from './outcome.js'
import { prepareRollout, settlePending } from './prepare.js'
import { lockReport, type LockOutcome } from './lock/index.js'
import type { DeployResult } from './types.js'
import { runUpgrade } from './upgrade.js'
import { findUnchanged } from './unchanged.js'
import { needsRender } from './head-start.js'
import type { RenderedObject } from './rollout/rendered.js'
import { replicasDropRun } from './fields/index.js'
import { verifyDeployed } from './verified.js'
import { failed, recordHelm, skipped, whatWouldChange, type DeployBase } from './release-end.js'
import { pinnedSpec, printPinNote } from './chart-pin.js'
import { aheadOf, type HelmAhead } from './ahead.js'
import { upgradeCommand } from './upgrade-command.js'
import {
  keepingFailedInstall,
  NO_HISTORY,
  releaseWhere,
  setUpHelmOnce,
  startLock,
  valuesImageOf,
} from './release-setup.js'

import type { DeployDeps, DeployReleaseParams } from './release-types.js'

export type { DeployDeps, DeployReleaseParams } from './release-types.js'

/**
 * helm from the tool cache; a release left pending settled; a render, the access pre-flight; then
 * `helm upgrade --install` with automatic rollback, watched; the release afterwards, and why it failed.
 */
export async function deployRelease(params: DeployReleaseParams, deps: DeployDeps): Promise<DeployResult> {
  const helmReady = setUpHelmOnce(params, deps)
  // helm starts first, held at its first request until the pre-flight lets it through (ahead.ts): its
  // own start-up overlaps the lock and the pre-flight. Any trouble there only costs the head start.
  const ahead = helmReady.then((helm) => aheadOf(params, helm)).catch(() => undefined)
  // A local chart's render is read (its YAML parsed, the step's largest parse) once helm has started:
  // helm's start does not wait for it, the pre-flight does.
  const { rendered } = deps.headStart ?? {}
  const objects = rendered === undefined ? undefined : ahead.then(() => rendered())
  // The lock is taken while helm is set up and the namespace looked up (a healthy deploy adds one
  // round trip and one write); it is given up while the outputs are published.
  const locking = startLock(params, deps)
  let released: Promise<void> | undefined
  const release = (): Promise<void> =>
    (released ??= locking.then((outcome) => (outcome?.kind === 'held' ? outcome.lock.release() : undefined)))
  try {
    const result = await deployLocked(params, deps, { locking, helmReady, ahead, objects }, release)
    const report = lockReport(await locking)
    return report === undefined ? result : { ...result, lock: report }
  } finally {
    void release()
    await (await ahead)?.dispose('the deploy stopped before helm was to run')
  }
}

async function deployLocked(
  params: DeployReleaseParams,
  deps: DeployDeps,
  started: {
    readonly locking: Promise<LockOutcome | undefined>
    readonly helmReady: Promise<HelmCli>
    readonly ahead: Promise<HelmAhead | undefined>
    /** A local chart's objects, rendered ahead. */
    readonly objects: Promise<RenderedObject[] | undefined> | undefined
  },
  /** Gives the lock up (once): as soon as helm has written its last, while the outcome is read. */
  releaseLock: () => Promise<void>,
): Promise<DeployResult> {
  const { runtime } = deps
  const { locking, helmReady, ahead, objects } = started
  // Whether helm is to create the namespace depends on it existing: looked up while helm is set up.
  const lookup = lookUpNamespace(deps.connectKube, params.spec.namespace)
  // The history too (from helm's storage through the same client) while helm is set up; with the
  // release lock, the moment the lock is held (read before, it may miss a revision a deploy still
  // holding it wrote), whether helm is ready or not.
  // (Without the lock, `locking` is settled already.)
  const history = locking.then((lock) =>
    lock?.kind === 'refused' ? NO_HISTORY : readReleaseHistory(releaseWhere(params, deps), () => helmReady),
  )
  history.catch(() => undefined)
  askAccessAhead(params.spec, helmReady, objects, deps.connectKube)
  const helm = await helmReady
  const valuesImage = valuesImageOf(params)
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
  const pinned = { ...params, spec: pinnedSpec(params.spec, pin) }
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
            objects,
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
  const drop = await replicasDropRun(helm.version.major, fields, params.jobEnv, spec.helmArgs)
  if (drop instanceof ActionError)
    return { ...failed(base, settled.history, drop), ...(fields && { fields }) }
  const facts = {
    refs: rollout?.refs,
    fields,
    drop,
    image: valuesImage,
    isAdopting: params.isAdopting === true,
  }
  const command = upgradeCommand(helm, spec, facts, runtime)
  const { run, watched, startedMs } = await runUpgrade(
    { ...helm, env: command.env },
    {
      spec: command.spec,
      image: params.image,
      isImagePinned: params.isImagePinned === true,
      args: command.args,
    },
    rollout,
    deps.describeImage,
    await (await ahead)?.take(command),
  )
  recordHelm(deps.record, spec, { startMs: startedMs, endMs: runtime.now(), run, watched })
  const held = await (await ahead)?.held()
  if (held !== undefined) deps.record(held)
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

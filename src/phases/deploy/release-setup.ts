import type { ImageRef } from '../../lib/image-ref.js'
import type { Runtime } from '../../runner/runtime.js'
import type { ReleaseSpec } from '../../helm/args.js'
import type { ReleaseWhere, StoredHistory } from '../../helm/storage.js'
import { setUpHelmInGroup, type HelmCli } from '../../helm/cli.js'
import { buildHelmEnv } from '../../helm/env.js'
import { startReleaseLock, type LockOutcome } from './lock/index.js'
import { HISTORY_DEPTH } from './prepare.js'
import type { DeployDeps, DeployReleaseParams } from './release-types.js'

/** What deployRelease does before and around its main line: the lock, helm, the history's place. */

export function startLock(params: DeployReleaseParams, deps: DeployDeps): Promise<LockOutcome | undefined> {
  const { lock, spec } = params
  if (lock === undefined || spec.isDryRun || deps.connectLeases === undefined)
    return Promise.resolve(undefined)
  return startReleaseLock(
    { ...lock, release: spec.release, namespace: spec.namespace },
    { connect: deps.connectLeases, runtime: deps.runtime, time: deps.time, memory: deps.leaseMemory },
  )
}

export /** The history of a deploy that stops before reading it (the lock was refused). */
const NO_HISTORY: StoredHistory = { entries: [], refusal: undefined, records: undefined }

/** Where the release's history is read: helm's storage through the deploy's own client. */
export function releaseWhere(params: DeployReleaseParams, deps: DeployDeps): ReleaseWhere {
  const { release, namespace } = params.spec
  return { release, namespace, max: HISTORY_DEPTH, env: params.jobEnv, connect: deps.connectKube }
}

/**
 * keep-failed-install on a first install: no automatic rollback (which would uninstall it), the same wait.
 * A fail-fast stop then leaves the failed revision and its pods for debugging.
 */
export function keepingFailedInstall(
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
export async function setUpHelmOnce(params: DeployReleaseParams, deps: DeployDeps): Promise<HelmCli> {
  const env = buildHelmEnv(params)
  if (deps.headStart === undefined)
    return deps.time('helm setup', () => setUpHelmInGroup(params, env, deps.runtime, deps.timeouts))
  await deps.headStart.printLog()
  const helm = await deps.headStart.helm
  return { ...helm, env, runtime: deps.runtime, timeouts: deps.timeouts ?? helm.timeouts }
}

/** The image helm gets as values; none when it is pinned into the manifests. */
export const valuesImageOf = (params: DeployReleaseParams): ImageRef | undefined =>
  params.isImagePinned === true ? undefined : params.image

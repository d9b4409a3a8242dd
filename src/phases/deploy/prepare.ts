import { ActionError, messageOf } from '../../lib/errors.js'
import type { ImageRef } from '../../lib/image-ref.js'
import type { Runtime } from '../../runner/runtime.js'
import { buildHelmArgs, buildTemplateArgs, type ReleaseSpec } from '../../helm/args.js'
import { helmTimedOut, operationDeadline, queryHelm, readHistory, type HelmCli } from '../../helm/cli.js'
import { lastHelmError } from '../../helm/failure.js'
import { decidePending, describeAge } from './helm/pending.js'
import type { HistoryEntry } from '../../helm/result.js'
import type { ClusterIdentity } from '../../helm/unauthorized.js'
import type { HelmRecord, KubeApi } from '../../kube/kube-api.js'
import type { NamespaceLookup } from './namespace.js'
import { startFieldCheck, type FieldReport } from './fields/index.js'
import { checkAccess } from './rollout/preflight.js'
import { renderedObjects, templateObjects, workloadRefs, type RenderedObject } from './rollout/rendered.js'
import { workloadStatuses, type WorkloadRef, type WorkloadStatus } from './rollout/workloads.js'

/** What the rollout watch and the diagnosis work with: the API as helm's identity, and what to watch. */
export interface Rollout {
  readonly kube: KubeApi
  readonly refs: readonly WorkloadRef[]
  /** The workloads before helm runs (empty when they could not be read). */
  readonly before: readonly WorkloadStatus[]
}

export interface PrepareParams {
  /** With shouldCreateNamespace as helm gets it (shouldHelmCreateNamespace). */
  readonly spec: ReleaseSpec
  readonly namespace: NamespaceLookup
  /** The release's revisions before this deploy (none: helm installs). */
  readonly history: readonly HistoryEntry[]
  /** The records of helm's storage that history was read from: the last manifest is read there, not listed again. */
  readonly records?: readonly HelmRecord[] | undefined
  readonly image: ImageRef | undefined
  readonly cluster: ClusterIdentity | undefined
  /** Objects kubectl made are adopted (plain manifests): they are checked on a first install too. */
  readonly isAdopting?: boolean
}

const HISTORY_DEPTH = 20

/**
 * A release left pending by a killed deploy: refused with the facts, or (recover-pending, and older
 * than timeout) rolled back or uninstalled. Returns the history to continue with, or the failure.
 */
export async function settlePending(
  helm: HelmCli,
  spec: ReleaseSpec,
  history: readonly HistoryEntry[],
): Promise<{ readonly history: readonly HistoryEntry[]; readonly failure?: ActionError }> {
  const { runtime } = helm
  const decision = decidePending(history, {
    ...spec,
    shouldRecover: spec.shouldRecoverPending,
    nowMs: runtime.now(),
  })
  if (decision.kind === 'none') return { history }
  if (decision.kind === 'refuse') return { history, failure: decision.error }
  const { release, namespace } = spec
  const { pending, ageSeconds } = decision
  const args =
    decision.kind === 'rollback'
      ? ['rollback', release, String(decision.revision), '--namespace', namespace, '--timeout', spec.timeout]
      : ['uninstall', release, '--namespace', namespace, '--timeout', spec.timeout]
  const what =
    decision.kind === 'rollback'
      ? `rolling back to revision ${decision.revision}`
      : 'uninstalling it (it never deployed)'
  return runtime.group(
    `Recover release ${release}: revision ${pending.revision} is ${pending.status}`,
    async () => {
      runtime.warning(
        `recover-pending: revision ${pending.revision} of ${release} has been ${pending.status} since ${describeAge(ageSeconds)} (longer than timeout ${spec.timeout}, so no deploy is still running it): ${what}.`,
      )
      const deadline = operationDeadline(helm, spec.timeoutSeconds)
      const stop = deadline.signal
      const result = await runtime.exec(helm.binary, args, {
        env: helm.env,
        shouldForwardSignals: true,
        stop,
      })
      if (stop.aborted)
        return { history, failure: helmTimedOut(`recover-pending: helm ${args[0] ?? ''}`, deadline.ms) }
      if (result.exitCode !== 0) {
        const error = new ActionError(
          `recover-pending: helm ${args[0] ?? ''} of release ${release} failed: ${lastHelmError(result.stderr)}`,
          {
            hint: `Look at \`helm history ${release} -n ${namespace}\` and free the release by hand.`,
          },
        )
        return { history, failure: error }
      }
      return { history: (await readHistory(helm, release, namespace, HISTORY_DEPTH)).entries }
    },
  )
}

/**
 * Before the upgrade: render the release as helm will apply it (a server-side dry run: no Secret data
 * comes back), connect to the API as helm's identity, and check its access (preflight). Returns what
 * the watch needs, or the access failure. Anything else that goes wrong here only costs the watch.
 */
export async function prepareRollout(
  helm: HelmCli,
  params: PrepareParams,
  connect: () => Promise<KubeApi>,
  /** A local chart's objects rendered ahead (`helm template`): no server-side dry run then. */
  renderedAhead?: Promise<RenderedObject[] | undefined>,
): Promise<{
  readonly rollout: Rollout | undefined
  readonly failure?: ActionError
  readonly fields?: FieldReport
}> {
  const { runtime } = helm
  const { spec } = params
  const title = spec.isPreflight
    ? `Pre-flight: what release ${spec.release} needs in namespace ${spec.namespace}`
    : `Render release ${spec.release} for the rollout watch`
  return runtime.group(title, async () => {
    // The Kubernetes client loads (150-200 ms of compiling) while helm renders.
    const connecting = connect().then(
      (kube) => ({ kube }),
      (error: unknown) => ({ error }),
    )
    // The last revision's manifest is read while the release renders.
    const where = {
      release: spec.release,
      namespace: spec.namespace,
      env: helm.env,
      connect,
      records: params.records,
    }
    const fieldCheck = startFieldCheck(helm, { ...params, isAdopting: params.isAdopting === true, where })
    const objects = (await renderedAhead) ?? (await renderRelease(helm, params))
    if (objects === undefined) return { rollout: undefined }
    const connected = await connecting
    if ('error' in connected) {
      runtime.warning(
        `No rollout watch or pre-flight: cannot reach the Kubernetes API (${messageOf(connected.error)}).`,
      )
      return { rollout: undefined }
    }
    const { kube } = connected
    const refs = workloadRefs(
      objects.filter((o) => o.namespace === undefined || o.namespace === spec.namespace),
    )
    runtime.info(`The release renders ${describeObjects(objects)}.`)
    // The workloads as they are before helm runs (their revisions tell helm's rollback from the
    // rollout), read while the access reviews are out: both are reads, and helm starts after both.
    const [failure, before, fields] = await Promise.all([
      spec.isPreflight ? preflight(helm, params, objects, kube) : undefined,
      kube
        .snapshot(spec.namespace)
        .then((snapshot) => workloadStatuses(refs, spec.namespace, snapshot))
        .catch(() => []),
      fieldCheck?.(objects, kube),
    ])
    if (failure !== undefined) return { rollout: undefined, failure }
    return { rollout: { kube, refs, before }, ...(fields === undefined ? {} : { fields }) }
  })
}

async function preflight(
  helm: HelmCli,
  params: PrepareParams,
  objects: readonly RenderedObject[],
  kube: KubeApi,
): Promise<ActionError | undefined> {
  const { runtime } = helm
  const { spec, history } = params
  try {
    const { questions } = await checkAccess(
      {
        release: spec.release,
        namespace: spec.namespace,
        objects,
        helmMajor: helm.version.major,
        isInstall: history.length === 0,
        shouldCreateNamespace: spec.shouldCreateNamespace,
        namespaceState: params.namespace.state,
        isWaiting: spec.shouldWait || spec.isAtomic,
        isAtomic: spec.isAtomic,
        // Before it stores a revision, helm deletes the oldest ones beyond history-max (0: keep all).
        isPruning: spec.historyMax > 0 && history.length >= spec.historyMax,
        cluster: params.cluster,
      },
      kube,
    )
    runtime.info(`Access: ${questions} SelfSubjectAccessReviews, all allowed.`)
    return undefined
  } catch (error) {
    if (error instanceof ActionError) return error
    runtime.warning(`The access pre-flight could not run (helm runs anyway): ${messageOf(error)}`)
    return undefined
  }
}

async function renderRelease(helm: HelmCli, params: PrepareParams): Promise<RenderedObject[] | undefined> {
  const { runtime } = helm
  let args: string[]
  try {
    // The watch and the pre-flight need kinds and names only: Secrets stay out of this render whole.
    args = [...buildHelmArgs(helm.version, { ...params.spec, isDryRun: true }, params.image), '--hide-secret']
  } catch (error) {
    runtime.warning(`No rollout watch or pre-flight: ${messageOf(error)}`)
    return undefined
  }
  const server = await queryHelm(helm, args)
  if (server.exitCode === 0) return parseRender(runtime, () => renderedObjects(server.stdout))
  // The server-side dry run reads each object first: an identity that may not read them (the very gap
  // the pre-flight is for) fails it. `helm template` names the same objects without the cluster.
  runtime.debug(
    `The server-side dry run failed (${lastHelmError(server.stderr)}); rendering with helm template.`,
  )
  const local = await queryHelm(helm, buildTemplateArgs(params.spec, params.image))
  if (local.exitCode === 0) return parseRender(runtime, () => templateObjects(local.stdout))
  runtime.warning(
    `No rollout watch or pre-flight: the chart could not be rendered (${lastHelmError(local.stderr)}).`,
  )
  return undefined
}

function parseRender(runtime: Runtime, parse: () => RenderedObject[]): RenderedObject[] | undefined {
  try {
    return parse()
  } catch (error) {
    runtime.warning(`No rollout watch or pre-flight: helm's render could not be read (${messageOf(error)}).`)
    return undefined
  }
}

/** `7 objects: 1 Deployment, 1 Service, 1 Job (hook)` */
function describeObjects(objects: readonly RenderedObject[]): string {
  const counts = new Map<string, number>()
  for (const object of objects) {
    const key = `${object.kind}${object.isHook ? ' (hook)' : ''}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  const list = [...counts].map(([kind, count]) => `${count} ${kind}`).join(', ')
  return `${objects.length} object${objects.length === 1 ? '' : 's'}${list === '' ? '' : `: ${list}`}`
}

export { HISTORY_DEPTH }

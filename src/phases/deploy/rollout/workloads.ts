import type { NamespaceSnapshot, Pod, Workload } from '../../../kube/kube-objects.js'
import { describePod, type PodState } from './pod-state.js'
import { PROGRESSIVE_KINDS, progressiveState, type ProgressiveKind } from './progressive.js'

type CoreKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job'
export type WorkloadKind = CoreKind | ProgressiveKind
export const WORKLOAD_KINDS: readonly WorkloadKind[] = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  ...PROGRESSIVE_KINDS,
]
const isProgressive = (kind: WorkloadKind): kind is ProgressiveKind =>
  (PROGRESSIVE_KINDS as readonly string[]).includes(kind)

/** A workload the release renders (its manifest or a hook). */
export interface WorkloadRef {
  readonly kind: WorkloadKind
  readonly name: string
  readonly isHook: boolean
}

export interface WorkloadStatus {
  readonly ref: WorkloadRef
  readonly namespace: string
  readonly exists: boolean
  readonly desired: number
  /** Pods of the new revision that are Ready (a Job: completions). */
  readonly ready: number
  readonly updated: number
  /** Pods of earlier revisions still running (a rolling update keeps them until the new ones are ready). */
  readonly old: number
  /** Which revision is rolling out: a Deployment's newest ReplicaSet, a StatefulSet's update revision. */
  readonly revision: string | undefined
  /** Job: pods that failed so far; the Job's own Failed condition when it gave up. */
  readonly failed: number
  readonly hasFailed: boolean
  readonly isDone: boolean
  /** The pods of the revision being rolled out (all of a Job's pods). */
  readonly pods: readonly PodState[]
  /** The workload's annotation `eks-deploy-action/fail-fast: "false"`: its troubles never stop helm. */
  readonly isFailFastOff: boolean
  /** An Argo Rollout or Flagger Canary: its step, weight and phase; why it failed; whether it is paused. */
  readonly progress?: string
  readonly failure?: string | undefined
  readonly isPaused?: boolean
}

/** The per-workload opt-out of fail-fast (docs/rollouts.md). */
export const FAIL_FAST_ANNOTATION = 'eks-deploy-action/fail-fast'

const ownedBy = (pod: Pod, name: string | undefined): boolean =>
  name !== undefined && (pod.metadata?.ownerReferences ?? []).some((owner) => owner.name === name)

const conditionIs = (workload: Workload, type: string): boolean =>
  (workload.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True')

/** The status of each workload of the release in a snapshot. Pure. */
export function workloadStatuses(
  refs: readonly WorkloadRef[],
  namespace: string,
  snapshot: NamespaceSnapshot,
): WorkloadStatus[] {
  return refs.map((ref) => {
    const kind = ref.kind
    if (isProgressive(kind)) return progressiveStatus(ref, kind, namespace, snapshot)
    const list = listOf(kind, snapshot)
    const workload = list.find((item) => item.metadata?.name === ref.name)
    if (workload === undefined) {
      return {
        ref,
        namespace,
        exists: false,
        desired: 0,
        ready: 0,
        updated: 0,
        old: 0,
        revision: undefined,
        failed: 0,
        hasFailed: false,
        isDone: false,
        pods: [],
        isFailFastOff: false,
      }
    }
    const isFailFastOff =
      workload.metadata?.annotations?.[FAIL_FAST_ANNOTATION]?.trim().toLowerCase() === 'false'
    const { pods: newest, revision } = newRevision(kind, workload, snapshot)
    const pods = newest.map(describePod)
    const counts = countsOf(kind, workload)
    if (ref.kind === 'Job')
      return { ref, namespace, exists: true, ...counts, old: 0, revision, pods, isFailFastOff }
    // The workload's own readyReplicas counts old pods too: a rollout is as ready as its new pods.
    const ready = Math.min(counts.desired, pods.filter((pod) => pod.isReady).length)
    const isDone = counts.isDone && ready >= counts.desired
    return {
      ref,
      namespace,
      exists: true,
      ...counts,
      ready,
      isDone,
      old: oldPods(workload, counts.updated),
      revision,
      pods,
      isFailFastOff,
    }
  })
}

function listOf(kind: CoreKind, snapshot: NamespaceSnapshot): readonly Workload[] {
  switch (kind) {
    case 'Deployment':
      return snapshot.deployments
    case 'StatefulSet':
      return snapshot.statefulSets
    case 'DaemonSet':
      return snapshot.daemonSets
    case 'Job':
      return snapshot.jobs
  }
}

type Counts = Pick<WorkloadStatus, 'desired' | 'ready' | 'updated' | 'failed' | 'hasFailed' | 'isDone'>

function countsOf(kind: CoreKind, w: Workload): Counts {
  const status = w.status ?? {}
  const isCurrent = (status.observedGeneration ?? 0) >= (w.metadata?.generation ?? 0)
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet': {
      const desired = w.spec?.replicas ?? 1
      const ready = status.readyReplicas ?? 0
      const updated = status.updatedReplicas ?? 0
      const isDone = isCurrent && ready >= desired && updated >= desired && (status.replicas ?? 0) <= desired
      return { desired, ready, updated, failed: 0, hasFailed: false, isDone }
    }
    case 'DaemonSet': {
      const desired = status.desiredNumberScheduled ?? 0
      const ready = status.numberReady ?? 0
      const updated = status.updatedNumberScheduled ?? 0
      return {
        desired,
        ready,
        updated,
        failed: 0,
        hasFailed: false,
        isDone: isCurrent && ready >= desired && updated >= desired,
      }
    }
    case 'Job': {
      const desired = w.spec?.completions ?? 1
      const succeeded = status.succeeded ?? 0
      return {
        desired,
        ready: succeeded,
        updated: succeeded,
        failed: status.failed ?? 0,
        hasFailed: conditionIs(w, 'Failed'),
        isDone: conditionIs(w, 'Complete') || succeeded >= desired,
      }
    }
  }
}

/**
 * The pods of the revision being rolled out: a Deployment's newest ReplicaSet (the one whose revision
 * annotation equals the Deployment's), a StatefulSet's update revision, a DaemonSet's template
 * generation, all of a Job's pods. Old pods failing do not make a new rollout hopeless.
 */
function newRevision(
  kind: CoreKind,
  w: Workload,
  snapshot: NamespaceSnapshot,
): { pods: readonly Pod[]; revision: string | undefined } {
  const name = w.metadata?.name
  switch (kind) {
    case 'Deployment': {
      const revision = w.metadata?.annotations?.[REVISION]
      const replicaSet = snapshot.replicaSets.find(
        (rs) =>
          (rs.metadata?.ownerReferences ?? []).some((o) => o.kind === 'Deployment' && o.name === name) &&
          rs.metadata?.annotations?.[REVISION] === revision,
      )
      const rsName = revision === undefined ? undefined : replicaSet?.metadata?.name
      const pods = rsName === undefined ? [] : snapshot.pods.filter((pod) => ownedBy(pod, rsName))
      return { pods, revision: rsName }
    }
    case 'StatefulSet': {
      const update = w.status?.updateRevision
      const pods = snapshot.pods.filter(
        (pod) =>
          ownedBy(pod, name) &&
          (update === undefined || pod.metadata?.labels?.['controller-revision-hash'] === update),
      )
      return { pods, revision: update }
    }
    case 'DaemonSet': {
      const generation = String(w.metadata?.generation ?? '')
      const pods = snapshot.pods.filter(
        (pod) =>
          ownedBy(pod, name) &&
          (pod.metadata?.labels?.['pod-template-generation'] ?? generation) === generation,
      )
      return { pods, revision: undefined }
    }
    case 'Job':
      return { pods: snapshot.pods.filter((pod) => ownedBy(pod, name)), revision: undefined }
  }
}

const REVISION = 'deployment.kubernetes.io/revision'

function progressiveStatus(
  ref: WorkloadRef,
  kind: ProgressiveKind,
  namespace: string,
  snapshot: NamespaceSnapshot,
): WorkloadStatus {
  const state = progressiveState(kind, ref.name, snapshot)
  const list = kind === 'Rollout' ? snapshot.rollouts : snapshot.canaries
  const annotations = list?.find((item) => item.metadata?.name === ref.name)?.metadata?.annotations
  return {
    ref,
    namespace,
    exists: state.exists,
    desired: state.desired,
    ready: state.ready,
    updated: state.updated,
    old: 0,
    revision: state.revision,
    failed: 0,
    hasFailed: state.failure !== undefined,
    isDone: state.isDone,
    pods: state.pods,
    isFailFastOff: annotations?.[FAIL_FAST_ANNOTATION]?.trim().toLowerCase() === 'false',
    progress: state.progress,
    failure: state.failure,
    isPaused: state.isPaused,
  }
}

/** Pods beyond the updated ones: a Deployment's or StatefulSet's replicas of earlier revisions. */
function oldPods(workload: Workload, updated: number): number {
  const total = workload.status?.replicas ?? workload.status?.desiredNumberScheduled ?? 0
  return Math.max(0, total - updated)
}

/** `Deployment shop/web: 1/2 ready, 2/2 updated`; a Job counts completions. */
export function describeWorkloadLine(status: WorkloadStatus): string {
  const { ref, namespace } = status
  const head = `${ref.isHook ? 'hook ' : ''}${ref.kind} ${namespace}/${ref.name}`
  if (!status.exists) return `${head}: not created yet`
  if (ref.kind === 'Job') {
    const failed = status.failed > 0 ? `, ${status.failed} failed` : ''
    const state = status.hasFailed ? ' (gave up)' : status.isDone ? ' (complete)' : ''
    return `${head}: ${status.ready}/${status.desired} succeeded${failed}${state}`
  }
  if (status.progress !== undefined) return `${head}: ${status.progress}`
  const old = status.old > 0 ? `, ${status.old} old pod${status.old === 1 ? '' : 's'} still running` : ''
  return `${head}: ${status.ready}/${status.desired} ready, ${status.updated}/${status.desired} updated${old}`
}

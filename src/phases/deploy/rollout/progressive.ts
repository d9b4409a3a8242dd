import type { NamespaceSnapshot, ProgressiveObject } from '../../../kube/kube-objects.js'
import { describePod } from './pod-state.js'

/** Kinds of progressive delivery whose status kstatus cannot judge: Argo Rollouts and Flagger canaries. */
export type ProgressiveKind = 'Rollout' | 'Canary'
export const PROGRESSIVE_KINDS: readonly ProgressiveKind[] = ['Rollout', 'Canary']

/** What a Rollout's or a Canary's status says, in the terms of the watch. */
export interface ProgressiveState {
  readonly exists: boolean
  readonly desired: number
  readonly ready: number
  readonly updated: number
  readonly revision: string | undefined
  readonly isDone: boolean
  /** Degraded, aborted (Rollout) or Failed (Canary): no wait can fix it. */
  readonly failure: string | undefined
  /** Paused at a step (Rollout) or waiting for approval (Canary). */
  readonly isPaused: boolean
  /** `step 2/4, canary weight 20 %, Paused (CanaryPauseStep)` */
  readonly progress: string
  readonly pods: ReturnType<typeof describePod>[]
}

const ROLLOUT_POD_HASH = 'rollouts-pod-template-hash'

/** A Rollout's or Canary's state in a snapshot. Pure. */
export function progressiveState(
  kind: ProgressiveKind,
  name: string,
  snapshot: NamespaceSnapshot,
): ProgressiveState {
  const list = kind === 'Rollout' ? snapshot.rollouts : snapshot.canaries
  const object = list?.find((item) => item.metadata?.name === name)
  if (object === undefined)
    return {
      exists: false,
      desired: 0,
      ready: 0,
      updated: 0,
      revision: undefined,
      isDone: false,
      failure: undefined,
      isPaused: false,
      progress: '',
      pods: [],
    }
  const state = kind === 'Rollout' ? rolloutState(object, snapshot) : canaryState(object)
  return isStale(object) ? { ...state, isDone: false, failure: undefined, isPaused: false } : state
}

/**
 * A status the controller wrote for an earlier generation (right after helm's upgrade, an old Healthy or
 * Degraded): neither done nor failed yet. Without observedGeneration (an older controller): as it says.
 */
function isStale(object: ProgressiveObject): boolean {
  const observed = object.status?.observedGeneration
  const generation = object.metadata?.generation
  if (observed === undefined || generation === undefined || !/^\d+$/.test(String(observed))) return false
  return Number(observed) < generation
}

/** Argo Rollouts: status.phase Healthy / Progressing / Paused / Degraded, status.abort, the current step. */
function rolloutState(rollout: ProgressiveObject, snapshot: NamespaceSnapshot): ProgressiveState {
  const status = rollout.status ?? {}
  const phase = status.phase ?? 'Progressing'
  const hash = status.currentPodHash
  const pods = snapshot.pods
    .filter((pod) => hash !== undefined && pod.metadata?.labels?.[ROLLOUT_POD_HASH] === hash)
    .map(describePod)
  const steps = rollout.spec?.strategy?.canary?.steps?.length
  const step =
    steps === undefined || steps === 0
      ? undefined
      : `step ${Math.min(status.currentStepIndex ?? 0, steps)}/${steps}`
  const weight = status.canary?.weights?.canary?.weight
  const pause = status.pauseConditions?.map((c) => c.reason ?? 'paused').join(', ')
  const isPaused = phase === 'Paused' || (status.pauseConditions?.length ?? 0) > 0
  const failure =
    status.abort === true
      ? `aborted: ${status.message ?? ''}`
      : phase === 'Degraded'
        ? `Degraded: ${status.message ?? ''}`
        : undefined
  return {
    exists: true,
    desired: rollout.spec?.replicas ?? 1,
    ready: Math.min(rollout.spec?.replicas ?? 1, pods.filter((pod) => pod.isReady).length),
    updated: status.updatedReplicas ?? 0,
    revision: hash,
    isDone: phase === 'Healthy',
    failure: failure?.replace(/: $/, ''),
    isPaused,
    progress: [
      step,
      weight === undefined ? undefined : `canary weight ${weight} %`,
      `${phase}${pause === undefined || pause === '' ? '' : ` (${pause})`}`,
    ]
      .filter((part) => part !== undefined)
      .join(', '),
    pods,
  }
}

/** Flagger: status.phase Initialized / Progressing / Waiting / Promoting / Finalising / Succeeded / Failed. */
function canaryState(canary: ProgressiveObject): ProgressiveState {
  const status = canary.status ?? {}
  const phase = status.phase ?? 'Initializing'
  const checks = status.failedChecks ?? 0
  return {
    exists: true,
    desired: 1,
    ready: phase === 'Succeeded' || phase === 'Initialized' ? 1 : 0,
    updated: 0,
    revision: undefined,
    isDone: phase === 'Succeeded' || phase === 'Initialized',
    failure: phase === 'Failed' ? `Failed${checks > 0 ? ` after ${checks} failed checks` : ''}` : undefined,
    isPaused: phase === 'Waiting' || phase === 'WaitingPromotion',
    progress: [
      phase,
      status.canaryWeight === undefined ? undefined : `canary weight ${status.canaryWeight} %`,
      checks > 0 ? `${checks} failed check${checks === 1 ? '' : 's'}` : undefined,
    ]
      .filter((part) => part !== undefined)
      .join(', '),
    pods: [],
  }
}

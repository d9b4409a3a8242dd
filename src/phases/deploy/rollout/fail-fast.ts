import { CONFIG_REASONS, IMAGE_PULL_REASONS, type ContainerTrouble, type PodState } from './pod-state.js'
import type { WorkloadStatus } from './workloads.js'

/** Why a rollout cannot succeed, found while helm still waits. */
export interface HopelessRollout {
  /** The kubelet's reason (CrashLoopBackOff, ImagePullBackOff, ...) or `JobFailed`. */
  readonly reason: string
  readonly workload: WorkloadStatus
  readonly pod: PodState | undefined
  readonly container: ContainerTrouble | undefined
  /** The rule, for the log: `3 restarts`, `for 60 s`. */
  readonly rule: string
}

/**
 * The rules (issue 10), each a state no wait can fix:
 * - a container of the new revision in CrashLoopBackOff with 3 or more restarts;
 * - ImagePullBackOff / ErrImagePull / InvalidImageName that persists 60 s (a registry can be briefly slow);
 * - CreateContainerConfigError / CreateContainerError that persists 30 s (a Secret created by a hook can be late);
 * - a Job that gave up (its Failed condition: backoffLimit reached).
 * Never an unschedulable pod (a cluster autoscaler may be adding a node) and never a pod that is only slow to
 * become Ready: those wait for helm's timeout.
 */
export const FAIL_FAST_RULES = {
  crashLoopRestarts: 3,
  imagePullSeconds: 60,
  configErrorSeconds: 30,
} as const

/** ErrImagePull and ImagePullBackOff alternate for one failing pull: one clock for the family. */
function family(reason: string | undefined): string {
  if (reason === undefined) return ''
  if (IMAGE_PULL_REASONS.includes(reason)) return 'image-pull'
  return CONFIG_REASONS.includes(reason) ? 'config' : reason
}

/**
 * Remembers when each container was first seen in a waiting state, so that "persists N s" is measured
 * from the watch's own observations (the API keeps no start time for a waiting reason).
 */
export class HopelessDetector {
  private readonly firstSeen = new Map<string, number>()

  constructor(private readonly rules: typeof FAIL_FAST_RULES = FAIL_FAST_RULES) {}

  /** The first hopeless workload in this observation, or undefined. */
  observe(workloads: readonly WorkloadStatus[], nowMs: number): HopelessRollout | undefined {
    const seen = new Set<string>()
    let verdict: HopelessRollout | undefined
    for (const workload of workloads) {
      if (workload.hasFailed)
        verdict ??= {
          reason: 'JobFailed',
          workload,
          pod: undefined,
          container: undefined,
          rule: 'backoffLimit reached',
        }
      for (const pod of workload.pods) {
        for (const container of pod.troubles) {
          const key = `${pod.name}/${container.container}/${family(container.waitingReason)}`
          seen.add(key)
          const since = this.firstSeen.get(key) ?? nowMs
          this.firstSeen.set(key, since)
          verdict ??= this.judge(container, (nowMs - since) / 1000, { workload, pod })
        }
      }
    }
    for (const key of this.firstSeen.keys()) if (!seen.has(key)) this.firstSeen.delete(key)
    return verdict
  }

  private judge(
    container: ContainerTrouble,
    persistedSeconds: number,
    where: { workload: WorkloadStatus; pod: PodState },
  ): HopelessRollout | undefined {
    const reason = container.waitingReason
    if (reason === undefined) return undefined
    const verdict = (rule: string): HopelessRollout => ({ reason, ...where, container, rule })
    if (reason === 'CrashLoopBackOff' && container.restarts >= this.rules.crashLoopRestarts)
      return verdict(`${container.restarts} restarts`)
    if (IMAGE_PULL_REASONS.includes(reason) && persistedSeconds >= this.rules.imagePullSeconds)
      return verdict(`for ${Math.round(persistedSeconds)} s`)
    if (CONFIG_REASONS.includes(reason) && persistedSeconds >= this.rules.configErrorSeconds)
      return verdict(`for ${Math.round(persistedSeconds)} s`)
    return undefined
  }
}

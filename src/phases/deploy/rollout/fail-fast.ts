import { CONFIG_REASONS, IMAGE_PULL_REASONS, type ContainerTrouble, type PodState } from './pod-state.js'
import { FAIL_FAST_ANNOTATION, type WorkloadStatus } from './workloads.js'

/** Why a rollout cannot succeed, found while helm still waits. */
export interface HopelessRollout {
  /** The kubelet's reason (CrashLoopBackOff, ImagePullBackOff, ...) or `JobFailed`. */
  readonly reason: string
  readonly workload: WorkloadStatus
  readonly pod: PodState | undefined
  readonly container: ContainerTrouble | undefined
  /** The rule that fired, for the log: `crash-loop: 3 restarts; every new pod so far (1 of 1)`. */
  readonly rule: string
  /** How to relax it, for the log and the step's hint. */
  readonly relax: string
}

/**
 * The last log line of one run of a container (pod, container, its restartCount when the run was seen),
 * as the diagnosis fetched it; undefined when not fetched (log-lines: 0, no access, not yet).
 */
export type LastLogLine = (pod: string, container: string, restarts: number) => string | undefined

/**
 * The rules (issue 10, issue 23), each a state no wait can fix, for a pod of the revision being rolled out:
 * - a container in CrashLoopBackOff with 3 or more restarts;
 * - the same container failed the same way twice (same reason and exit code, same last log line) and no
 *   pod of the new revision was ever Ready: with the kubelet's back-off (10 s, doubling) that is ~10 s after
 *   the first crash instead of ~70 s for the third restart;
 * - ImagePullBackOff / ErrImagePull / InvalidImageName that persists 60 s (a registry can be briefly slow);
 * - CreateContainerConfigError / CreateContainerError that persists 30 s (a Secret created by a hook can be late);
 * - a Job that gave up (its Failed condition: backoffLimit reached).
 * A pod's trouble stops helm only when every new pod so far is failing, or at least `failingShare` of the
 * workload's replicas are: one crash-looping pod of fifty while the rest roll out is a warning. Never an
 * unschedulable pod (a cluster autoscaler may be adding a node), never a pod that is only slow to become Ready,
 * never a workload annotated `eks-deploy-action/fail-fast: "false"`: those wait for helm's timeout.
 */
export const FAIL_FAST_RULES = {
  crashLoopRestarts: 3,
  imagePullSeconds: 60,
  configErrorSeconds: 30,
  failingShare: 0.25,
} as const

export type OnPaused = 'wait' | 'fail' | 'report'

/** A container of a new pod that meets a rule; whether it stops helm depends on its workload. */
interface Suspect {
  readonly pod: PodState
  readonly container: ContainerTrouble
  readonly reason: string
  readonly rule: string
}

/** ErrImagePull and ImagePullBackOff alternate for one failing pull: one clock for the family. */
function family(reason: string | undefined): string {
  if (reason === undefined) return ''
  if (IMAGE_PULL_REASONS.includes(reason)) return 'image-pull'
  return CONFIG_REASONS.includes(reason) ? 'config' : reason
}

const workloadName = (w: WorkloadStatus): string =>
  `${w.ref.isHook ? 'hook ' : ''}${w.ref.kind} ${w.namespace}/${w.ref.name}`

/** How to relax any rule for one workload: its annotation, or the input for all. */
function relaxOf(workload: WorkloadStatus): string {
  return `to let helm wait for its timeout instead, annotate ${workloadName(workload)} with ${FAIL_FAST_ANNOTATION}: "false" (in the chart), or set fail-fast: false for every workload`
}

/** `Error (exit 1)` */
function endOf(container: ContainerTrouble): string {
  const last = container.lastTermination
  return last === undefined ? 'failed' : `${last.reason} (exit ${last.exitCode ?? '?'})`
}

/**
 * Remembers what the watch saw across polls: when each container was first seen in a waiting state (the
 * API keeps no start time for a waiting reason), how each run of a crashing container ended, which new
 * revisions ever had a Ready pod, and which warnings were given.
 */
export class HopelessDetector {
  private readonly firstSeen = new Map<string, number>()
  private readonly runs = new Map<string, Map<number, string>>()
  private readonly everReady = new Set<string>()
  private readonly warned = new Set<string>()
  private readonly optedOut = new Set<string>()
  private pending: string[] = []

  constructor(
    private readonly rules: typeof FAIL_FAST_RULES = FAIL_FAST_RULES,
    /** on-paused-rollout: a paused Argo Rollout or Flagger Canary waits, fails, or is reported. */
    private readonly onPaused: OnPaused = 'wait',
  ) {}

  /** The first hopeless workload in this observation, or undefined. */
  observe(
    workloads: readonly WorkloadStatus[],
    nowMs: number,
    lastLogLine?: LastLogLine,
  ): HopelessRollout | undefined {
    const seen = new Set<string>()
    let verdict: HopelessRollout | undefined
    for (const workload of workloads) {
      const suspects = this.suspectsOf(workload, nowMs, seen, lastLogLine)
      const found = this.judgeWorkload(workload, suspects)
      verdict ??= found
    }
    for (const key of this.firstSeen.keys()) if (!seen.has(key)) this.firstSeen.delete(key)
    return verdict
  }

  /** The warnings of troubles that did not stop helm, each once, since the last call. */
  takeWarnings(): string[] {
    const warnings = this.pending
    this.pending = []
    return warnings
  }

  private warnOnce(key: string, text: string): void {
    if (this.warned.has(key)) return
    this.warned.add(key)
    this.pending.push(text)
  }

  private suspectsOf(
    workload: WorkloadStatus,
    nowMs: number,
    seen: Set<string>,
    lastLogLine: LastLogLine | undefined,
  ): Suspect[] {
    const revision = `${workload.ref.kind}/${workload.ref.name}@${workload.revision ?? ''}`
    if (workload.pods.some((pod) => pod.isReady)) this.everReady.add(revision)
    const suspects: Suspect[] = []
    for (const pod of workload.pods) {
      for (const container of pod.troubles) {
        const key = `${pod.name}/${container.container}/${family(container.waitingReason)}`
        seen.add(key)
        const since = this.firstSeen.get(key) ?? nowMs
        this.firstSeen.set(key, since)
        const twice = this.sameFailureTwice(pod, container, lastLogLine, this.everReady.has(revision))
        const rule = this.ruleOf(container, (nowMs - since) / 1000) ?? twice
        if (rule !== undefined)
          suspects.push({
            pod,
            container,
            reason: container.waitingReason ?? container.lastTermination?.reason ?? 'Failed',
            rule,
          })
      }
    }
    return suspects
  }

  private ruleOf(container: ContainerTrouble, persistedSeconds: number): string | undefined {
    const reason = container.waitingReason
    if (reason === undefined) return undefined
    if (reason === 'CrashLoopBackOff' && container.restarts >= this.rules.crashLoopRestarts)
      return `crash-loop: ${container.restarts} restarts`
    if (IMAGE_PULL_REASONS.includes(reason) && persistedSeconds >= this.rules.imagePullSeconds)
      return `image pull failing for ${Math.round(persistedSeconds)} s`
    if (CONFIG_REASONS.includes(reason) && persistedSeconds >= this.rules.configErrorSeconds)
      return `container config error for ${Math.round(persistedSeconds)} s`
    return undefined
  }

  /**
   * Two runs of one container (two restart counts of one pod) that ended the same way, with the same
   * last log line, while no pod of the new revision was ever Ready. Without the log line (log-lines: 0,
   * no pods/log access) this rule never fires: the 3-restart rule still does.
   */
  private sameFailureTwice(
    pod: PodState,
    container: ContainerTrouble,
    lastLogLine: LastLogLine | undefined,
    hasBeenReady: boolean,
  ): string | undefined {
    const last = container.lastTermination
    if (last === undefined || lastLogLine === undefined) return undefined
    const line = lastLogLine(pod.name, container.container, container.restarts)
    if (line === undefined) return undefined
    const key = `${pod.name}/${container.container}`
    const runs = this.runs.get(key) ?? new Map<number, string>()
    this.runs.set(key, runs)
    const signature = `${last.reason}\n${String(last.exitCode)}\n${line}`
    runs.set(container.restarts, signature)
    if (hasBeenReady) return undefined
    const same = [...runs.values()].filter((s) => s === signature).length
    return same >= 2
      ? `same failure twice: ${endOf(container)} with the same last log line, and no new pod was ever Ready`
      : undefined
  }

  private judgeWorkload(workload: WorkloadStatus, suspects: readonly Suspect[]): HopelessRollout | undefined {
    const name = workloadName(workload)
    const first = suspects[0]
    // Sticky: helm's rollback re-applies the previous manifest, which may lack the annotation, while the
    // failing pods of the annotated revision are still there.
    if (workload.isFailFastOff) this.optedOut.add(name)
    if (this.optedOut.has(name)) {
      if (workload.hasFailed || first !== undefined)
        this.warnOnce(
          `off:${name}`,
          `fail-fast is off for ${name} (annotation ${FAIL_FAST_ANNOTATION}: "false"): ${first === undefined ? 'it failed' : `pod ${first.pod.name}: ${first.rule}`}; helm waits for its timeout.`,
        )
      return undefined
    }
    if (workload.hasFailed)
      return {
        reason: workload.failure === undefined ? 'JobFailed' : `${workload.ref.kind}Failed`,
        workload,
        pod: undefined,
        container: undefined,
        rule:
          workload.failure === undefined
            ? 'job failed: backoffLimit reached'
            : `${workload.ref.kind} ${workload.failure}`,
        relax: relaxOf(workload),
      }
    if (workload.isPaused === true && this.onPaused !== 'wait') {
      const paused = `${name} is paused (${workload.progress ?? ''})`
      if (this.onPaused === 'fail')
        return {
          reason: 'Paused',
          workload,
          pod: undefined,
          container: undefined,
          rule: `paused: ${workload.progress ?? ''} with on-paused-rollout: fail`,
          relax: 'set on-paused-rollout: wait to wait for its promotion within the timeout',
        }
      this.warnOnce(`paused:${name}`, `${paused}: it waits for a promotion; helm goes on waiting.`)
    }
    if (first === undefined) return undefined
    const failing = new Set(suspects.map((s) => s.pod.name)).size
    const newPods = workload.pods.length
    const threshold = Math.max(1, Math.ceil(workload.desired * this.rules.failingShare))
    const isEvery = failing >= newPods
    if (!isEvery && failing < threshold) {
      for (const suspect of suspects)
        this.warnOnce(
          `few:${suspect.pod.name}`,
          `fail-fast: pod ${suspect.pod.name} of ${name}: ${suspect.rule}; ${failing} of ${newPods} new pods fail, fewer than ${threshold} of ${workload.desired} replicas and not every new pod: helm goes on waiting.`,
        )
      return undefined
    }
    const share = isEvery
      ? `every new pod so far (${failing} of ${newPods})`
      : `${failing} of ${workload.desired} replicas failing (at least ${Math.round(this.rules.failingShare * 100)} %)`
    return {
      reason: first.reason,
      workload,
      pod: first.pod,
      container: first.container,
      rule: `${first.rule}; ${share}`,
      relax: relaxOf(workload),
    }
  }
}

import { messageOf } from '../../../lib/errors.js'
import type { Runtime } from '../../../runner/runtime.js'
import {
  FAIL_FAST_RULES,
  HopelessDetector,
  type HopelessRollout,
  type LastLogLine,
  type OnPaused,
} from './fail-fast.js'
import type { KubeApi } from '../../../kube/kube-api.js'
import { oneLine } from './one-line.js'
import { renderProgress } from './diagnosis-view.js'
import { workloadStatuses, type WorkloadRef, type WorkloadStatus } from './workloads.js'

export interface WatchParams {
  readonly namespace: string
  readonly refs: readonly WorkloadRef[]
  /** The workloads before helm ran: a revision that comes back to one of these is helm's rollback. */
  readonly before?: readonly WorkloadStatus[]
  /** fail-fast: report a hopeless rollout (the caller stops helm); false: only show progress. */
  readonly isFailFast: boolean
  /** on-paused-rollout: what a paused Argo Rollout or Flagger Canary means. */
  readonly onPaused?: OnPaused
  /** helm's own timeout (ms after the watch starts): after it helm rolls back by itself, and fail-fast keeps out. */
  readonly helmTimeoutMs?: number
  /**
   * Aborted when helm returned successfully without judging every workload (an Argo Rollout or a Flagger
   * Canary): the watch then decides readiness itself, bounded by helmTimeoutMs.
   */
  readonly decideAfter?: AbortSignal
  readonly pollIntervalMs?: number
  /** Progress is printed when it changes, and at least this often while waiting. */
  readonly heartbeatMs?: number
}

export interface WatchDeps {
  readonly kube: KubeApi
  readonly runtime: Pick<Runtime, 'info' | 'warning' | 'debug' | 'now' | 'sleep'>
  /** Called once, the moment the rollout is found hopeless (fail-fast only). */
  readonly onHopeless: (verdict: HopelessRollout, last: readonly WorkloadStatus[]) => Promise<void>
  /** Called with every poll's result (the diagnosis keeps crashed containers' logs before a rollback removes them). */
  readonly onPoll?: (workloads: readonly WorkloadStatus[]) => Promise<void>
  /** The last log line of a container's run, as onPoll fetched it (the same-failure-twice rule). */
  readonly lastLogLine?: LastLogLine
}

export interface WatchResult {
  readonly verdict: HopelessRollout | undefined
  /**
   * The workloads as last seen while not all were ready: helm's rollback (after its timeout) makes
   * them ready again before it exits, and the state worth explaining is the one before.
   */
  readonly last: readonly WorkloadStatus[]
  /**
   * What the watch decided after helm returned (decideAfter): every workload done, done but for a paused
   * one (on-paused-rollout: report), or not done within helm's timeout. Undefined: helm decided.
   */
  readonly readiness?: 'ready' | 'paused' | 'not-ready'
}

const POLL_INTERVAL_MS = 2_000
const HEARTBEAT_MS = 30_000

/**
 * Watches the release's workloads while helm waits, until `done` is aborted (helm exited) or the
 * rollout is hopeless: polls the namespace (a few list calls a round), prints the progress of each
 * workload and any pod in a notable state when it changes (and at least every 30 s), and applies the
 * fail-fast rules. A failed poll is reported once and retried: watching never fails the deploy.
 */
export async function watchRollout(
  params: WatchParams,
  deps: WatchDeps,
  done: AbortSignal,
): Promise<WatchResult> {
  const { runtime } = deps
  const detector = new HopelessDetector(FAIL_FAST_RULES, params.onPaused)
  const options = { isProgressive: hasProgressive(params.refs) }
  const rollback = new RollbackDetector(params.before ?? [])
  const started = runtime.now()
  let last: readonly WorkloadStatus[] = []
  let lastUnready: readonly WorkloadStatus[] | undefined
  let isRollingBack = false
  let printed = { text: '', at: started }
  let hasWarned = false
  while (!done.aborted) {
    try {
      const now = workloadStatuses(
        params.refs,
        params.namespace,
        await deps.kube.snapshot(params.namespace, options),
      )
      printed = printProgress(now, printed, started, params.heartbeatMs ?? HEARTBEAT_MS, runtime)
      // Once helm rolls back, what is worth explaining is the state before: keep it.
      isRollingBack ||= rollback.isBack(now)
      if (!isRollingBack) {
        last = now
        if (now.some((workload) => !workload.isDone)) lastUnready = now
        await deps.onPoll?.(now)
      }
      const isHelmsTurn = runtime.now() - started >= (params.helmTimeoutMs ?? Number.POSITIVE_INFINITY)
      const verdict =
        params.isFailFast && !isRollingBack && !isHelmsTurn
          ? detector.observe(now, runtime.now(), deps.lastLogLine)
          : undefined
      for (const warning of detector.takeWarnings()) runtime.warning(oneLine(warning, 600))
      // helm may have ended while this poll ran: its own failure is then not fail-fast's doing.
      if (verdict !== undefined && !hasEnded(done)) {
        await deps.onHopeless(verdict, last)
        return { verdict, last }
      }
      const readiness = params.decideAfter?.aborted === true ? readinessOf(now, params.onPaused) : undefined
      if (readiness !== undefined) return { verdict: undefined, last, readiness }
    } catch (error) {
      if (!hasWarned) runtime.warning(`Cannot watch the rollout (helm goes on waiting): ${describe(error)}`)
      else runtime.debug(`Rollout poll failed: ${describe(error)}`)
      hasWarned = true
    }
    if (params.decideAfter?.aborted === true && runtime.now() - started >= (params.helmTimeoutMs ?? 0))
      return { verdict: undefined, last: lastUnready ?? last, readiness: 'not-ready' }
    await sleepUntil(runtime, params.pollIntervalMs ?? POLL_INTERVAL_MS, done)
  }
  return { verdict: undefined, last: lastUnready ?? last }
}

function printProgress(
  workloads: readonly WorkloadStatus[],
  printed: { text: string; at: number },
  started: number,
  heartbeatMs: number,
  runtime: WatchDeps['runtime'],
): { text: string; at: number } {
  const lines = renderProgress(workloads)
  const text = lines.join('\n')
  const now = runtime.now()
  if (text === printed.text && now - printed.at < heartbeatMs) return printed
  runtime.info(
    `Rollout, ${Math.round((now - started) / 1000)} s:\n${lines.map((line) => `  ${line}`).join('\n')}`,
  )
  return { text, at: now }
}

const hasEnded = (done: AbortSignal): boolean => done.aborted

/** Every workload done (`ready`), or done but for paused ones under on-paused-rollout: report (`paused`). */
function readinessOf(
  workloads: readonly WorkloadStatus[],
  onPaused: OnPaused | undefined,
): 'ready' | 'paused' | undefined {
  if (workloads.every((workload) => workload.isDone)) return 'ready'
  const isPausedOrDone = (workload: WorkloadStatus): boolean =>
    workload.isDone || (onPaused === 'report' && workload.isPaused === true)
  return workloads.every(isPausedOrDone) ? 'paused' : undefined
}

/** Whether the release renders an Argo Rollout or a Flagger Canary (only then are they listed). */
const hasProgressive = (refs: readonly WorkloadRef[]): boolean =>
  refs.some((ref) => ref.kind === 'Rollout' || ref.kind === 'Canary')

/**
 * Tells helm's rollback from the rollout: a Deployment or StatefulSet whose rolling revision moved away
 * from the one it had before helm ran and then came back to it (a rollback revives the old ReplicaSet).
 */
class RollbackDetector {
  private readonly before: ReadonlyMap<string, string>
  private readonly moved = new Set<string>()

  constructor(before: readonly WorkloadStatus[]) {
    this.before = new Map(
      before.flatMap((w) =>
        w.revision === undefined ? [] : [[`${w.ref.kind}/${w.ref.name}`, w.revision] as const],
      ),
    )
  }

  isBack(now: readonly WorkloadStatus[]): boolean {
    return now.some((w) => {
      const key = `${w.ref.kind}/${w.ref.name}`
      const initial = this.before.get(key)
      if (initial === undefined || w.revision === undefined) return false
      if (w.revision !== initial) this.moved.add(key)
      return w.revision === initial && this.moved.has(key)
    })
  }
}

/**
 * Sleeps `ms`, or less when `done` is aborted first. The sleep gets the signal too, so that its timer
 * is cleared when helm exits: a pending poll timer held the process up to 2 s after the deploy.
 */
async function sleepUntil(runtime: WatchDeps['runtime'], ms: number, done: AbortSignal): Promise<void> {
  if (done.aborted) return
  let onAbort: () => void = () => undefined
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve
    done.addEventListener('abort', onAbort, { once: true })
  })
  await Promise.race([runtime.sleep(ms, done), aborted])
  done.removeEventListener('abort', onAbort)
}

function describe(error: unknown): string {
  return oneLine(messageOf(error))
}

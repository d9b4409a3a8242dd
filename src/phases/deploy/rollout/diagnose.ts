import { messageOf } from '../../../lib/errors.js'
import type { KubeApi } from '../../../kube/kube-api.js'
import { timeOf, type KubeEvent } from '../../../kube/kube-objects.js'
import { IMAGE_PULL_REASONS, type ContainerTrouble, type PodState } from './pod-state.js'
import { workloadStatuses, type WorkloadRef, type WorkloadStatus } from './workloads.js'

export interface ContainerLog {
  readonly pod: string
  readonly container: string
  readonly isPrevious: boolean
  readonly lines: readonly string[]
}

export interface EventSummary {
  /** `Pod/web-7d9c-x2k1` */
  readonly object: string
  readonly reason: string
  readonly message: string
  readonly count: number
  readonly lastSeenMs: number
}

/** What the cluster says about a failed rollout. */
export interface Diagnosis {
  /** The workloads that did not become ready, as last seen while helm waited. */
  readonly workloads: readonly WorkloadStatus[]
  /** Recent Warning events of those workloads and their pods: most recent first, one per distinct message. */
  readonly events: readonly EventSummary[]
  readonly logs: readonly ContainerLog[]
  /** For a pull failure of the image this action deployed: what ECR says about the tag. */
  readonly imageNote: string | undefined
  /** Parts that could not be gathered in time, or at all. */
  readonly gaps: readonly string[]
}

export interface DiagnosticsParams {
  readonly namespace: string
  readonly refs: readonly WorkloadRef[]
  /** log-lines: how many lines of each failing container's log (0: none). */
  readonly logLines: number
  /** The image this action deployed (`<registry>/<repo>`), whose pull failures ECR can explain. */
  readonly imageRepository: string | undefined
}

export interface DiagnosticsDeps {
  readonly kube: KubeApi
  /** What ECR says about an image reference the cluster failed to pull (lazily: only then). */
  readonly describeImage: ((image: string) => Promise<string>) | undefined
}

const MAX_LOGS = 4
const MAX_EVENTS = 12

/** Gathers the diagnosis of a failed rollout; keeps crashed containers' logs while helm still waits. */
export class Diagnostics {
  private readonly logs = new Map<string, ContainerLog>()
  /** The last log line of each run of a crashed container (pod/container/restarts), fetched once per run. */
  private readonly runLastLines = new Map<string, string>()

  constructor(
    private readonly params: DiagnosticsParams,
    private readonly deps: DiagnosticsDeps,
  ) {}

  /** After each poll: fetches the log of every container that crashed since (once per run). */
  async keepLogs(workloads: readonly WorkloadStatus[]): Promise<void> {
    if (this.params.logLines === 0) return
    const wanted = failingContainers(workloads).filter(
      ({ pod, container }) =>
        container.lastTermination !== undefined &&
        !this.runLastLines.has(runKey(pod.name, container.container, container.restarts)),
    )
    await Promise.all(wanted.slice(0, MAX_LOGS).map((target) => this.fetchLog(target).catch(() => undefined)))
  }

  /** The last line of a run's log as keepLogs fetched it (timestamps blanked), for the fail-fast rules. */
  readonly lastLogLine = (pod: string, container: string, restarts: number): string | undefined =>
    this.runLastLines.get(runKey(pod, container, restarts))

  async diagnose(last: readonly WorkloadStatus[], budgetMs: number): Promise<Diagnosis> {
    const gaps: string[] = []
    const within = <T>(what: string, work: Promise<T>, fallback: T): Promise<T> =>
      withBudget(work, budgetMs, fallback).catch((error: unknown) => {
        gaps.push(`${what}: ${messageOf(error)}`)
        return fallback
      })
    const { namespace, refs } = this.params
    const now = this.deps.kube
      .snapshot(namespace, { isProgressive: refs.some((r) => r.kind === 'Rollout' || r.kind === 'Canary') })
      .then((snapshot) => workloadStatuses(refs, namespace, snapshot))
    const fresh = await within('the workloads now', now, undefined)
    const workloads = refs
      .map((_, i) => pickState(last[i], fresh?.[i]))
      .filter(
        (workload): workload is WorkloadStatus =>
          workload !== undefined && (!workload.isDone || workload.hasFailed),
      )
    const targets = failingContainers(workloads)
    const [events, logs, imageNote] = await Promise.all([
      within('events', this.warningEvents(workloads), []),
      within('container logs', this.collectLogs(targets), []),
      within('the image in ECR', this.describePulledImage(targets), undefined),
    ])
    return { workloads, events, logs, imageNote, gaps }
  }

  private async warningEvents(workloads: readonly WorkloadStatus[]): Promise<EventSummary[]> {
    const names = new Set(workloads.flatMap((w) => [w.ref.name, ...w.pods.map((pod) => pod.name)]))
    const events = await this.deps.kube.events(this.params.namespace)
    return summarizeEvents(
      events,
      (event) => names.has(event.involvedObject?.name ?? '') || isOwnedName(event, names),
    )
  }

  private async collectLogs(targets: readonly FailingContainer[]): Promise<ContainerLog[]> {
    if (this.params.logLines === 0) return []
    const logs = await Promise.all(
      targets
        .slice(0, MAX_LOGS)
        .map((target) => this.fetchLog(target).catch(() => this.logs.get(logKey(target)))),
    )
    return logs.filter((log): log is ContainerLog => log !== undefined && log.lines.length > 0)
  }

  private async fetchLog(target: FailingContainer): Promise<ContainerLog> {
    const { pod, container } = target
    // After a restart the current run has barely begun: the previous run's log holds the crash.
    const isPrevious = container.restarts > 0
    const text = await this.deps.kube.podLog(this.params.namespace, pod.name, {
      container: container.container,
      tailLines: this.params.logLines,
      previous: isPrevious,
    })
    const lines = text
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '')
      .slice(-this.params.logLines)
    const log = { pod: pod.name, container: container.container, isPrevious, lines }
    if (lines.length > 0) this.logs.set(logKey(target), log)
    this.runLastLines.set(
      runKey(pod.name, container.container, container.restarts),
      withoutTimestamps(lines.at(-1) ?? ''),
    )
    return log
  }

  private async describePulledImage(targets: readonly FailingContainer[]): Promise<string | undefined> {
    const { imageRepository } = this.params
    const pull = targets.find(
      ({ container }) =>
        IMAGE_PULL_REASONS.includes(container.waitingReason ?? '') &&
        imageRepository !== undefined &&
        (container.image?.startsWith(`${imageRepository}:`) === true ||
          container.image?.startsWith(`${imageRepository}@`) === true),
    )
    if (pull?.container.image === undefined || this.deps.describeImage === undefined) return undefined
    return this.deps.describeImage(pull.container.image)
  }
}

/**
 * The diagnosis after helm's own rollback, completed with what was gathered before it (its pods gone): the
 * logs and events it no longer finds, and ECR's word. The workloads stay as the watch last saw them.
 */
export function withEvidence(
  after: Diagnosis | undefined,
  before: Diagnosis | undefined,
): Diagnosis | undefined {
  if (before === undefined || after === undefined) return after ?? before
  const found = new Set(after.logs.map((log) => `${log.pod}/${log.container}`))
  return {
    ...after,
    events: after.events.length > 0 ? after.events : before.events,
    logs: [...after.logs, ...before.logs.filter((log) => !found.has(`${log.pod}/${log.container}`))].slice(
      0,
      MAX_LOGS,
    ),
    imageNote: after.imageNote ?? before.imageNote,
  }
}

/**
 * What to explain of one workload: as the watch last saw it, since a rollback makes a Deployment ready
 * again; but a Job as it is now (no rollback undoes a Job, and a hook Job may have failed between two
 * polls), and anything the watch never saw exist.
 */
function pickState(
  last: WorkloadStatus | undefined,
  now: WorkloadStatus | undefined,
): WorkloadStatus | undefined {
  if (now?.exists === true && (now.ref.kind === 'Job' || last?.exists !== true)) return now
  return last ?? now
}

interface FailingContainer {
  readonly pod: PodState
  readonly container: ContainerTrouble
}

const logKey = (target: FailingContainer): string => `${target.pod.name}/${target.container.container}`
const runKey = (pod: string, container: string, restarts: number): string => `${pod}/${container}/${restarts}`

// Two runs of one crash differ in their timestamps only: `2026-12-06T10:26:10.123Z`, `10:26:10`.
const TIMESTAMPS =
  /\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?|\b\d\d:\d\d:\d\d(?:[.,]\d+)?\b/g

/** A log line with its timestamps blanked. Pure. */
export function withoutTimestamps(line: string): string {
  return line.replace(TIMESTAMPS, '<time>').trim()
}

/** The containers in trouble, crashes first (their logs say most). */
function failingContainers(workloads: readonly WorkloadStatus[]): FailingContainer[] {
  const all = workloads.flatMap((w) =>
    w.pods.flatMap((pod) => pod.troubles.map((container) => ({ pod, container }))),
  )
  return all.sort(
    (a, b) =>
      Number(b.container.lastTermination !== undefined) - Number(a.container.lastTermination !== undefined),
  )
}

/** An event of a ReplicaSet or pod whose name starts with a workload's (`web-7d9c`, `web-7d9c-x2k1`). */
function isOwnedName(event: KubeEvent, names: ReadonlySet<string>): boolean {
  const name = event.involvedObject?.name ?? ''
  return [...names].some((owner) => name.startsWith(`${owner}-`))
}

/** Warning events, most recent first, one per object, reason and message (their counts added). Pure. */
export function summarizeEvents(
  events: readonly KubeEvent[],
  isRelevant: (event: KubeEvent) => boolean,
): EventSummary[] {
  const merged = new Map<string, EventSummary>()
  for (const event of events) {
    if (event.type !== 'Warning' || !isRelevant(event)) continue
    const object = `${event.involvedObject?.kind ?? '?'}/${event.involvedObject?.name ?? '?'}`
    const reason = event.reason ?? ''
    const message = event.message ?? ''
    const lastSeenMs =
      timeOf(event.lastTimestamp) ?? timeOf(event.eventTime) ?? timeOf(event.firstTimestamp) ?? 0
    const key = `${object}\n${reason}\n${message}`
    const before = merged.get(key)
    merged.set(key, {
      object,
      reason,
      message,
      count: (before?.count ?? 0) + (event.count ?? 1),
      lastSeenMs: Math.max(before?.lastSeenMs ?? 0, lastSeenMs),
    })
  }
  return [...merged.values()].sort((a, b) => b.lastSeenMs - a.lastSeenMs).slice(0, MAX_EVENTS)
}

function withBudget<T>(work: Promise<T>, budgetMs: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      resolve(fallback)
    }, budgetMs)
  })
  return Promise.race([work, late]).finally(() => {
    clearTimeout(timer)
  })
}

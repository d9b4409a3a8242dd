import type { HopelessRollout } from './fail-fast.js'
import type { Diagnosis } from './diagnose.js'
import { oneLine } from './one-line.js'
import { CONFIG_REASONS, IMAGE_PULL_REASONS, type ContainerTrouble, type PodState } from './pod-state.js'
import { describeWorkloadLine, type WorkloadStatus } from './workloads.js'

/** Why helm's wait ended without a ready release. */
export type RolloutFailure =
  | { readonly kind: 'hopeless'; readonly verdict: HopelessRollout; readonly afterSeconds: number }
  | { readonly kind: 'timeout'; readonly timeout: string }
  | { readonly kind: 'helm'; readonly error: string }

const TIMESTAMP = /^\d{4}-\d\d-\d\dT[\d:.]+Z?\s+/
// The lines that say most about a crash, most telling first: a panic, a fatal log entry, an error.
const TELLING = [
  /^panic: /,
  /level=fatal|\bFATAL\b|\bfatal:/i,
  /\bERROR\b|\bError:|level=error|exception/i,
  /fail/i,
]

/** The log line that best says why a container failed (a panic, a fatal or error entry), shortened. Pure. */
export function tellingLogLine(lines: readonly string[]): string | undefined {
  const bare = lines.map((line) => line.replace(TIMESTAMP, '').trim()).filter((line) => line !== '')
  for (const pattern of TELLING) {
    const found = bare.find((line) => pattern.test(line))
    if (found !== undefined) return oneLine(messageOf(found), 160)
  }
  return bare.length === 0 ? undefined : oneLine(bare.at(-1) ?? '', 160)
}

/** `level=fatal msg="cannot connect" error=...` → `cannot connect`; `panic: x` → `x`. */
function messageOf(line: string): string {
  const msg = /\bmsg="([^"]*)"/.exec(line)?.[1]
  if (msg !== undefined) return msg
  return line.replace(/^panic:\s*/, '')
}

function exitOf(container: ContainerTrouble): string {
  const last = container.lastTermination
  if (last === undefined) return ''
  return last.reason === 'Error' || last.reason === 'Completed'
    ? ` exited ${last.exitCode ?? '?'}`
    : ` was ${last.reason} (exit ${last.exitCode ?? '?'})`
}

function logLineOf(
  diagnosis: Diagnosis,
  pod: PodState | undefined,
  container: string | undefined,
): string | undefined {
  const log = diagnosis.logs.find(
    (l) =>
      (pod === undefined || l.pod === pod.name) && (container === undefined || l.container === container),
  )
  return log === undefined ? undefined : tellingLogLine(log.lines)
}

/** The one line of output `failure-reason`, e.g. `CrashLoopBackOff: pod web-7d9c container web exited 1: cannot connect to database`. */
export function failureReason(failure: RolloutFailure, diagnosis: Diagnosis | undefined): string {
  switch (failure.kind) {
    case 'hopeless': {
      const { verdict } = failure
      return oneLine(
        troubleReason(verdict.workload, verdict.pod, verdict.container, diagnosis, verdict.rule),
        400,
      )
    }
    case 'timeout':
      return oneLine(
        `Timed out after ${failure.timeout}: ${notable(diagnosis) ?? 'the release did not become ready'}`,
        400,
      )
    case 'helm':
      return oneLine(notable(diagnosis) ?? `helm: ${failure.error}`, 400)
  }
}

/** The most telling trouble of a diagnosis: a failed Job, a container that cannot run, an unplaceable pod, counts. */
function notable(diagnosis: Diagnosis | undefined): string | undefined {
  if (diagnosis === undefined) return undefined
  const failedJob = diagnosis.workloads.find((w) => w.hasFailed)
  if (failedJob !== undefined)
    return troubleReason(
      failedJob,
      undefined,
      undefined,
      diagnosis,
      `${failedJob.failed} failed pod${failedJob.failed === 1 ? '' : 's'}`,
    )
  for (const workload of diagnosis.workloads) {
    for (const pod of workload.pods) {
      const container = pod.troubles.find(
        (t) => t.waitingReason !== undefined || t.lastTermination !== undefined,
      )
      if (container !== undefined) return troubleReason(workload, pod, container, diagnosis, '')
    }
  }
  for (const workload of diagnosis.workloads) {
    const pod = workload.pods.find((p) => p.unschedulable !== undefined)
    if (pod?.unschedulable !== undefined)
      return `${describeWorkloadLine(workload)}; pod ${pod.name}: ${pod.unschedulable.reason}: ${pod.unschedulable.message}`
  }
  const first = diagnosis.workloads[0]
  return first === undefined ? undefined : describeWorkloadLine(first)
}

function troubleReason(
  workload: WorkloadStatus,
  pod: PodState | undefined,
  container: ContainerTrouble | undefined,
  diagnosis: Diagnosis | undefined,
  rule: string,
): string {
  if (pod === undefined || container === undefined) {
    const said = diagnosis === undefined ? undefined : logLineOf(diagnosis, undefined, undefined)
    const kind = `${workload.ref.isHook ? 'hook ' : ''}${workload.ref.kind}`
    return `${kind} ${workload.namespace}/${workload.ref.name} failed${rule === '' ? '' : ` (${rule})`}${said === undefined ? '' : `: ${said}`}`
  }
  const said = diagnosis === undefined ? undefined : logLineOf(diagnosis, pod, container.container)
  const reason = container.waitingReason ?? container.lastTermination?.reason ?? 'Failed'
  const where = `${reason}: pod ${pod.name} container ${container.container}`
  if (IMAGE_PULL_REASONS.includes(reason)) {
    const note = diagnosis?.imageNote === undefined ? '' : ` (${diagnosis.imageNote})`
    return `${where} cannot pull${container.image === undefined ? '' : ` ${container.image}`}${note}`
  }
  if (CONFIG_REASONS.includes(reason)) return `${where}: ${container.waitingMessage ?? ''}`
  return `${where}${exitOf(container)}${said === undefined ? '' : `: ${said}`}`
}

import type { ContainerLog, Diagnosis } from './diagnose.js'
import { oneLine } from './one-line.js'
import { describePodLine } from './pod-state.js'
import { describeWorkloadLine, type WorkloadStatus } from './workloads.js'

/** A workload's line and its pods' lines, as the progress, the log and the summary show them. */
interface WorkloadLines {
  readonly line: string
  readonly pods: readonly string[]
}

/**
 * A failed rollout as the log and the job summary both tell it: the one-line reason (computed once,
 * by whoever judged the failure), then the workloads and their pods, the ECR note, the warning
 * events, what could not be gathered, and each container log. Raw text from the cluster: the
 * renderers make it safe (one line each in the log, escaped in markdown).
 */
export interface DiagnosisView {
  readonly reason: string
  /** Undefined when nothing was gathered (a request the API server refused is no rollout). */
  readonly sections:
    | {
        readonly workloads: readonly WorkloadLines[]
        readonly image: string | undefined
        readonly events: readonly string[]
        readonly gaps: readonly string[]
        readonly logs: readonly { readonly title: string; readonly lines: readonly string[] }[]
      }
    | undefined
}

export function diagnosisView(reason: string, diagnosis: Diagnosis | undefined): DiagnosisView {
  if (diagnosis === undefined) return { reason, sections: undefined }
  return {
    reason,
    sections: {
      workloads: workloadLines(diagnosis.workloads),
      image: diagnosis.imageNote,
      events: diagnosis.events.map(describeEvent),
      gaps: diagnosis.gaps,
      logs: diagnosis.logs.map((log) => ({ title: logTitle(log), lines: log.lines })),
    },
  }
}

/** The workloads and their pods (a pod with nothing to say has no line). */
function workloadLines(workloads: readonly WorkloadStatus[]): WorkloadLines[] {
  return workloads.map((workload) => ({
    line: describeWorkloadLine(workload),
    pods: workload.pods.map(describePodLine).filter((line): line is string => line !== undefined),
  }))
}

/** The workloads as log lines (each pod indented under its workload): the rollout's progress and its diagnosis. */
export function renderProgress(workloads: readonly WorkloadStatus[]): string[] {
  return workloadsText(workloadLines(workloads))
}

function workloadsText(workloads: readonly WorkloadLines[]): string[] {
  return workloads.flatMap(({ line, pods }) => [oneLine(line), ...pods.map((pod) => `  ${oneLine(pod)}`)])
}

/**
 * The diagnosis as log lines: the reason, workloads and pods, the ECR note, events, gaps. The
 * container logs are not among them: other programs' text is relayed (`logs`), never printed as ours.
 */
export function diagnosisLines({ reason, sections }: DiagnosisView): string[] {
  if (sections === undefined) return [reason]
  const lines = [reason, ...workloadsText(sections.workloads)]
  if (sections.image !== undefined) lines.push(`Image: ${oneLine(sections.image)}`)
  if (sections.events.length > 0) {
    lines.push('Recent warning events (most recent first):')
    for (const event of sections.events) lines.push(`  ${oneLine(event)}`)
  }
  for (const gap of sections.gaps) lines.push(`(not shown: ${oneLine(gap)})`)
  return lines
}

/** A warning event in words, as the log and the summary both say it: `pod/web-1 BackOff (x4): ...`. */
function describeEvent(event: Diagnosis['events'][number]): string {
  return `${event.object} ${event.reason}${event.count > 1 ? ` (x${event.count})` : ''}: ${event.message}`
}

function logTitle(log: ContainerLog): string {
  return `Last ${log.lines.length} line${log.lines.length === 1 ? '' : 's'} of ${log.pod} container ${log.container}${log.isPrevious ? ' (previous run, before its restart)' : ''}:`
}

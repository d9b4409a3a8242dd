import { escapeMarkdown } from '../../../lib/markdown-text.js'
import type { Diagnosis } from './diagnose.js'
import { describeEvent, logTitle } from './explain.js'
import { describePodLine } from './pod-state.js'
import { describeWorkloadLine } from './workloads.js'

/** Outside text for the summary's markdown and its HTML blocks: the one escaper (lib/markdown-text.ts). */
export const escapeHtml = escapeMarkdown

/**
 * The job summary's account of a failed rollout: the reason, the workloads and their pods, recent
 * warning events, and each container log in a collapsed block. Every text from the cluster is escaped.
 */
export function diagnosisMarkdown(reason: string, diagnosis: Diagnosis | undefined): string {
  const lines = ['#### Why the deploy failed', '', `**${escapeHtml(reason)}**`, '']
  if (diagnosis === undefined) return lines.join('\n')
  for (const workload of diagnosis.workloads) {
    lines.push(`- ${escapeHtml(describeWorkloadLine(workload))}`)
    for (const pod of workload.pods) {
      const line = describePodLine(pod)
      if (line !== undefined) lines.push(`  - ${escapeHtml(line)}`)
    }
  }
  if (diagnosis.imageNote !== undefined) lines.push(`- Image: ${escapeHtml(diagnosis.imageNote)}`)
  if (diagnosis.events.length > 0) {
    lines.push('', 'Recent warning events, most recent first:', '')
    for (const event of diagnosis.events) lines.push(`- ${escapeHtml(describeEvent(event))}`)
  }
  for (const log of diagnosis.logs) {
    lines.push(
      '',
      `<details><summary>${escapeHtml(logTitle(log))}</summary>`,
      '',
      `<pre>${escapeHtml(log.lines.join('\n'))}</pre>`,
      '</details>',
    )
  }
  return `${lines.join('\n')}\n`
}

import { escapeMarkdown } from '../../../lib/markdown-text.js'
import type { DiagnosisView } from './diagnosis-view.js'

/** Outside text for the summary's markdown and its HTML blocks: the one escaper (lib/markdown-text.ts). */
export const escapeHtml = escapeMarkdown

/**
 * The job summary's account of a failed rollout (the log's, diagnosis-view.ts, in markdown): the
 * reason, the workloads and their pods, recent warning events, and each container log in a collapsed
 * block. Every text from the cluster is escaped.
 */
export function diagnosisMarkdown({ reason, sections }: DiagnosisView): string {
  const lines = ['#### Why the deploy failed', '', `**${escapeHtml(reason)}**`, '']
  if (sections === undefined) return lines.join('\n')
  for (const { line, pods } of sections.workloads) {
    lines.push(`- ${escapeHtml(line)}`)
    for (const pod of pods) lines.push(`  - ${escapeHtml(pod)}`)
  }
  if (sections.image !== undefined) lines.push(`- Image: ${escapeHtml(sections.image)}`)
  if (sections.events.length > 0) {
    lines.push('', 'Recent warning events, most recent first:', '')
    for (const event of sections.events) lines.push(`- ${escapeHtml(event)}`)
  }
  for (const log of sections.logs) {
    lines.push(
      '',
      `<details><summary>${escapeHtml(log.title)}</summary>`,
      '',
      `<pre>${escapeHtml(log.lines.join('\n'))}</pre>`,
      '</details>',
    )
  }
  return `${lines.join('\n')}\n`
}

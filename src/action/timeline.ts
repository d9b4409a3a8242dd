import type { Span } from './timing.js'

/** `1.23 s` */
function formatSeconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(2)} s`
}

// Mermaid ends a task's name at ':' and reads '#' and ';' as syntax.
const taskName = (text: string): string => text.replace(/[:#;\n]/g, ' ').trim()

interface Section {
  readonly title: string
  readonly spans: Span[]
}

/** The phases in the order they started, each followed by its parts (a part without its phase gets a section of its own). */
function sections(spans: readonly Span[]): Section[] {
  const byStart = [...spans].sort((a, b) => a.startMs - b.startMs)
  const result: Section[] = []
  const find = (title: string): Section | undefined => result.find((section) => section.title === title)
  for (const span of byStart) {
    const title = span.parent ?? span.name
    const section = find(title) ?? { title, spans: [] }
    if (!result.includes(section)) result.push(section)
    section.spans.push(span)
  }
  return result
}

/**
 * The run as a mermaid gantt chart (GitHub renders mermaid in job summaries, comments and files):
 * one bar per phase and part, at the wall-clock times they ran, a failed one in red. Times are epoch
 * milliseconds (`dateFormat x`) so each reader's browser shows its own local time on the axis.
 */
export function ganttChart(spans: readonly Span[]): string[] {
  const lines = ['```mermaid', 'gantt', '  dateFormat x', '  axisFormat %H:%M:%S']
  for (const section of sections(spans)) {
    lines.push(`  section ${taskName(section.title)}`)
    for (const span of section.spans) {
      // A bar of 0 ms is not drawn at all.
      const endMs = Math.max(span.endMs, span.startMs + 1)
      const tags = span.isFailed ? 'crit, ' : ''
      const label = taskName(`${span.name} ${formatSeconds(span.endMs - span.startMs)}`)
      lines.push(`  ${label} :${tags}${span.startMs}, ${endMs}`)
    }
  }
  lines.push('```')
  return lines
}

/** The timeline section of the job summary: the chart, then the same as a table for readers without mermaid. */
export function timelineMarkdown(spans: readonly Span[]): string {
  if (spans.length === 0) return ''
  const origin = Math.min(...spans.map((span) => span.startMs))
  const rows = sections(spans).flatMap((section) =>
    section.spans.map((span) => {
      const name = span.parent === undefined ? span.name : `${span.parent}: ${span.name}`
      const result = span.isFailed ? 'failed' : 'ok'
      return `| ${name.replace(/\|/g, '\\|')} | +${formatSeconds(span.startMs - origin)} | ${formatSeconds(span.endMs - span.startMs)} | ${result} |`
    }),
  )
  return [
    '#### Timeline',
    '',
    ...ganttChart(spans),
    '',
    '| Phase | Started | Took | Result |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n')
}

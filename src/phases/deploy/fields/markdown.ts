import { escapeHtml } from '../rollout/markdown.js'
import type { FieldConflict, FieldDrift, FieldReport } from './types.js'

const cell = (value: string): string => (value === '' ? '-' : escapeHtml(value).replace(/\|/g, '\\|'))
const codeCell = (value: string): string => (value === '' ? '-' : `<code>${cell(value)}</code>`)

/** One line for the job summary's table: what the pre-flight found and did. */
export function describeFieldReport(report: FieldReport): string {
  const { decision, conflicts, drift } = report
  const found = `${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}, ${drift.length} drifted field${drift.length === 1 ? '' : 's'} in ${report.checked} objects`
  switch (decision.kind) {
    case 'none':
      return found
    case 'report':
      return `${found} (Helm 3 applies client-side and overwrites them: information only)`
    case 'take-over': {
      const would = report.isDryRun === true ? 'would be ' : ''
      const dropped = decision.dropped ?? []
      const taken =
        decision.taken.length === 0
          ? ''
          : `; ${decision.taken.length === conflicts.length ? '' : `${decision.taken.length} `}${would}taken over (field-conflicts: ${report.mode}, --force-conflicts)`
      const left =
        dropped.length === 0
          ? ''
          : `; .spec.replicas of ${dropped.map((c) => `${c.kind}/${c.name}`).join(', ')} ${would === '' ? 'left' : 'would be left'} to ${dropped.length === 1 ? 'its autoscaler' : 'their autoscalers'} (the chart's value dropped)`
      return `${found}${taken}${left}`
    }
    case 'refuse':
      return `${found}; refused (field-conflicts: ${report.mode})`
  }
}

function conflictTable(conflicts: readonly FieldConflict[]): string[] {
  return [
    '| Object | Field | Manager | Operation | Since | Autoscaler |',
    '| --- | --- | --- | --- | --- | --- |',
    ...conflicts.map(
      (c) =>
        `| ${cell(`${c.kind}/${c.name}`)} | ${codeCell(c.field)} | ${codeCell(c.manager)} | ${cell(c.operation)} | ${cell(c.since)} | ${cell(c.autoscaler ?? '')} |`,
    ),
  ]
}

function driftTable(drift: readonly FieldDrift[]): string[] {
  return [
    '| Object | Field | Change | Manager | Since | Last release | Live |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...drift.map(
      (d) =>
        `| ${cell(`${d.kind}/${d.name}`)} | ${codeCell(d.field)} | ${d.change} | ${d.manager === '' ? 'not recorded' : codeCell(d.manager)} | ${cell(d.since)} | ${codeCell(d.applied ?? '')} | ${codeCell(d.live ?? '')} |`,
    ),
  ]
}

/** The job summary's (and the pull-request comment's) section: the conflict table and the drift report. */
export function fieldReportMarkdown(report: FieldReport, release: string): string {
  if (report.conflicts.length === 0 && report.drift.length === 0) return ''
  const lines = [
    `#### Field ownership: release ${escapeHtml(release)}`,
    '',
    escapeHtml(describeFieldReport(report)),
    '',
  ]
  if (report.conflicts.length > 0) {
    lines.push(
      'Fields the release sets that another field manager owns:',
      '',
      ...conflictTable(report.conflicts),
      '',
    )
  }
  if (report.drift.length > 0) {
    lines.push(
      'Changed outside helm since the last revision (the upgrade sets the chart’s value again where it sets the field):',
      '',
      ...driftTable(report.drift),
      '',
    )
  }
  return `${lines.join('\n')}\n`
}

/** The log's account: one line per conflict and per drifted field. */
export function fieldReportLines(report: FieldReport, ms: number): string[] {
  const since = (value: string) => (value === '' ? '' : ` since ${value}`)
  return [
    `Field ownership: ${describeFieldReport(report)} (${Math.round(ms)} ms).`,
    ...report.conflicts.map(
      (c) =>
        `  conflict: ${c.kind}/${c.name} ${c.field} owned by ${c.manager === '' ? '(no manager recorded)' : c.manager}${c.operation === '' ? '' : ` (${c.operation})`}${since(c.since)}${c.autoscaler === undefined ? '' : `; set by ${c.autoscaler}`}`,
    ),
    ...report.drift.map(
      (d) =>
        `  drift: ${d.kind}/${d.name} ${d.field} ${d.change}${d.manager === '' ? ' (no manager recorded)' : ` by ${d.manager}`}${since(d.since)}${d.applied === undefined ? '' : `: ${d.applied} -> ${d.live ?? ''}`}`,
    ),
    ...report.problems.map((p) => `  not checked: ${p}`),
  ]
}

/** Output `drift`: the rows as JSON. */
export function driftJson(drift: readonly FieldDrift[]): string {
  return JSON.stringify(drift)
}

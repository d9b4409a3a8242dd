import type { GitHubReport } from '../github/reporter.js'
import type { AccountHider } from '../lib/masking.js'
import { listOf } from '../lib/errors.js'
import { fenced } from '../lib/fenced.js'
import { escapeMarkdown } from '../lib/markdown-text.js'
import { printable } from '../lib/printable.js'
import type { SummaryCell, SummaryRow } from '../phases/phase.js'
import { rowsWith } from './phase-table.js'
import type { RunFailure, RunReport, RunResults } from './results.js'
import { timelineMarkdown } from './timeline.js'

/**
 * The job summary of every run, failed or not: a table of what happened, why the step failed (the
 * log's own message), what a dry run would change, why a rollout failed, and the timeline. The
 * accounts under mask-aws-account-id are hidden in all of it.
 */
export function renderSummary(report: RunReport, accounts: Pick<AccountHider, 'hide'>): string {
  const { results, failure } = report
  const sections = [
    ['### eks-deploy-action', '', ...factsTable(results, accounts)].join('\n'),
    warningsMarkdown(report.warnings ?? []),
    failure === undefined ? '' : failureMarkdown(failure),
    ...(results === undefined ? [] : rowsWith(results)).flatMap(
      ({ row, value }) => row.report.summarySections?.(value) ?? [],
    ),
    timelineMarkdown(report.spans),
  ]
  return accounts.hide(sections.filter((section) => section !== '').join('\n'))
}

function warningsMarkdown(warnings: readonly string[]): string {
  if (warnings.length === 0) return ''
  return ['#### Warnings', '', ...warnings.map((warning) => `- ${escapeText(warning)}`), ''].join('\n')
}

function failureMarkdown(failure: RunFailure): string {
  const { phases } = failure
  const where = phases.length === 0 ? '' : ` in phase${phases.length > 1 ? 's' : ''} ${listOf(phases)}`
  // The log's own message, each line printable: a value it quotes cannot break a line of its own.
  const message = failure.message
    .split('\n')
    .map((line) => printable(line, 2000))
    .join('\n')
  return [`#### The step failed${where}`, '', ...fenced(message, 'text'), ''].join('\n')
}

function factsTable(results: RunResults | undefined, accounts: Pick<AccountHider, 'hide'>): string[] {
  if (results === undefined) return []
  const rows: SummaryRow[] = [
    ...rowsWith(results).flatMap(({ row, value }) => row.report.summaryRows(value, results.inputs)),
    ...githubRows(results.github),
  ]
  if (rows.length === 0) return []
  const render = (cell: SummaryCell): string =>
    cell
      .map((part) =>
        typeof part === 'string' ? escapeText(accounts.hide(part)) : codeSpan(accounts.hide(part.code)),
      )
      .join('')
  return [
    '| | |',
    '| --- | --- |',
    ...rows.map(([key, cell]) => `| ${escapeText(key)} | ${render(cell)} |`),
    '',
  ]
}

/**
 * Markdown that shows the text as it is: no HTML, link, emphasis or table cell of its own, on one
 * line (a hostile AWS or chart answer must not shape the summary). Parentheses, dots and dashes need
 * no escape and keep the source readable.
 */
function escapeText(text: string): string {
  return escapeMarkdown(printable(text, 500))
}

/** A code span shows everything literally; only its fence and the table's pipe need care. */
function codeSpan(text: string): string {
  const value = printable(text, 500).replace(/\|/g, '\\|')
  const longestRun = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longestRun + 1)
  return longestRun === 0 ? `${fence}${value}${fence}` : `${fence} ${value} ${fence}`
}

function githubRows(github: GitHubReport | undefined): SummaryRow[] {
  const deployment = github?.deployment
  if (deployment === undefined) return []
  const url = deployment.environmentUrl === undefined ? '' : ` at ${deployment.environmentUrl}`
  return [
    [
      'GitHub deployment',
      [`${deployment.id} to environment `, { code: deployment.environment }, `${url}: ${deployment.state}`],
    ],
  ]
}

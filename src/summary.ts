import { deploySummaryRows } from './deploy-report.js'
import type { RunResults } from './outputs.js'

/** The job summary: one table of what happened, and how long each phase took. */
export function renderSummary(results: RunResults): string {
  const rows: [string, string][] = []
  const { auth, inputs } = results
  const hideAccount = (text: string): string =>
    inputs.auth.shouldMaskAccountId && auth !== undefined ? text.split(auth.accountId).join('***') : text
  if (auth !== undefined) {
    rows.push(['Role', `\`${hideAccount(auth.roleArn)}\``])
    rows.push(['Account', hideAccount(auth.accountId)])
  }
  if (results.deploy !== undefined) rows.push(...deploySummaryRows(results.deploy))
  for (const timing of results.timings)
    rows.push([`Time: ${timing.phase}`, `${(timing.milliseconds / 1000).toFixed(2)} s`])
  const escape = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
  return [
    '### eks-deploy-action',
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([key, value]) => `| ${escape(key)} | ${escape(hideAccount(value))} |`),
    '',
  ].join('\n')
}

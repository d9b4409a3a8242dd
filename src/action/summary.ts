import { taggedImageReference } from '../lib/image-ref.js'
import type { AccountHider } from '../lib/masking.js'
import { printable } from '../lib/printable.js'
import type { DeployResult } from '../phases/deploy/index.js'
import { diagnosisMarkdown } from '../phases/deploy/rollout/markdown.js'
import type { EcrResult } from '../phases/ecr/index.js'
import type { RunResults } from './results.js'

/** A table cell: text, and code spans ({ code }). Values from AWS or helm are escaped when rendered. */
type Cell = readonly (string | { readonly code: string })[]
type Row = readonly [string, Cell]

/** The job summary: one table of what happened, and how long each phase took. */
export function renderSummary(results: RunResults, accounts: Pick<AccountHider, 'hide'>): string {
  const rows: Row[] = []
  const { auth, inputs } = results
  if (auth !== undefined) {
    rows.push(['Role', [{ code: auth.roleArn }]])
    rows.push(['Account', [auth.accountId]])
  }
  if (results.kubeconfig !== undefined) {
    const { clusterName, version, endpoint } = results.kubeconfig
    rows.push(['Cluster', [{ code: clusterName }, ` (Kubernetes ${version}, ${inputs.region})`]])
    rows.push(['Endpoint', [endpoint]])
  }
  rows.push(...ecrRows(results.ecr))
  if (results.deploy !== undefined) rows.push(...deployRows(results.deploy))
  for (const timing of results.timings)
    rows.push([`Time: ${timing.phase}`, [`${(timing.milliseconds / 1000).toFixed(2)} s`]])
  const render = (cell: Cell): string =>
    cell
      .map((part) =>
        typeof part === 'string' ? escapeText(accounts.hide(part)) : codeSpan(accounts.hide(part.code)),
      )
      .join('')
  const { deploy } = results
  return [
    '### eks-deploy-action',
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([key, cell]) => `| ${escapeText(key)} | ${render(cell)} |`),
    '',
    ...(deploy?.failureReason === undefined
      ? []
      : [accounts.hide(diagnosisMarkdown(deploy.failureReason, deploy.diagnosis))]),
  ].join('\n')
}

/**
 * Markdown that shows the text as it is: no HTML, link, emphasis or table cell of its own, on one
 * line (a hostile AWS or chart answer must not shape the summary). Parentheses, dots and dashes need
 * no escape and keep the source readable.
 */
function escapeText(text: string): string {
  return printable(text, 500).replace(/[\\`*_[\]!<>&~|]/g, '\\$&')
}

/** A code span shows everything literally; only its fence and the table's pipe need care. */
function codeSpan(text: string): string {
  const value = printable(text, 500).replace(/\|/g, '\\|')
  const longestRun = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longestRun + 1)
  return longestRun === 0 ? `${fence}${value}${fence}` : `${fence} ${value} ${fence}`
}

function ecrRows(ecr: EcrResult | undefined): Row[] {
  if (ecr === undefined) return []
  const rows: Row[] = []
  const registries = ecr.loggedIn.length > 0 ? ecr.loggedIn : ecr.registry === undefined ? [] : [ecr.registry]
  if (registries.length > 0)
    rows.push([ecr.loggedIn.length > 0 ? 'Registry login' : 'Registry', [registries.join(', ')]])
  if (ecr.image !== undefined) {
    const { image } = ecr
    rows.push(['Image', [{ code: taggedImageReference({ ...image, digest: undefined }) }]])
    if (image.digest !== undefined) rows.push(['Image digest', [{ code: image.digest }]])
  }
  return rows
}

function deployRows(deploy: DeployResult): Row[] {
  const { state } = deploy
  const revision =
    state === undefined ? 'none' : `${state.revision} (${state.status}${deploy.isDryRun ? ', dry run' : ''})`
  return [
    ['Release', [{ code: deploy.release }]],
    ['Namespace', [{ code: deploy.namespace }]],
    ['Chart', [state === undefined ? '-' : `${state.chartName} ${state.chartVersion}`.trim()]],
    ['Revision', [revision]],
    ['Previous revision', [deploy.previousRevision === undefined ? '-' : String(deploy.previousRevision)]],
    ['Rolled back', [deploy.isRolledBack ? 'yes' : 'no']],
    ...(deploy.failureReason === undefined ? [] : ([['Failure', [deploy.failureReason]]] as Row[])),
    ['Helm', [deploy.helmVersion]],
  ]
}

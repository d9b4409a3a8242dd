import type { GitHubReport } from '../github/reporter.js'
import { taggedImageReference } from '../lib/image-ref.js'
import type { AccountHider } from '../lib/masking.js'
import { listOf } from '../lib/errors.js'
import { escapeMarkdown } from '../lib/markdown-text.js'
import { printable } from '../lib/printable.js'
import { changesMarkdown, fenced } from '../phases/deploy/changes/markdown.js'
import type { DeployResult } from '../phases/deploy/index.js'
import { diagnosisMarkdown } from '../phases/deploy/rollout/markdown.js'
import type { EcrResult } from '../phases/ecr/index.js'
import type { TeardownResult } from '../phases/teardown/index.js'
import type { RunFailure, RunReport, RunResults } from './results.js'
import { timelineMarkdown } from './timeline.js'

/** A table cell: text, and code spans ({ code }). Values from AWS or helm are escaped when rendered. */
type Cell = readonly (string | { readonly code: string })[]
type Row = readonly [string, Cell]

/**
 * The job summary of every run, failed or not: a table of what happened, why the step failed (the
 * log's own message), what a dry run would change, why a rollout failed, and the timeline. The
 * accounts under mask-aws-account-id are hidden in all of it.
 */
export function renderSummary(report: RunReport, accounts: Pick<AccountHider, 'hide'>): string {
  const { results, failure } = report
  const deploy = results?.deploy
  const sections = [
    ['### eks-deploy-action', '', ...factsTable(results, accounts)].join('\n'),
    warningsMarkdown(report.warnings ?? []),
    failure === undefined ? '' : failureMarkdown(failure),
    deploy?.changes === undefined ? '' : changesMarkdown(deploy.changes, deploy.release),
    deploy?.failureReason === undefined ? '' : diagnosisMarkdown(deploy.failureReason, deploy.diagnosis),
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
  if (results.teardown !== undefined) rows.push(...teardownRows(results.teardown))
  rows.push(...githubRows(results.github))
  if (rows.length === 0) return []
  const render = (cell: Cell): string =>
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
    ...manifestRows(deploy),
    ['Helm', [deploy.helmVersion]],
  ]
}

const NAMESPACE_OUTCOMES: Readonly<Record<TeardownResult['namespaceOutcome'], string>> = {
  deleted: 'deleted',
  terminating: 'deletion started (still terminating)',
  absent: 'did not exist',
  kept: 'kept',
}

function teardownRows(teardown: TeardownResult): Row[] {
  const revision = teardown.previousRevision
  const uninstalled =
    revision === undefined
      ? 'nothing to uninstall (no such release)'
      : teardown.isUninstalled
        ? `revision ${revision}`
        : 'no'
  return [
    ['Release', [{ code: teardown.release }]],
    ['Namespace', [{ code: teardown.namespace }, ` (${NAMESPACE_OUTCOMES[teardown.namespaceOutcome]})`]],
    ['Uninstalled', [uninstalled]],
    ['Helm', [teardown.helmVersion]],
  ]
}

function githubRows(github: GitHubReport | undefined): Row[] {
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

function manifestRows({ manifests }: DeployResult): Row[] {
  if (manifests === undefined) return []
  const pins: Cell = manifests.pinned.flatMap((pin, index) => [
    ...(index === 0 ? [] : ['; ']),
    `${pin.object} ${pin.container}: `,
    { code: pin.from },
    ' → ',
    { code: pin.to },
  ])
  return [
    ['Manifests', [`${manifests.objects} objects from ${manifests.files} files`]],
    ...(pins.length === 0 ? [] : ([['Images pinned', pins]] as Row[])),
    ...(manifests.adopted.length === 0 ? [] : ([['Adopted', [manifests.adopted.join(', ')]]] as Row[])),
    ...(manifests.clusterScoped.length === 0
      ? []
      : ([['Cluster-scoped', [manifests.clusterScoped.join(', ')]]] as Row[])),
  ]
}

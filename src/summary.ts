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
  if (results.kubeconfig !== undefined) {
    const { clusterName, version, endpoint } = results.kubeconfig
    rows.push(['Cluster', `\`${clusterName}\` (Kubernetes ${version}, ${inputs.region})`])
    rows.push(['Endpoint', endpoint])
  }
  rows.push(...ecrRows(results))
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

function ecrRows({ ecr }: RunResults): [string, string][] {
  if (ecr === undefined) return []
  const rows: [string, string][] = []
  const registries = ecr.loggedIn.length > 0 ? ecr.loggedIn : ecr.registry === undefined ? [] : [ecr.registry]
  if (registries.length > 0)
    rows.push([ecr.loggedIn.length > 0 ? 'Registry login' : 'Registry', registries.join(', ')])
  if (ecr.image !== undefined) {
    const { image } = ecr
    rows.push(['Image', `\`${image.repository}:${image.tag}\``])
    if (image.digest !== undefined) rows.push(['Image digest', `\`${image.digest}\``])
  }
  return rows
}

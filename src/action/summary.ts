import { taggedImageReference } from '../lib/image-ref.js'
import type { AccountHider } from '../lib/masking.js'
import type { DeployResult } from '../phases/deploy/index.js'
import { diagnosisMarkdown } from '../phases/deploy/rollout/markdown.js'
import type { EcrResult } from '../phases/ecr/index.js'
import type { RunResults } from './results.js'

type Row = [string, string]

/** The job summary: one table of what happened, and how long each phase took. */
export function renderSummary(results: RunResults, accounts: Pick<AccountHider, 'hide'>): string {
  const rows: Row[] = []
  const { auth, inputs } = results
  if (auth !== undefined) {
    rows.push(['Role', `\`${auth.roleArn}\``])
    rows.push(['Account', auth.accountId])
  }
  if (results.kubeconfig !== undefined) {
    const { clusterName, version, endpoint } = results.kubeconfig
    rows.push(['Cluster', `\`${clusterName}\` (Kubernetes ${version}, ${inputs.region})`])
    rows.push(['Endpoint', endpoint])
  }
  rows.push(...ecrRows(results.ecr))
  if (results.deploy !== undefined) rows.push(...deployRows(results.deploy))
  for (const timing of results.timings)
    rows.push([`Time: ${timing.phase}`, `${(timing.milliseconds / 1000).toFixed(2)} s`])
  const escape = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
  const { deploy } = results
  return [
    '### eks-deploy-action',
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([key, value]) => `| ${escape(key)} | ${escape(accounts.hide(value))} |`),
    '',
    ...(deploy?.failureReason === undefined
      ? []
      : [accounts.hide(diagnosisMarkdown(deploy.failureReason, deploy.diagnosis))]),
  ].join('\n')
}

function ecrRows(ecr: EcrResult | undefined): Row[] {
  if (ecr === undefined) return []
  const rows: Row[] = []
  const registries = ecr.loggedIn.length > 0 ? ecr.loggedIn : ecr.registry === undefined ? [] : [ecr.registry]
  if (registries.length > 0)
    rows.push([ecr.loggedIn.length > 0 ? 'Registry login' : 'Registry', registries.join(', ')])
  if (ecr.image !== undefined) {
    const { image } = ecr
    rows.push(['Image', `\`${taggedImageReference({ ...image, digest: undefined })}\``])
    if (image.digest !== undefined) rows.push(['Image digest', `\`${image.digest}\``])
  }
  return rows
}

function deployRows(deploy: DeployResult): Row[] {
  const { state } = deploy
  const revision =
    state === undefined ? 'none' : `${state.revision} (${state.status}${deploy.isDryRun ? ', dry run' : ''})`
  return [
    ['Release', `\`${deploy.release}\``],
    ['Namespace', `\`${deploy.namespace}\``],
    ['Chart', state === undefined ? '-' : `${state.chartName} ${state.chartVersion}`.trim()],
    ['Revision', revision],
    ['Previous revision', deploy.previousRevision === undefined ? '-' : String(deploy.previousRevision)],
    ['Rolled back', deploy.isRolledBack ? 'yes' : 'no'],
    ...(deploy.failureReason === undefined ? [] : ([['Failure', deploy.failureReason]] as Row[])),
    ...manifestRows(deploy),
    ['Helm', deploy.helmVersion],
  ]
}

function manifestRows({ manifests }: DeployResult): Row[] {
  if (manifests === undefined) return []
  const pins = manifests.pinned.map(
    (pin) => `${pin.object} ${pin.container}: \`${pin.from}\` → \`${pin.to}\``,
  )
  return [
    ['Manifests', `${manifests.objects} objects from ${manifests.files} files`],
    ...(pins.length === 0 ? [] : ([['Images pinned', pins.join('<br>')]] as Row[])),
    ...(manifests.adopted.length === 0 ? [] : ([['Adopted', manifests.adopted.join(', ')]] as Row[])),
  ]
}

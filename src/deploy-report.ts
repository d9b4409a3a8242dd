import type { DeployResult } from './phases/deploy.js'

/** The deploy phase's step outputs, by their action.yml names. */
export function deployOutputs(deploy: DeployResult): Record<string, string> {
  const { state } = deploy
  return {
    'helm-version': deploy.helmVersion,
    'release-revision': state === undefined ? '' : String(state.revision),
    'release-status': state?.status ?? '',
    'chart-name': state?.chartName ?? '',
    'chart-version': state?.chartVersion ?? '',
    'app-version': state?.appVersion ?? '',
    'previous-revision': deploy.previousRevision === undefined ? '' : String(deploy.previousRevision),
    'rolled-back': String(deploy.isRolledBack),
  }
}

/** The deploy phase's rows of the job summary table. */
export function deploySummaryRows(deploy: DeployResult): [string, string][] {
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
    ['Helm', deploy.helmVersion],
  ]
}

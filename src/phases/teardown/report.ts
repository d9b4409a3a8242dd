import type { PhaseReport, SummaryRow } from '../phase.js'
import type { TeardownResult } from './types.js'

/** Phase deploy's with `uninstall: true` outputs, summary, as the phase table holds them. */
export const teardownReport: PhaseReport<TeardownResult> = { outputsOf, summaryRows }

/** Phase deploy's step outputs with `uninstall: true`, by name as declared in action.yml. */
function outputsOf(teardown: TeardownResult): Record<string, string> {
  const revision = teardown.previousRevision
  return {
    'helm-version': teardown.helmVersion,
    'release-status': teardown.isUninstalled ? 'uninstalled' : '',
    'previous-revision': revision === undefined ? '' : String(revision),
  }
}

const NAMESPACE_OUTCOMES: Readonly<Record<TeardownResult['namespaceOutcome'], string>> = {
  deleted: 'deleted',
  terminating: 'deletion started (still terminating)',
  absent: 'did not exist',
  kept: 'kept',
}

/** The uninstall's rows of the job summary's table. */
function summaryRows(teardown: TeardownResult): SummaryRow[] {
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

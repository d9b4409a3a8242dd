import { printable } from '../../lib/printable.js'
import type { PhaseReport, SummaryCell, SummaryRow } from '../phase.js'
import { changesMarkdown } from './changes/markdown.js'
import { describeFieldReport, driftJson, fieldReportMarkdown } from './fields/markdown.js'
import { hasKeyChanges, type ChangeKind, type ChangeSet } from './changes/types.js'
import { diagnosisView } from './rollout/diagnosis-view.js'
import { diagnosisMarkdown } from './rollout/markdown.js'
import type { DeployResult } from './types.js'
import type { DryRunOutcome } from '../../github/check-run.js'
import { aftermathText, verificationMarkdown } from './verify/markdown.js'

/** Phase deploy's outputs, summary, as the phase table holds them. */
export const deployReport: PhaseReport<DeployResult> = { outputsOf, summaryRows, summarySections }

/** Phase deploy's step outputs, by name as declared in action.yml. */
export function outputsOf(deploy: DeployResult): Record<string, string> {
  const { state } = deploy
  return {
    'helm-version': deploy.helmVersion,
    'release-revision': state === undefined ? '' : String(state.revision),
    'release-status': state?.status ?? '',
    'chart-name': state?.chartName ?? '',
    'chart-version': state?.chartVersion ?? '',
    'chart-digest': deploy.chartDigest ?? '',
    'app-version': state?.appVersion ?? '',
    'previous-revision': deploy.previousRevision === undefined ? '' : String(deploy.previousRevision),
    'rolled-back': String(deploy.isRolledBack),
    // Untrusted text (a container's log line): one line, no workflow command, should a workflow echo it.
    'failure-reason': printable(deploy.failureReason ?? '', 1000),
    ...(deploy.manifests === undefined
      ? {}
      : {
          'images-pinned': deploy.manifests.pinned
            .map((pin) => `${pin.container}: ${pin.from} -> ${pin.to}`)
            .join('\n'),
        }),
    changes: deploy.changes === undefined ? '' : changesJson(deploy.changes),
    drift: deploy.fields === undefined ? '' : driftJson(deploy.fields.drift),
    verified: deploy.verification === undefined ? '' : String(deploy.verification.isVerified),
    ...changeCounts(deploy.changes),
  }
}

/** Outputs has-changes and the counts, for a dry run used as a gate; empty without one. */
function changeCounts(changes: ChangeSet | undefined): Record<string, string> {
  const count = (kind: ChangeKind): string =>
    changes === undefined ? '' : String(changes.objects.filter((object) => object.change === kind).length)
  const hasChanges =
    changes === undefined ? '' : String(changes.objects.length > 0 || hasKeyChanges(changes.values))
  return {
    'has-changes': hasChanges,
    'changes-added': count('added'),
    'changes-changed': count('changed'),
    'changes-removed': count('removed'),
  }
}

/** Output `changes`: `[{"kind":"Deployment","name":"web","namespace":"shop","change":"changed"}]`. */
function changesJson(changes: ChangeSet): string {
  return JSON.stringify(
    changes.objects.map(({ kind, name, namespace, change }) => ({ kind, name, namespace, change })),
  )
}

/** Phase deploy's rows of the job summary's table. */
export function summaryRows(deploy: DeployResult): SummaryRow[] {
  const { state } = deploy
  const revision =
    state === undefined ? 'none' : `${state.revision} (${state.status}${deploy.isDryRun ? ', dry run' : ''})`
  return [
    ['Release', [{ code: deploy.release }]],
    ['Namespace', [{ code: deploy.namespace }]],
    [
      'Chart',
      [
        state === undefined ? '-' : `${state.chartName} ${state.chartVersion}`.trim(),
        ...(deploy.chartDigest === undefined ? [] : [' ', { code: deploy.chartDigest }]),
      ],
    ],
    ...provenanceRows(deploy),
    ['Revision', [revision]],
    ['Previous revision', [deploy.previousRevision === undefined ? '-' : String(deploy.previousRevision)]],
    ['Rolled back', [deploy.isRolledBack ? 'yes' : 'no']],
    ...(deploy.isSkipped === true
      ? ([['Skipped', ['unchanged: no upgrade, no new revision (skip-unchanged)']]] as SummaryRow[])
      : []),
    ...(deploy.failureReason === undefined ? [] : ([['Failure', [deploy.failureReason]]] as SummaryRow[])),
    ...manifestRows(deploy),
    ...(deploy.fields === undefined
      ? []
      : ([['Field ownership', [describeFieldReport(deploy.fields)]]] as SummaryRow[])),
    ...verificationRows(deploy),
    ...lockRows(deploy),
    ['Helm', [deploy.helmVersion]],
  ]
}

/**
 * The verification's checks in one line for the GitHub deployment's status (140 characters in all):
 * `helm test passed 2.1s, GET /healthz failed 8.0s`. Undefined when nothing was verified.
 */
export function checksLine(deploy: DeployResult | undefined): string | undefined {
  const checks = deploy?.verification?.checks
  if (checks === undefined) return undefined
  return checks
    .map(
      (check) =>
        `${check.kind === 'http' ? check.name.replace(/^GET \w+:\/\/[^/]+/, 'GET ') : check.name} ${check.status} ${check.seconds}s`,
    )
    .join(', ')
}

function verificationRows({ verification }: DeployResult): SummaryRow[] {
  if (verification === undefined) return []
  const checks = verification.checks.map((check) => `${check.name} ${check.status} (${check.seconds} s)`)
  return [
    [
      'Verified',
      [`${verification.isVerified ? 'yes' : 'no'}: ${checks.join('; ')}; ${aftermathText(verification)}`],
    ],
  ]
}

function provenanceRows({ chartProvenance }: DeployResult): SummaryRow[] {
  if (chartProvenance === undefined) return []
  const { signedBy, fingerprint, hash } = chartProvenance
  return [
    ['Chart signature', [`verified (chart-keyring): ${signedBy}, key `, { code: fingerprint }, `, ${hash}`]],
  ]
}

function lockRows({ lock }: DeployResult): SummaryRow[] {
  if (lock === undefined) return []
  if (lock.kind === 'unlocked') return [['Release lock', [`not taken: ${lock.reason}`]]]
  const waited = lock.waitedMs < 1000 ? 'no wait' : `queued ${Math.round(lock.waitedMs / 1000)}s`
  const takeover = lock.tookOverFrom === undefined ? '' : `, taken over from ${lock.tookOverFrom}`
  return [['Release lock', [{ code: lock.lease }, ` (${waited}${takeover})`]]]
}

function manifestRows({ manifests }: DeployResult): SummaryRow[] {
  if (manifests === undefined) return []
  const pins: SummaryCell = manifests.pinned.flatMap((pin, index) => [
    ...(index === 0 ? [] : ['; ']),
    `${pin.object} ${pin.container}: `,
    { code: pin.from },
    ' → ',
    { code: pin.to },
  ])
  return [
    ['Manifests', [`${manifests.objects} objects from ${manifests.files} files`]],
    ...(pins.length === 0 ? [] : ([['Images pinned', pins]] as SummaryRow[])),
    ...(manifests.adopted.length === 0
      ? []
      : ([['Adopted', [manifests.adopted.join(', ')]]] as SummaryRow[])),
    ...(manifests.clusterScoped.length === 0
      ? []
      : ([['Cluster-scoped', [manifests.clusterScoped.join(', ')]]] as SummaryRow[])),
  ]
}

/** Phase deploy's sections of the job summary: what a dry run would change, why a rollout failed. */
export function summarySections(deploy: DeployResult): string[] {
  return [
    deploy.fields === undefined ? '' : fieldReportMarkdown(deploy.fields, deploy.release),
    deploy.changes === undefined ? '' : changesMarkdown(deploy.changes, deploy.release),
    deploy.verification === undefined ? '' : verificationMarkdown(deploy.verification),
    deploy.failureReason === undefined || deploy.verification !== undefined
      ? ''
      : diagnosisMarkdown(diagnosisView(deploy.failureReason, deploy.diagnosis)),
  ]
}

/** A dry run's result for its check run (check-run: true); undefined for a deploy. */
export function dryRunOutcome(deploy: DeployResult, failure: string | undefined): DryRunOutcome | undefined {
  if (!deploy.isDryRun) return undefined
  const { changes } = deploy
  const count = (kind: ChangeKind): number =>
    changes?.objects.filter((object) => object.change === kind).length ?? 0
  return {
    release: deploy.release,
    namespace: deploy.namespace,
    counts:
      changes === undefined
        ? undefined
        : { added: count('added'), changed: count('changed'), removed: count('removed') },
    hasChanges: changeCounts(changes)['has-changes'] === 'true',
    failure: failure?.split('\n')[0],
    changesMarkdown: changes === undefined ? '' : changesMarkdown(changes, deploy.release),
  }
}

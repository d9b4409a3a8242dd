import { ActionError } from '../../lib/errors.js'
import type { ExecResult, Runtime } from '../../runner/runtime.js'
import type { PhaseDeps } from '../phase.js'
import type { ReleaseSpec } from '../../helm/args.js'
import type { HelmCli } from '../../helm/cli.js'
import { describeRelease, type HistoryEntry } from '../../helm/result.js'
import { hasKeyChanges, type ChangeKind, type ChangeSet } from './changes/types.js'
import type { DeployResult } from './types.js'
import type { WatchedRollout } from './upgrade.js'

// The ends of a deploy: a dry run's answer, helm on the timeline, a deploy stopped before helm wrote.

export type DeployBase = Pick<DeployResult, 'helmVersion' | 'release' | 'namespace' | 'isDryRun'>

/** A dry run's release: the revision it would make, and what would change (loaded only for a dry run). */
export async function whatWouldChange(
  helm: HelmCli,
  spec: ReleaseSpec,
  dryRun: { readonly stdout: string; readonly history: readonly HistoryEntry[] },
  deps: Pick<PhaseDeps, 'time'>,
): Promise<Omit<DeployResult, keyof DeployBase | 'previousRevision'>> {
  const { reportChanges } = await import('./changes/report.js')
  const { state, changes } = await deps.time('what would change', () =>
    reportChanges(helm, spec, dryRun.stdout, dryRun.history),
  )
  const failure =
    spec.shouldFailOnChanges && changes !== undefined ? changesFailure(spec, changes) : undefined
  return {
    state,
    isRolledBack: false,
    failure,
    failureReason: failure?.message,
    diagnosis: undefined,
    changes,
  }
}

/** fail-on-changes: a dry run that finds anything to change fails the step, after its outputs and summary. */
export function changesFailure(
  spec: Pick<ReleaseSpec, 'release' | 'namespace'>,
  changes: ChangeSet,
): ActionError | undefined {
  const count = (kind: ChangeKind) => changes.objects.filter((object) => object.change === kind).length
  const valuesChange = hasKeyChanges(changes.values)
  if (changes.objects.length === 0 && !valuesChange) return undefined
  const what = [
    `${String(count('added'))} added, ${String(count('changed'))} changed, ${String(count('removed'))} removed`,
    valuesChange ? ', and supplied values differ' : '',
  ].join('')
  return new ActionError(
    `Release ${spec.release} in namespace ${spec.namespace} would change (objects: ${what}): the dry run fails on any change (fail-on-changes: true). Nothing was changed.`,
    {
      hint: 'Outputs changes and has-changes and the job summary show what differs. Deploy the change, or bring the chart and values back to what is deployed; for a check that only reports, remove fail-on-changes.',
    },
  )
}

/** helm on the timeline: its run (and wait), and after fail-fast stopped it, the rollback. */
export function recordHelm(
  record: PhaseDeps['record'],
  spec: ReleaseSpec,
  ran: { startMs: number; endMs: number; run: ExecResult; watched: WatchedRollout | undefined },
): void {
  const { startMs, endMs, run, watched } = ran
  const name = spec.isDryRun ? 'helm dry run' : 'helm upgrade'
  const stoppedAfterMs = watched?.stoppedAfterMs
  if (stoppedAfterMs === undefined) {
    record({ name, startMs, endMs, isFailed: run.exitCode !== 0 })
    return
  }
  const stopMs = startMs + stoppedAfterMs
  record({ name: `${name} until fail-fast`, startMs, endMs: stopMs, isFailed: true })
  record({ name: 'rollback', startMs: stopMs, endMs, isFailed: false })
}

/** A deploy that stopped before helm upgraded anything: the release is as it was. */
export function failed(
  base: DeployBase,
  history: readonly HistoryEntry[],
  failure: ActionError | undefined,
): DeployResult {
  const last = history.at(-1)
  return {
    ...base,
    state: last === undefined ? undefined : describeRelease(last, history),
    previousRevision: last?.revision,
    isRolledBack: false,
    failure,
    failureReason: failure?.message.split('\n')[0],
    diagnosis: undefined,
    changes: undefined,
  }
}

/** skip-unchanged found nothing to change: the release stays at its revision, and no new one is written. */
export function skipped(
  base: DeployBase,
  history: readonly HistoryEntry[],
  changes: ChangeSet,
  runtime: Runtime,
): DeployResult {
  const last = history.at(-1)
  runtime.info(
    `Release ${base.release} is unchanged: the chart renders exactly what revision ${String(last?.revision)} deployed, with the same values. No upgrade, no new revision (skip-unchanged: true).`,
  )
  return { ...failed(base, history, undefined), changes, isSkipped: true }
}

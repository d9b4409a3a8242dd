import { lastHelmError } from '../../../helm/failure.js'
import { operationDeadline, type HelmCli } from '../../../helm/cli.js'
import type { VerifyRollback } from '../../../inputs/types.js'
import type { PhaseDeps } from '../../phase.js'
import type { VerifyAftermath } from './types.js'

export interface AftermathParams {
  readonly release: string
  readonly namespace: string
  /** The newest revision before this deploy; undefined for a first install. */
  readonly previousRevision: number | undefined
  readonly rollback: VerifyRollback
  readonly isCancelled: boolean
  /** helm's timeout (the input), for its rollback's waits. */
  readonly timeout: string
  readonly timeoutSeconds: number
  readonly historyMax: number
}

/** What to do with a release that failed verification. Pure. */
export function decideAftermath(
  params: Pick<AftermathParams, 'previousRevision' | 'rollback' | 'isCancelled'>,
): 'keep-cancelled' | 'keep-asked' | 'keep-first-install' | 'rollback' | 'uninstall' {
  // A cancelled job: the runner kills the action seconds later, so a rollback could be cut mid-way and
  // leave the release pending; as deployed, it is whole.
  if (params.isCancelled) return 'keep-cancelled'
  if (params.rollback === 'false') return 'keep-asked'
  if (params.previousRevision === undefined)
    return params.rollback === 'uninstall' ? 'uninstall' : 'keep-first-install'
  return 'rollback'
}

/**
 * `helm rollback` to the revision before this deploy (recorded as such in the history), or `helm
 * uninstall` of a first install when asked, waited for as helm's upgrade was. Not passed the runner's
 * signals: stopped half-way, it would leave the release pending-rollback.
 */
export async function settleFailedRelease(
  helm: HelmCli,
  params: AftermathParams,
  deps: Pick<PhaseDeps, 'record'>,
): Promise<{ readonly aftermath: VerifyAftermath; readonly rolledBackTo: number | undefined }> {
  const decision = decideAftermath(params)
  switch (decision) {
    case 'keep-cancelled':
      return { aftermath: 'kept-cancelled', rolledBackTo: undefined }
    case 'keep-asked':
      return { aftermath: 'kept-as-asked', rolledBackTo: undefined }
    case 'keep-first-install':
      return { aftermath: 'kept-first-install', rolledBackTo: undefined }
    case 'rollback':
    case 'uninstall':
      break
  }
  const { release, namespace } = params
  const wait = helm.version.major >= 4 ? '--wait=watcher' : '--wait'
  const target = params.previousRevision
  const args =
    decision === 'rollback' && target !== undefined
      ? [
          'rollback',
          release,
          String(target),
          '--namespace',
          namespace,
          wait,
          '--timeout',
          params.timeout,
          '--history-max',
          String(params.historyMax),
        ]
      : ['uninstall', release, '--namespace', namespace, '--wait', '--timeout', params.timeout]
  const { runtime } = helm
  const title =
    decision === 'rollback'
      ? `helm rollback ${release} to revision ${target ?? '?'}`
      : `helm uninstall ${release}`
  const startMs = runtime.now()
  const run = await runtime.group(title, () =>
    runtime.exec(helm.binary, args, {
      env: helm.env,
      stop: operationDeadline(helm, params.timeoutSeconds).signal,
    }),
  )
  const isFailed = run.exitCode !== 0
  deps.record({
    name: decision === 'rollback' ? 'rollback' : 'uninstall',
    startMs,
    endMs: runtime.now(),
    isFailed,
  })
  if (isFailed) {
    runtime.warning(`${title} failed (exit code ${run.exitCode}): ${lastHelmError(run.stderr)}`)
    return { aftermath: 'rollback-failed', rolledBackTo: undefined }
  }
  return decision === 'rollback'
    ? { aftermath: 'rolled-back', rolledBackTo: target }
    : { aftermath: 'uninstalled', rolledBackTo: undefined }
}

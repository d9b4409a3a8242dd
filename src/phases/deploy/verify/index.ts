import type { VerifyInputs } from '../../../inputs/types.js'
import { ActionError } from '../../../lib/errors.js'
import { listenForCancel } from '../../../runner/cancel.js'
import { settleFailedRelease, type AftermathParams } from './aftermath.js'
import { runChecks, type ChecksDeps } from './checks.js'
import type { Verification, VerifyAftermath } from './types.js'

/** The release helm just deployed, and how its checks and a rollback run. */
export interface VerifyRun extends Omit<AftermathParams, 'rollback' | 'isCancelled'> {
  readonly verify: VerifyInputs
  /** The revision helm just deployed. */
  readonly revision: number
  readonly logLines: number
}

export interface VerifyDeps extends ChecksDeps {
  /** A cancelled job; the runner's SIGINT/SIGTERM when not given (tests give their own). */
  readonly cancel?: AbortSignal
}

export interface VerifyOutcome {
  readonly verification: Verification
  readonly failure: ActionError | undefined
  readonly failureReason: string | undefined
  readonly isRolledBack: boolean
}

/**
 * The checks after a successful rollout (helm-test, verify-urls, verify-alarms over bake-minutes),
 * within verify-timeout; a release that fails them is rolled back (or kept: verify-rollback, a first
 * install, a cancelled job). While it runs the runner's signals stop it cleanly instead of killing the
 * action: a release is left deployed or rolled back, never pending.
 */
export async function verifyRelease(run: VerifyRun, deps: VerifyDeps): Promise<VerifyOutcome> {
  const { helm } = deps
  const { runtime } = helm
  const cancelling = deps.cancel === undefined ? listenForCancel(runtime, 'verification') : undefined
  const cancel = deps.cancel ?? cancelling?.signal ?? new AbortController().signal
  try {
    const budgetMs = run.verify.timeoutSeconds * 1000
    const signal = AbortSignal.any([cancel, AbortSignal.timeout(budgetMs)])
    const title = `Verify release ${run.release} revision ${run.revision} (verify-timeout ${run.verify.timeout})`
    const { checks, logs } = await runtime.group(title, async () => {
      const ran = await runChecks(run.verify, run, deps, { signal, deadlineMs: runtime.now() + budgetMs })
      for (const log of ran.logs) {
        runtime.info(`Log of test pod ${log.pod}, container ${log.container}:`)
        runtime.relay(log.lines.map((line) => `  ${line}`).join('\n'))
      }
      return ran
    })
    const isCancelled = cancel.aborted
    const failed = checks.find((check) => check.status === 'failed' || check.status === 'cancelled')
    if (failed === undefined && !signal.aborted)
      return {
        verification: {
          checks,
          isVerified: true,
          failureReason: undefined,
          aftermath: 'kept',
          revision: run.revision,
          rolledBackTo: undefined,
          testLogs: logs,
        },
        failure: undefined,
        failureReason: undefined,
        isRolledBack: false,
      }
    const reason = isCancelled
      ? 'verification: the job was cancelled before the checks ended'
      : failed === undefined
        ? `verification: verify-timeout (${run.verify.timeout}) ran out`
        : `verification: ${failed.name}: ${failed.detail}`
    const marked = isCancelled
      ? checks.map((check) => (check === failed ? { ...check, status: 'cancelled' as const } : check))
      : checks
    const settled = await settleFailedRelease(
      helm,
      { ...run, rollback: run.verify.rollback, isCancelled },
      deps,
    )
    return {
      verification: {
        checks: marked,
        isVerified: false,
        failureReason: reason,
        aftermath: settled.aftermath,
        revision: run.revision,
        rolledBackTo: settled.rolledBackTo,
        testLogs: logs,
      },
      failure: verifyFailure(run, reason, settled.aftermath, settled.rolledBackTo),
      failureReason: reason,
      isRolledBack: settled.aftermath === 'rolled-back' || settled.aftermath === 'uninstalled',
    }
  } finally {
    cancelling?.dispose()
  }
}

function verifyFailure(
  run: VerifyRun,
  reason: string,
  aftermath: VerifyAftermath,
  rolledBackTo: number | undefined,
): ActionError {
  const which = `release ${run.release} revision ${run.revision} (namespace ${run.namespace})`
  const status = `helm history ${run.release} -n ${run.namespace}`
  const outcomes: Record<VerifyAftermath, { what: string; hint: string }> = {
    kept: { what: '', hint: '' },
    'rolled-back': {
      what: `Rolled back to revision ${rolledBackTo ?? '?'}.`,
      hint: `Fix what the check found (the job summary lists each check), then deploy again. To keep a release that fails verification for a look, set verify-rollback: false.`,
    },
    uninstalled: {
      what: 'It was a first install: uninstalled, as verify-rollback: uninstall asks.',
      hint: 'Fix what the check found, then deploy again.',
    },
    'kept-as-asked': {
      what: 'Kept deployed, as verify-rollback: false asks.',
      hint: `Roll it back yourself when done: helm rollback ${run.release} -n ${run.namespace}.`,
    },
    'kept-first-install': {
      what: 'It is a first install: there is no earlier revision to roll back to, so it stays deployed.',
      hint: `Fix what the check found and deploy again; verify-rollback: uninstall removes a first install that fails verification.`,
    },
    'kept-cancelled': {
      what: 'The job was cancelled: the release is left deployed as it was, unverified (no rollback that the runner could cut short).',
      hint: `Re-run the job to verify it, or roll it back: helm rollback ${run.release} -n ${run.namespace}.`,
    },
    'rollback-failed': {
      what: 'The rollback failed too (its error is in the log).',
      hint: `Look at the release: ${status}; roll it back by hand if it is still the failing revision.`,
    },
  }
  const { what, hint } = outcomes[aftermath]
  return new ActionError(
    `Verification of ${which} failed: ${reason.replace(/^verification: /, '')}. ${what}`,
    { hint },
  )
}

import { ActionError } from '../lib/errors.js'
import { lastGoodRevision, type HistoryEntry, type ReleaseStatus } from './result.js'
import { explainForbidden, findRefusal } from './forbidden.js'
import { classifyHelmFailure } from './failure-kind.js'
import { lookCloser, upgradeHint } from './failure-hints.js'
import { explainUnauthorized, isUnauthorized, type ClusterIdentity } from './unauthorized.js'

/** What is known after a `helm upgrade --install` that exited non-zero. */
export interface UpgradeFailure {
  readonly release: string
  readonly namespace: string
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
  readonly state: ReleaseStatus | undefined
  readonly history: readonly HistoryEntry[]
  readonly isRolledBack: boolean
  /** Whom the cluster saw, to name in a 401; undefined when helm used the job's KUBECONFIG. */
  readonly cluster?: ClusterIdentity | undefined
  /**
   * What the rollout watch found: the one-line reason, and whether fail-fast stopped helm (after how long,
   * by which rule, and how to relax it).
   */
  readonly rollout?:
    | {
        readonly reason: string
        readonly stoppedAfterSeconds: number | undefined
        readonly rule?: string | undefined
        readonly relax?: string | undefined
      }
    | undefined
}

// Helm's errors for a release whose latest revision is pending-install/-upgrade/-rollback.
const ANOTHER_OPERATION = /another operation \(install\/upgrade\/rollback\) is in progress/
// Helm's upgrade command prints this when SIGINT/SIGTERM cancels its context.
const CANCELLED = /has been cancelled\./
// Helm 3 (--atomic) and Helm 4 (--rollback-on-failure) uninstall a failed first install.
const UNINSTALLED = /has been uninstalled due to/
// A first install that failed without automatic rollback leaves only a failed revision behind.
const NO_DEPLOYED = /has no deployed releases/
export { isTimeout } from './failure-kind.js'

/** The error helm printed last (`Error: ...` and the lines after it), else its last stderr line. */
export function lastHelmError(stderr: string): string {
  const lines = stderr.split(/\r?\n/).filter((line) => line.trim() !== '')
  const start = lines.findLastIndex((line) => line.startsWith('Error:'))
  const picked = start === -1 ? lines.slice(-1) : lines.slice(start, start + 4)
  const message = picked.join(' ').replace(/^Error:\s*/, '')
  return message === '' ? '(helm printed no error)' : message.slice(0, 800)
}

// Helm 4 logs the upgrade's (or install's) own error before it rolls back: `level=WARN msg="upgrade failed" ... error="..."`.
const LOGGED_FIRST = /msg="(?:upgrade|install|release) failed"[^\n]*?\berror="((?:[^"\\]|\\.)*)"/
// When the rollback (or uninstall) fails too, helm's last error wraps the first: `... original upgrade error: <first>: <rollback's>`.
const ROLLBACK_FAILED =
  /an error occurred while (?:rolling back|uninstalling|cleaning up)[^\n]*?original (?:upgrade|install|rollback) error: ([^\n]*)/

/**
 * The first error helm met, when its last one is about the rollback that followed (helm/helm#32350: the
 * rollback's error can hide the upgrade's). Undefined when the last error already says it plainly.
 */
export function firstHelmError(stderr: string): string | undefined {
  const rollbackFailed = ROLLBACK_FAILED.exec(stderr)
  if (rollbackFailed === null) return undefined
  const logged = LOGGED_FIRST.exec(stderr)?.[1]
  const first = logged === undefined ? rollbackFailed[1] : logged.replace(/\\n/g, ' ').replace(/\\(.)/g, '$1')
  return first?.trim().slice(0, 800)
}

/** Whether a failed first install was removed again by helm's automatic rollback. */
export function wasInstallUninstalled(stderr: string): boolean {
  return UNINSTALLED.test(stderr)
}

function describeOutcome(failure: UpgradeFailure): string {
  const { state } = failure
  if (failure.isRolledBack && state !== undefined) {
    return `The release was rolled back: revision ${state.revision} ("${state.description}") is deployed.`
  }
  if (state === undefined) {
    return wasInstallUninstalled(failure.stderr)
      ? 'The failed first install was removed again (automatic rollback).'
      : 'The release does not exist.'
  }
  if (state.status === 'failed' && failure.history.every((entry) => entry.status === 'failed'))
    return `The failed first install was kept (revision ${state.revision}, status failed) with its pods for debugging; run \`helm uninstall ${failure.release} -n ${failure.namespace}\` before the next deploy.`
  return `The release is at revision ${state.revision}, status ${state.status}.`
}

function explainStuck(failure: UpgradeFailure): ActionError {
  const { release, namespace, state } = failure
  const good = lastGoodRevision(failure.history)
  const fix =
    good === undefined
      ? `helm uninstall ${release} -n ${namespace}   # no revision was ever deployed`
      : `helm rollback ${release} ${good} -n ${namespace}   # back to the last deployed revision`
  const pending = state === undefined ? '' : ` (revision ${state.revision} is ${state.status})`
  return new ActionError(
    `helm refused to upgrade release ${release} in namespace ${namespace}: another operation (install/upgrade/rollback) is in progress${pending}.`,
    {
      hint: [
        'A release stays pending when helm was killed mid-operation (a cancelled or timed-out job), or while another job deploys it.',
        'Give deploying jobs a `concurrency:` group so that two never overlap. When nothing else is deploying it, run:',
        `  helm history ${release} -n ${namespace}`,
        `  ${fix}`,
        'and re-run this job.',
      ].join('\n'),
    },
  )
}

/** Turns a failed `helm upgrade --install` into the step's error: what happened, and what to do. */
export function explainUpgradeFailure(failure: UpgradeFailure): ActionError {
  const { release, namespace } = failure
  const error = lastHelmError(failure.stderr)
  if (isUnauthorized(failure.stderr)) {
    return explainUnauthorized({ cluster: failure.cluster, namespace, helmError: error })
  }
  const refusal = findRefusal(failure.stderr)
  if (refusal !== undefined) {
    return explainForbidden({ cluster: failure.cluster, namespace, refusal, helmError: error })
  }
  if (ANOTHER_OPERATION.test(failure.stderr)) return explainStuck(failure)
  if (NO_DEPLOYED.test(failure.stderr)) return explainNoDeployed(failure)
  const outcome = describeOutcome(failure)
  const { rollout } = failure
  if (rollout?.stoppedAfterSeconds !== undefined) {
    const rule = rollout.rule === undefined ? '' : ` (rule ${rollout.rule})`
    // The rollout's failure came first; a rollback that failed after it is helm's to say.
    const rollbackError =
      firstHelmError(failure.stderr) === undefined ? '' : `\nhelm's rollback failed: ${error}`
    return new ActionError(
      `The rollout of release ${release} in namespace ${namespace} cannot succeed: ${rollout.reason}. fail-fast stopped helm after ${Math.round(rollout.stoppedAfterSeconds)} s${rule} instead of waiting for its timeout. ${outcome}${rollbackError}`,
      // The diagnosis says why; a timeout hint would be wrong (helm did not time out).
      {
        hint: [
          lookCloser(release, namespace, true),
          ...(rollout.relax === undefined
            ? []
            : [`If this rule is wrong for this workload: ${rollout.relax}.`]),
        ].join('\n'),
      },
    )
  }
  if (CANCELLED.test(failure.stdout)) {
    return new ActionError(
      `The deploy of release ${release} in namespace ${namespace} was cancelled; helm got the signal and finished cleanly. ${outcome}`,
      {
        hint: `The job was cancelled (or its runner stopped). Deploy again when ready; \`helm history ${release} -n ${namespace}\` shows where the release stands.`,
      },
    )
  }
  // A reason of "helm: ..." only repeats helm's error (the diagnosis found nothing of its own).
  const why = rollout === undefined || rollout.reason.startsWith('helm: ') ? '' : `\nWhy: ${rollout.reason}`
  const first = firstHelmError(failure.stderr)
  const before = first === undefined ? '' : `\nhelm's first error, before its rollback failed too: ${first}`
  return new ActionError(
    `helm upgrade --install of release ${release} in namespace ${namespace} failed (exit code ${failure.exitCode}): ${error}${before}${why}\n${outcome}`,
    {
      hint: upgradeHint(classifyHelmFailure(failure.stderr), {
        release,
        namespace,
        isDiagnosed: rollout !== undefined,
      }),
    },
  )
}

/** A first install that failed without automatic rollback: helm cannot upgrade what never deployed. */
function explainNoDeployed(failure: UpgradeFailure): ActionError {
  const { release, namespace } = failure
  return new ActionError(
    `helm cannot upgrade release ${release} in namespace ${namespace}: it has no deployed revision (its first install failed and was not rolled back).`,
    {
      hint: [
        'Remove the failed install and deploy again:',
        `  helm uninstall ${release} -n ${namespace}`,
        'With atomic: true (the default) helm removes a failed first install itself, so this does not happen again.',
      ].join('\n'),
    },
  )
}

import { ActionError } from '../../../lib/errors.js'
import { lastGoodRevision, type HistoryEntry } from '../../../helm/result.js'

/** What to do about a release whose last revision is pending (a deploy that was killed mid-operation). */
export type PendingDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'refuse'; readonly error: ActionError }
  | {
      readonly kind: 'rollback'
      readonly revision: number
      readonly pending: HistoryEntry
      readonly ageSeconds: number
    }
  | { readonly kind: 'uninstall'; readonly pending: HistoryEntry; readonly ageSeconds: number }

export interface PendingParams {
  readonly release: string
  readonly namespace: string
  readonly timeout: string
  readonly timeoutSeconds: number
  /** recover-pending: roll a stale pending release back (or uninstall one that never deployed). */
  readonly shouldRecover: boolean
  readonly nowMs: number
}

const PENDING = /^pending-(install|upgrade|rollback)$/

/**
 * A pending revision blocks every upgrade ("another operation is in progress"). Only one older than
 * `timeout` is recovered: a younger one may belong to a deploy that is still running. Pure.
 */
export function decidePending(history: readonly HistoryEntry[], params: PendingParams): PendingDecision {
  const pending = history.at(-1)
  if (pending === undefined || !PENDING.test(pending.status)) return { kind: 'none' }
  const ageSeconds =
    pending.updatedMs === undefined ? Number.POSITIVE_INFINITY : (params.nowMs - pending.updatedMs) / 1000
  const good = lastGoodRevision(history.slice(0, -1))
  if (params.shouldRecover && ageSeconds > params.timeoutSeconds) {
    return good === undefined
      ? { kind: 'uninstall', pending, ageSeconds }
      : { kind: 'rollback', revision: good, pending, ageSeconds }
  }
  return { kind: 'refuse', error: explainPending(pending, ageSeconds, good, params) }
}

export function describeAge(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'at an unknown time'
  if (seconds < 120) return `${Math.max(0, Math.round(seconds))} s ago`
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`
  return `${Math.round(seconds / 3600)} h ago`
}

function explainPending(
  pending: HistoryEntry,
  ageSeconds: number,
  good: number | undefined,
  params: PendingParams,
): ActionError {
  const { release, namespace } = params
  const isYoung = ageSeconds <= params.timeoutSeconds
  const fix =
    good === undefined
      ? `helm uninstall ${release} -n ${namespace}   # it never deployed`
      : `helm rollback ${release} ${good} -n ${namespace}   # back to the last deployed revision`
  const message = `Release ${release} in namespace ${namespace} is stuck: revision ${pending.revision} is ${pending.status} since ${describeAge(ageSeconds)} ("${pending.description}"). helm refuses to upgrade it ("another operation is in progress").`
  const hint = isYoung
    ? [
        `The revision is younger than timeout (${params.timeout}): another job may still be deploying this release, so it is left alone.`,
        'Give deploying jobs a `concurrency:` group so that two never overlap. Once you are sure no other job deploys it, free it:',
        `  helm history ${release} -n ${namespace}`,
        `  ${fix}`,
      ]
    : [
        'A deploy was killed or cancelled mid-operation (helm leaves the release pending when it is stopped without a chance to roll back).',
        `Set recover-pending: true to let this action roll it back before upgrading, or run:`,
        `  helm history ${release} -n ${namespace}`,
        `  ${fix}`,
      ]
  return new ActionError(message, { hint: hint.join('\n') })
}

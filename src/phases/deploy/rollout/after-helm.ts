import { ActionError } from '../../../lib/errors.js'
import type { Runtime } from '../../../runner/runtime.js'
import type { HopelessRollout } from './fail-fast.js'
import { describeWorkloadLine, type WorkloadStatus } from './workloads.js'

/** What the watch decided once helm had returned without judging the Rollouts and Canaries. */
interface AfterHelm {
  readonly readiness: 'ready' | 'paused' | 'not-ready' | undefined
  readonly verdict: HopelessRollout | undefined
  /** The one-line reason fail-fast gave (its verdict), if any. */
  readonly reason: string | undefined
  readonly last: readonly WorkloadStatus[]
}

interface Release {
  readonly release: string
  readonly namespace: string
  readonly timeout: string
  readonly revision: number | undefined
}

/**
 * The failure of a deploy whose helm succeeded but whose rollout the watch found hopeless or not ready
 * within `timeout`; undefined when it was ready (or only paused, under on-paused-rollout: report, which
 * is said as a warning). helm did not roll back: it had returned.
 */
export function failureAfterHelm(
  release: Release,
  watched: AfterHelm | undefined,
  runtime: Pick<Runtime, 'warning'>,
): { readonly error: ActionError; readonly reason: string } | undefined {
  if (watched === undefined || (watched.readiness === undefined && watched.verdict === undefined))
    return undefined
  const { readiness, verdict } = watched
  const kept = `helm had returned (its wait does not judge Rollouts and Canaries), so it did not roll back: revision ${release.revision ?? '?'} stays deployed (an aborted or degraded Argo Rollout keeps serving its stable version); \`helm rollback ${release.release} -n ${release.namespace}\` goes back to the previous revision`
  if (verdict !== undefined) {
    const reason = watched.reason ?? verdict.rule
    return {
      reason,
      error: new ActionError(
        `The rollout of release ${release.release} failed after helm returned: ${reason}. Rule: ${verdict.rule}.`,
        { hint: `${verdict.relax}. ${kept}.` },
      ),
    }
  }
  const pending = watched.last.filter((workload) => !workload.isDone).map(describeWorkloadLine)
  if (readiness === 'paused') {
    runtime.warning(
      `Deployed, with a paused rollout (on-paused-rollout: report): ${pending.join('; ')}. Promote it (kubectl argo rollouts promote <name> -n ${release.namespace}) to finish.`,
    )
    return undefined
  }
  if (readiness !== 'not-ready') return undefined
  const reason = `not ready within timeout ${release.timeout}: ${pending.join('; ')}`
  return {
    reason,
    error: new ActionError(
      `The rollout of release ${release.release} was ${reason} (the action's watch decides for what helm's wait cannot judge).`,
      {
        hint: `Promote a paused Rollout or Canary, set on-paused-rollout: report to accept a pause, or raise timeout. ${kept}.`,
      },
    ),
  }
}

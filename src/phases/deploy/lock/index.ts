import type { KubeApi, LeaseApi } from '../../../kube/kube-api.js'
import type { Runtime } from '../../../runner/runtime.js'
import type { PhaseDeps } from '../../phase.js'
import { failedLock, takeReleaseLock } from './take.js'
import type { LeaseMemory, LockOutcome, LockParams } from './types.js'

export type { LeaseMemory, LockOutcome, LockParams } from './types.js'

/** What the summary says of the lock: held (how long the deploy queued, whom it took over from), or why not. */
export type LockReport =
  | {
      readonly kind: 'held'
      readonly lease: string
      readonly waitedMs: number
      readonly tookOverFrom: string | undefined
    }
  | { readonly kind: 'unlocked'; readonly reason: string }

/**
 * Starts taking the release lock, on the deploy's one Kubernetes client; the deploy awaits it before it
 * reads the release's history (a deploy that is still running leaves a pending revision, which only the
 * lock tells from one a killed runner left).
 */
export function startReleaseLock(
  params: LockParams & { readonly release: string; readonly namespace: string },
  deps: {
    readonly connect: () => Promise<KubeApi & LeaseApi>
    readonly runtime: Runtime
    readonly time: PhaseDeps['time']
    readonly memory?: LeaseMemory | undefined
  },
): Promise<LockOutcome> {
  return deps.time(
    'release lock',
    async () => {
      let kube: KubeApi & LeaseApi
      try {
        kube = await deps.connect()
      } catch (error) {
        return failedLock(params, error, deps.runtime)
      }
      return takeReleaseLock(params, { leases: kube, kube, runtime: deps.runtime, memory: deps.memory })
    },
    (outcome) => outcome.kind === 'refused',
  )
}

export function lockReport(outcome: LockOutcome | undefined): LockReport | undefined {
  switch (outcome?.kind) {
    case undefined:
    case 'refused':
      return undefined
    case 'unlocked':
      return outcome
    case 'held': {
      const { lease, waitedMs, tookOverFrom } = outcome.lock
      return { kind: 'held', lease, waitedMs, tookOverFrom }
    }
  }
}

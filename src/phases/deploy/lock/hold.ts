import { KubeApiError, type LeaseApi, type LeaseRecord } from '../../../kube/kube-api.js'
import type { Runtime } from '../../../runner/runtime.js'
import { messageOf } from '../../../lib/errors.js'
import type { HeldLock, LeaseMemory, LockParams } from './types.js'

interface HoldParams extends LockParams {
  readonly waitedMs: number
  readonly tookOverFrom: string | undefined
}

/**
 * Keeps the Lease while helm runs: renewed three times per lease duration by a timer that never keeps
 * the process alive (unref), and given up by release(). A renewal refused with HTTP 409 means another
 * deploy took the Lease over (this one stopped renewing for longer than its duration): said once.
 */
export function holdLease(
  taken: LeaseRecord,
  params: HoldParams,
  deps: {
    readonly leases: LeaseApi
    readonly runtime: Pick<Runtime, 'warning' | 'now'>
    readonly memory?: LeaseMemory | undefined
  },
): HeldLock {
  let current = taken
  let isLost = false
  const held = { namespace: taken.namespace, name: taken.name, holder: params.holder.identity }
  deps.memory?.hold(held)
  let renewing: Promise<void> = Promise.resolve()
  const lease = `${taken.namespace}/${taken.name}`
  const write = (holder: string | undefined) => ({
    name: taken.name,
    namespace: taken.namespace,
    holder,
    durationSeconds: params.leaseSeconds,
    transitions: current.transitions,
    annotations: current.annotations,
    nowMs: deps.runtime.now(),
    isNewHolder: false,
  })
  const renew = async (): Promise<void> => {
    if (isLost) return
    try {
      current = await deps.leases.replaceLease(write(params.holder.identity), current.resourceVersion)
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 409) {
        isLost = true
        deps.memory?.drop(held)
        deps.runtime.warning(
          `Release lock ${lease}: another deploy took it over while this one ran (it could not be renewed for ${params.leaseSeconds}s).`,
        )
      }
      // Any other failure is tried again at the next tick: the lease holds for three of them.
    }
  }
  const timer = setInterval(
    () => {
      renewing = renewing.then(renew)
    },
    (params.leaseSeconds * 1000) / 3,
  )
  timer.unref()
  return {
    lease,
    waitedMs: params.waitedMs,
    tookOverFrom: params.tookOverFrom,
    release: async () => {
      clearInterval(timer)
      await renewing
      if (isLost) return
      try {
        current = await deps.leases.replaceLease(write(undefined), current.resourceVersion)
        deps.memory?.drop(held)
      } catch (error) {
        deps.runtime.warning(
          `Release lock ${lease}: could not release it (${messageOf(error)}); it expires on its own ${params.leaseSeconds}s after its last renewal.`,
        )
      }
    },
  }
}

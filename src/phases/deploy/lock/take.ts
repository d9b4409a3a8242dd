import { ActionError, messageOf } from '../../../lib/errors.js'
import type { Runtime } from '../../../runner/runtime.js'
import { KubeApiError, type LeaseRecord } from '../../../kube/kube-api.js'
import { describeHolder, holderAnnotations, leaseNameOf } from './holder.js'
import { lockDenied, LEASE_QUESTIONS } from './grant.js'
import { holdLease } from './hold.js'
import type { LockOutcome, TakeLockDeps, TakeLockParams } from './types.js'

// How often a queued deploy looks at the Lease again, and prints that it still waits.
const POLL_MS = 2_000
const PRINT_EVERY_MS = 10_000

/**
 * Takes the release's Lease: asks whether the identity may use Leases while it reads the Lease (both
 * at once: a healthy deploy pays one round trip, then one write), then waits in the queue while another
 * deploy holds it (bounded by lock-timeout) and takes over a Lease its holder stopped renewing. Whether
 * a holder stopped is judged by this runner's clock: the Lease unchanged for its whole duration, as
 * Kubernetes' own leader election does, so clocks that differ between runners do not matter.
 */
export async function takeReleaseLock(params: TakeLockParams, deps: TakeLockDeps): Promise<LockOutcome> {
  const { namespace } = params
  const name = leaseNameOf(params.release)
  const questions = LEASE_QUESTIONS.map((verb) => ({
    verb,
    group: 'coordination.k8s.io',
    resource: 'leases',
    namespace,
  }))
  // The Lease is read while the access is asked: a denied read only fails (and is then not used).
  const reading = deps.leases.readLease(namespace, name)
  reading.catch(() => undefined)
  try {
    const answers = await deps.kube.reviewAccess(questions)
    const denied = answers.filter((answer) => !answer.isAllowed)
    if (denied.length > 0) return await lockDenied(params, denied, deps)
    return await queue(params, deps, name, await reading)
  } catch (error) {
    return failedLock(params, error, deps.runtime)
  }
}

async function queue(
  params: TakeLockParams,
  deps: TakeLockDeps,
  name: string,
  first: LeaseRecord | undefined,
): Promise<LockOutcome> {
  const { runtime } = deps
  const { namespace, holder } = params
  const startMs = runtime.now()
  const write = (transitions: number, isNewHolder: boolean) => ({
    name,
    namespace,
    holder: holder.identity,
    durationSeconds: params.leaseSeconds,
    transitions,
    annotations: holderAnnotations(holder),
    nowMs: runtime.now(),
    isNewHolder,
  })
  const held = (lease: LeaseRecord, tookOverFrom: string | undefined): LockOutcome => ({
    kind: 'held',
    lock: holdLease(lease, { ...params, waitedMs: runtime.now() - startMs, tookOverFrom }, deps),
  })
  let current = first
  // The Lease as this deploy first saw it unchanged, and when: the holder renews it by changing it.
  let seen: { readonly version: string; readonly sinceMs: number } | undefined
  let printedMs: number | undefined
  for (;;) {
    if (current === undefined) {
      const created = await deps.leases.createLease(write(0, true)).catch(conflictOr)
      if (created === 'namespace missing')
        return {
          kind: 'unlocked',
          reason: `namespace ${namespace} does not exist yet, so there is no release to lock: a first install`,
        }
      if (created !== 'conflict') return held(created, undefined)
      current = await deps.leases.readLease(namespace, name)
      continue
    }
    const nowMs = runtime.now()
    if (seen?.version !== current.resourceVersion) seen = { version: current.resourceVersion, sinceMs: nowMs }
    const isFree = current.holder === undefined || current.holder === holder.identity
    const isExpired = !isFree && nowMs - seen.sinceMs >= current.durationSeconds * 1000
    if (isFree || isExpired) {
      const transitions = current.transitions + (current.holder === holder.identity ? 0 : 1)
      const taken = await deps.leases
        .replaceLease(write(transitions, current.holder !== holder.identity), current.resourceVersion)
        .catch(conflictOr)
      if (taken !== 'conflict' && taken !== 'namespace missing') {
        const previous = isExpired ? describeHolder(current.holder ?? '', current.annotations) : undefined
        if (previous !== undefined)
          runtime.warning(
            `Release lock ${namespace}/${name}: took it over from ${previous}, which stopped renewing it ${current.durationSeconds}s ago (a cancelled or killed runner). A release it left pending is handled by recover-pending.`,
          )
        return held(taken, previous)
      }
      current = await deps.leases.readLease(namespace, name)
      continue
    }
    const waitedMs = nowMs - startMs
    const by = describeHolder(current.holder ?? '', current.annotations)
    if (waitedMs >= params.timeoutSeconds * 1000) return timedOut(params, name, by, waitedMs)
    if (printedMs === undefined || nowMs - printedMs >= PRINT_EVERY_MS) {
      runtime.info(`Release lock ${namespace}/${name}: queued behind ${by} (${seconds(waitedMs)} so far).`)
      printedMs = nowMs
    }
    await runtime.sleep(Math.min(POLL_MS, params.timeoutSeconds * 1000 - waitedMs))
    current = await deps.leases.readLease(namespace, name)
  }
}

/** HTTP 409: another deploy wrote first (look again); 404 on a create: the namespace is not there yet. */
function conflictOr(error: unknown): 'conflict' | 'namespace missing' {
  if (error instanceof KubeApiError && error.status === 409) return 'conflict'
  if (error instanceof KubeApiError && error.status === 404) return 'namespace missing'
  throw error
}

const seconds = (ms: number): string => `${Math.round(ms / 1000)}s`

function timedOut(params: TakeLockParams, name: string, by: string, waitedMs: number): LockOutcome {
  return {
    kind: 'refused',
    error: new ActionError(
      `Release ${params.release} in namespace ${params.namespace} is being deployed by ${by}: waited ${seconds(waitedMs)} for its release lock (lock-timeout), and it still holds it. Nothing was changed: helm did not run.`,
      {
        hint: `Rerun this job when that run has finished, or give lock-timeout more time. If that run is gone, its lock expires on its own once it is no longer renewed; kubectl -n ${params.namespace} get lease ${name} -o yaml shows its holder.`,
      },
    ),
  }
}

/**
 * The lock could not be taken for another reason than a holder (the API server unreachable, say): as
 * the pre-flight does, lock: true warns and lets helm run; lock: required refuses.
 */
export function failedLock(
  params: Pick<TakeLockParams, 'release' | 'namespace' | 'isRequired'>,
  error: unknown,
  runtime: Pick<Runtime, 'warning'>,
): LockOutcome {
  const why = `Could not take the release lock of ${params.release} in namespace ${params.namespace}: ${messageOf(error)}`
  if (!params.isRequired) {
    // Refused credentials (HTTP 401) fail the deploy next, with their own explanation: no warning here.
    const isUnauthorized = error instanceof KubeApiError && error.status === 401
    if (!isUnauthorized)
      runtime.warning(`${why}. Deploying without it (lock: true; lock: required refuses instead).`)
    return { kind: 'unlocked', reason: why }
  }
  return {
    kind: 'refused',
    error: new ActionError(`${why}. Nothing was changed: helm did not run (lock: required).`, {
      hint: 'lock: true deploys without the lock when it cannot be taken (two deploys of this release at once may then fail on "another operation is in progress").',
      cause: error,
    }),
  }
}

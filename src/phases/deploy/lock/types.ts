import type { ActionError } from '../../../lib/errors.js'
import type { KubeApi, LeaseApi } from '../../../kube/kube-api.js'
import type { Runtime } from '../../../runner/runtime.js'

/** Who holds the release lock: what a queued deploy prints, and what the Lease records. */
export interface LockHolder {
  /** The Lease's holderIdentity: the run, its attempt and job, and a nonce of this process. */
  readonly identity: string
  readonly repository: string
  readonly workflow: string
  /** The run's page (GITHUB_SERVER_URL/owner/repo/actions/runs/RUN_ID). */
  readonly runUrl: string
  readonly attempt: string
  readonly job: string
}

/** Phase deploy's release lock, as the plan set it up; undefined with lock: false and in a dry run. */
export interface LockParams {
  /** lock: required: refuse to deploy when the identity may not use Leases. */
  readonly isRequired: boolean
  /** How long to wait for a lock another deploy holds (lock-timeout); 0: not at all. */
  readonly timeoutSeconds: number
  /** How long the lock holds without being renewed (the Lease's leaseDurationSeconds). */
  readonly leaseSeconds: number
  readonly holder: LockHolder
}

/** The lock as this deploy holds it: renewed until released. */
export interface HeldLock {
  /** namespace/name of the Lease. */
  readonly lease: string
  /** How long the deploy waited in the queue (ms). */
  readonly waitedMs: number
  /** The holder whose lease had expired (a killed runner), when this deploy took it over. */
  readonly tookOverFrom: string | undefined
  /** Stops renewing and gives the Lease up (only if this deploy still holds it); never throws. */
  release(): Promise<void>
}

export interface TakeLockParams extends LockParams {
  readonly release: string
  readonly namespace: string
}

export interface TakeLockDeps {
  readonly leases: LeaseApi
  readonly kube: Pick<KubeApi, 'reviewAccess' | 'whoAmI'>
  readonly runtime: Pick<Runtime, 'info' | 'warning' | 'now' | 'sleep'>
  /** Keeps the held Lease in the post step's state until it is given up (a cancelled job's post step releases it). */
  readonly memory?: LeaseMemory | undefined
}

/** A Lease this run holds: where, and the holderIdentity it wrote. */
interface HeldLease {
  readonly namespace: string
  readonly name: string
  readonly holder: string
}

export interface LeaseMemory {
  hold(lease: HeldLease): void
  drop(lease: HeldLease): void
}

/** The lock taken, the deploy going ahead without it (and why), or the deploy refused before helm. */
export type LockOutcome =
  | { readonly kind: 'held'; readonly lock: HeldLock }
  | { readonly kind: 'unlocked'; readonly reason: string }
  | { readonly kind: 'refused'; readonly error: ActionError }

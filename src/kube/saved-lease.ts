import type { LeaseApi } from './kube-api.js'
import { KubeApiError } from './kube-api.js'

/**
 * A Lease this run holds (the release lock), as the post step needs it to give it up when the main
 * step was cancelled or killed before it could: where it is, who holds it, and how to reach the cluster.
 */
export interface SavedLease {
  readonly namespace: string
  readonly name: string
  /** The holderIdentity this run wrote: the post step releases the Lease only while it still says this. */
  readonly holder: string
  /** The kubeconfig the main step reached the cluster with; undefined: the job's KUBECONFIG. */
  readonly kubeconfigPath: string | undefined
  /** A private file of the token plugin's signing variables (JSON), as the main step gave them. */
  readonly execEnvFile: string | undefined
}

export const sameLease = (a: SavedLease, b: Pick<SavedLease, 'namespace' | 'name' | 'holder'>): boolean =>
  a.namespace === b.namespace && a.name === b.name && a.holder === b.holder

/** The saved leases of a state value, leaving out anything not of their shape. */
export function decodeSavedLeases(value: unknown): SavedLease[] {
  if (!Array.isArray(value)) return []
  return value.flatMap((item: unknown): SavedLease[] => {
    if (typeof item !== 'object' || item === null) return []
    const { namespace, name, holder, kubeconfigPath, execEnvFile } = item as Record<string, unknown>
    if (typeof namespace !== 'string' || typeof name !== 'string' || typeof holder !== 'string') return []
    if (holder === '') return []
    return [
      {
        namespace,
        name,
        holder,
        kubeconfigPath: typeof kubeconfigPath === 'string' ? kubeconfigPath : undefined,
        execEnvFile: typeof execEnvFile === 'string' ? execEnvFile : undefined,
      },
    ]
  })
}

/** What became of a saved Lease in the post step. */
type SavedLeaseFate = 'released' | 'held by another' | 'free' | 'gone'

/**
 * Gives a saved Lease up, only while it still names this run as its holder: a deploy that took it
 * over since (this run stopped renewing it) keeps it. A write another deploy made between the read and
 * the update is refused by the API server (HTTP 409: the resourceVersion changed), and left alone too.
 */
export async function releaseSavedLease(
  leases: LeaseApi,
  saved: SavedLease,
  nowMs: number,
): Promise<SavedLeaseFate> {
  const current = await leases.readLease(saved.namespace, saved.name)
  if (current === undefined) return 'gone'
  if (current.holder === undefined) return 'free'
  if (current.holder !== saved.holder) return 'held by another'
  try {
    await leases.replaceLease(
      {
        name: current.name,
        namespace: current.namespace,
        holder: undefined,
        durationSeconds: current.durationSeconds,
        transitions: current.transitions,
        annotations: current.annotations,
        nowMs,
        isNewHolder: false,
      },
      current.resourceVersion,
    )
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 409) return 'held by another'
    throw error
  }
  return 'released'
}

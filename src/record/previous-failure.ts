import type { HistoryEntry } from '../helm/result.js'

/** One earlier deploy of the release, as GitHub's deployments or helm's history show it. */
export interface PastDeploy {
  /** `good`: it deployed (GitHub's success, or inactive after a later one; helm's deployed or superseded). */
  readonly kind: 'good' | 'failed' | 'other'
  /** When it ended (the status's created_at; the revision's updated). */
  readonly atMs: number
  readonly deploymentId?: number | undefined
  readonly revision?: number | undefined
  readonly commitSha?: string | undefined
  readonly runUrl?: string | undefined
}

/** The failed deploys since the release's last good one: the newest, and when the first failed. */
export interface FailureStreak {
  readonly source: 'github-deployments' | 'helm-history'
  readonly latest: PastDeploy
  readonly failures: number
  readonly failingSinceMs: number
}

/**
 * The failures since the last good deploy, from the earlier deploys newest first; undefined when the
 * newest that ended was good (or there is none). Deploys still running, or killed before they said
 * how they ended, count as neither.
 */
export function failureStreak(
  source: FailureStreak['source'],
  newestFirst: readonly PastDeploy[],
): FailureStreak | undefined {
  const failed: PastDeploy[] = []
  for (const deploy of newestFirst) {
    if (deploy.kind === 'good') break
    if (deploy.kind === 'failed') failed.push(deploy)
  }
  const [latest] = failed
  const first = failed.at(-1)
  if (latest === undefined || first === undefined) return undefined
  return { source, latest, failures: failed.length, failingSinceMs: first.atMs }
}

/**
 * A GitHub deployment's latest status as a past deploy: GitHub marks an earlier successful deployment
 * `inactive` when a later one succeeds (auto_inactive), so inactive was good.
 * https://docs.github.com/rest/deployments/statuses
 */
export function pastDeployOf(
  deployment: { readonly id: number; readonly ref: string },
  status:
    { readonly state: string; readonly createdAt: string; readonly logUrl: string | undefined } | undefined,
): PastDeploy {
  const atMs = status === undefined ? Number.NaN : Date.parse(status.createdAt)
  const state = status?.state ?? ''
  const kind =
    state === 'success' || state === 'inactive'
      ? 'good'
      : (state === 'failure' || state === 'error') && Number.isFinite(atMs)
        ? 'failed'
        : 'other'
  return { kind, atMs, deploymentId: deployment.id, commitSha: deployment.ref, runUrl: status?.logUrl }
}

/**
 * Helm's history before this deploy as past deploys, newest first. A rollback's revision (written by
 * --atomic or --rollback-on-failure after a failed upgrade) is no deploy of its own; a failed first
 * install that was rolled back was uninstalled with its history, so helm cannot show it.
 */
export function pastDeploysOfHistory(history: readonly HistoryEntry[]): PastDeploy[] {
  return [...history].reverse().map((entry) => {
    const isRollback = /^Rollback to \d+/.test(entry.description)
    const kind = isRollback
      ? 'other'
      : entry.status === 'failed' && entry.updatedMs !== undefined
        ? 'failed'
        : entry.status === 'deployed' || entry.status === 'superseded'
          ? 'good'
          : 'other'
    return { kind, atMs: entry.updatedMs ?? Number.NaN, revision: entry.revision }
  })
}

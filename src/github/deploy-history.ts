import { mapLimited } from '../lib/map-limited.js'
import { messageOf } from '../lib/errors.js'
import type { Looked } from '../record/record.js'
import { failureStreak, pastDeployOf, type FailureStreak } from '../record/previous-failure.js'
import { GitHubApiError, type GitHubApi } from './api.js'

/** How many of the environment's newest deployments are read: one list and at most this many statuses. */
const DEPLOYMENTS_READ = 10
const AT_ONCE = 5

/**
 * The release's failed deploys since its last good one, from the environment's GitHub deployments:
 * those of the same release and namespace (their description says which), newest first, each by its
 * latest status. This run's own deployment is left out. Never throws: a refusal is why it is unknown.
 */
export async function lookUpFailureStreak(
  api: GitHubApi,
  request: {
    readonly environment: string
    readonly description: string
    readonly ownId: Promise<number | undefined>
  },
): Promise<Looked<FailureStreak | undefined>> {
  try {
    const listed = await api.recentDeployments(request.environment, DEPLOYMENTS_READ)
    const ownId = await request.ownId
    const ours = listed.filter((d) => d.description === request.description && d.id !== ownId)
    const statuses = await mapLimited(ours, AT_ONCE, (d) => api.latestDeploymentStatus(d.id))
    const past = ours.map((deployment, index) => pastDeployOf(deployment, statuses[index]))
    return { value: failureStreak('github-deployments', past) }
  } catch (error) {
    const hint =
      error instanceof GitHubApiError && (error.status === 403 || error.status === 404)
        ? ' The job needs `permissions:` `deployments: read` (write includes it).'
        : ''
    return {
      unknown: `GitHub's deployments of environment ${request.environment} could not be read: ${messageOf(error)}.${hint}`,
    }
  }
}

/** The commit's time from GitHub's API; why not, when it does not answer. */
export async function lookUpCommitTime(api: Promise<GitHubApi>, sha: string): Promise<Looked<string>> {
  try {
    const time = await (await api).commitTime(sha)
    return time === undefined ? { unknown: `GitHub gave no time of commit ${sha}.` } : { value: time }
  } catch (error) {
    const hint =
      error instanceof GitHubApiError && (error.status === 403 || error.status === 404)
        ? ' The job needs `permissions:` `contents: read` for it.'
        : ''
    return { unknown: `the commit's time could not be read from GitHub: ${messageOf(error)}.${hint}` }
  }
}

import type { CheckRunTarget } from './check-run.js'

/** What the action reports to GitHub in this run, as the plan decided it (action/plan-github.ts). */
export interface GitHubParams {
  readonly token: string
  readonly apiUrl: string
  /** owner/name */
  readonly repository: string
  /** The run's log: ${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}. */
  readonly runUrl: string
  /** The pull request to keep one comment on; undefined when there is none to comment on. */
  readonly comment: CommentPlan | undefined
  readonly deployment: DeploymentPlan | undefined
  /** A dry run's check run on the commit; undefined when the run is no dry run. */
  readonly checkRun?: CheckRunTarget | undefined
  /** Why something asked for is not done in this run (a push has no pull request): printed as notices. */
  readonly notices: readonly string[]
}

interface CommentPlan {
  readonly issueNumber: number
  /** The hidden marker that finds the comment again: it names the release and namespace. */
  readonly marker: string
}

export interface DeploymentPlan {
  /** `deploy`: a new deployment of ref; `teardown`: the environment's latest deployment becomes inactive. */
  readonly kind: 'deploy' | 'teardown'
  readonly ref: string
  readonly environment: string
  readonly environmentUrl: string | undefined
  readonly description: string
}

/** `<!-- eks-deploy-action release="api" namespace="pr-12" -->`: never shown, found again by the next run. */
export function commentMarker(release: string, namespace: string): string {
  const quote = (text: string): string => JSON.stringify(text.replace(/--/g, '-'))
  return `<!-- eks-deploy-action release=${quote(release)} namespace=${quote(namespace)} -->`
}

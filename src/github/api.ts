import type { CheckRunRequest } from './check-run.js'

/** What the action asks of GitHub's REST API: issue comments, deployments and check runs of one repository. */

export interface IssueComment {
  readonly id: number
  readonly body: string
  readonly url: string
  /** Who wrote it (GitHub's `user`); undefined for a deleted account ("ghost"). */
  readonly author: GitHubIdentity | undefined
}

/** A GitHub account: `type` is 'User', 'Bot' (an app, e.g. github-actions[bot]) or 'Organization'. */
export interface GitHubIdentity {
  readonly login: string
  readonly id: number
  readonly type: string
}

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'inactive'

export interface DeploymentRequest {
  /** The commit deployed (the one the image was built from). */
  readonly ref: string
  readonly environment: string
  readonly description: string
  /** The deploy record as it starts (docs/deploy-record.md); tools that read deployments find it there. */
  readonly payload?: unknown
}

/** An earlier deployment of the environment, as listed. */
export interface PastDeployment {
  readonly id: number
  readonly ref: string
  readonly description: string
}

/** A deployment's latest status. */
export interface DeploymentStatus {
  readonly state: string
  /** ISO 8601 */
  readonly createdAt: string
  readonly logUrl: string | undefined
}

export interface DeploymentStatusRequest {
  readonly state: DeploymentState
  /** At most 140 characters (GitHub's limit). */
  readonly description: string
  /** The run's log. */
  readonly logUrl: string
  readonly environmentUrl: string | undefined
}

/**
 * The REST calls, over the ecosystem's client (octokit.ts); tests point it at a recording stand-in.
 * Every method throws GitHubApiError when GitHub refuses.
 */
export interface GitHubApi {
  listIssueComments(issueNumber: number): Promise<readonly IssueComment[]>
  createIssueComment(issueNumber: number, body: string): Promise<IssueComment>
  updateIssueComment(commentId: number, body: string): Promise<IssueComment>
  /**
   * The token's own account (`GET /user`); undefined when GitHub refuses the call, as it does to an
   * app's installation token such as GITHUB_TOKEN.
   */
  authenticatedUser(): Promise<GitHubIdentity | undefined>
  /** Returns the new deployment's id. */
  createDeployment(request: DeploymentRequest): Promise<number>
  createDeploymentStatus(deploymentId: number, request: DeploymentStatusRequest): Promise<void>
  /** The environment's deployments, newest first (ids). */
  listDeployments(environment: string): Promise<readonly number[]>
  /** The environment's newest deployments, newest first, at most `count`. */
  recentDeployments(environment: string, count: number): Promise<readonly PastDeployment[]>
  /** The deployment's newest status; undefined when it has none. */
  latestDeploymentStatus(deploymentId: number): Promise<DeploymentStatus | undefined>
  /** The commit's committer date (ISO 8601); undefined when GitHub does not say. */
  commitTime(sha: string): Promise<string | undefined>
  /** Creates the check run, or updates the one of the same name on the commit (a rerun); returns its page. */
  upsertCheckRun(request: CheckRunRequest): Promise<string>
}

/** GitHub's answer to a refused or failed call: its HTTP status (undefined: no answer) and message. */
export class GitHubApiError extends Error {
  constructor(
    readonly status: number | undefined,
    message: string,
  ) {
    super(message)
    this.name = 'GitHubApiError'
  }
}

import type { getOctokit } from '@actions/github'
import {
  GitHubApiError,
  type DeploymentRequest,
  type DeploymentStatus,
  type DeploymentStatusRequest,
  type GitHubApi,
  type GitHubIdentity,
  type IssueComment,
  type PastDeployment,
} from './api.js'
import { messageOf } from '../lib/errors.js'
import type { CheckRunRequest } from './check-run.js'

type Octokit = ReturnType<typeof getOctokit>

export interface GitHubApiParams {
  readonly token: string
  /** GITHUB_API_URL: https://api.github.com, or a GitHub Enterprise Server's /api/v3. */
  readonly apiUrl: string
  /** owner/name */
  readonly repository: string
}

// No call may hold the step: GitHub answers in well under a second.
const REQUEST_TIMEOUT_MS = 30_000

/**
 * The GitHubApi over @actions/github (octokit with the runner's proxy settings), imported only when
 * a run reports to GitHub (comment-on-pr, github-deployment).
 */
export async function createGitHubApi(params: GitHubApiParams): Promise<GitHubApi> {
  const github = await import('@actions/github')
  const octokit = github.getOctokit(params.token, { baseUrl: params.apiUrl, userAgent: 'eks-deploy-action' })
  const [owner = '', repo = ''] = params.repository.split('/')
  return new OctokitApi(octokit, { owner, repo })
}

const request = () => ({ request: { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) } })

class OctokitApi implements GitHubApi {
  constructor(
    private readonly octokit: Octokit,
    private readonly repo: { readonly owner: string; readonly repo: string },
  ) {}

  async listIssueComments(issueNumber: number): Promise<readonly IssueComment[]> {
    const comments = await call(`list the comments of pull request #${issueNumber}`, () =>
      this.octokit.paginate(this.octokit.rest.issues.listComments, {
        ...this.repo,
        issue_number: issueNumber,
        per_page: 100,
        ...request(),
      }),
    )
    return comments.map(toComment)
  }

  async createIssueComment(issueNumber: number, body: string): Promise<IssueComment> {
    const { data } = await call(`comment on pull request #${issueNumber}`, () =>
      this.octokit.rest.issues.createComment({ ...this.repo, issue_number: issueNumber, body, ...request() }),
    )
    return toComment(data)
  }

  async updateIssueComment(commentId: number, body: string): Promise<IssueComment> {
    const { data } = await call('update the comment', () =>
      this.octokit.rest.issues.updateComment({ ...this.repo, comment_id: commentId, body, ...request() }),
    )
    return toComment(data)
  }

  async authenticatedUser(): Promise<GitHubIdentity | undefined> {
    try {
      const { data } = await this.octokit.rest.users.getAuthenticated(request())
      return { login: data.login, id: data.id, type: data.type }
    } catch (error) {
      const status = (error as { status?: unknown }).status
      // 403 "Resource not accessible by integration": an installation token has no user.
      if (status === 403 || status === 404) return undefined
      return call("read the token's account", () => Promise.reject(error as Error))
    }
  }

  async createDeployment({ payload, ...deployment }: DeploymentRequest): Promise<number> {
    const { data } = await call('create a deployment', () =>
      this.octokit.rest.repos.createDeployment({
        ...this.repo,
        ...deployment,
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
        task: 'deploy',
        // The default merges the default branch into ref first, and refuses while any commit status of
        // ref is not success: this run's own checks are still pending.
        auto_merge: false,
        required_contexts: [],
        ...request(),
      }),
    )
    if (!('id' in data))
      throw new GitHubApiError(202, `GitHub did not create the deployment: ${data.message ?? ''}`)
    return data.id
  }

  async createDeploymentStatus(deploymentId: number, status: DeploymentStatusRequest): Promise<void> {
    await call(`set the status of deployment ${deploymentId}`, () =>
      this.octokit.rest.repos.createDeploymentStatus({
        ...this.repo,
        deployment_id: deploymentId,
        state: status.state,
        description: status.description.slice(0, 140),
        log_url: status.logUrl,
        ...(status.environmentUrl === undefined ? {} : { environment_url: status.environmentUrl }),
        ...request(),
      }),
    )
  }

  async listDeployments(environment: string): Promise<readonly number[]> {
    const { data } = await call(`list the deployments of environment ${environment}`, () =>
      this.octokit.rest.repos.listDeployments({ ...this.repo, environment, per_page: 10, ...request() }),
    )
    return data.map((deployment) => deployment.id)
  }

  async recentDeployments(environment: string, count: number): Promise<readonly PastDeployment[]> {
    const { data } = await call(`list the deployments of environment ${environment}`, () =>
      this.octokit.rest.repos.listDeployments({ ...this.repo, environment, per_page: count, ...request() }),
    )
    return data.map(({ id, ref, description }) => ({ id, ref, description: description ?? '' }))
  }

  async latestDeploymentStatus(deploymentId: number): Promise<DeploymentStatus | undefined> {
    const { data } = await call(`read the statuses of deployment ${deploymentId}`, () =>
      this.octokit.rest.repos.listDeploymentStatuses({
        ...this.repo,
        deployment_id: deploymentId,
        per_page: 1,
        ...request(),
      }),
    )
    const [newest] = data
    return newest && { state: newest.state, createdAt: newest.created_at, logUrl: newest.log_url }
  }

  async commitTime(sha: string): Promise<string | undefined> {
    // The git database's commit: no diff in the answer (the commits endpoint sends every file's patch).
    const { data } = await call(`read commit ${sha}`, () =>
      this.octokit.rest.git.getCommit({ ...this.repo, commit_sha: sha, ...request() }),
    )
    return data.committer.date
  }

  async upsertCheckRun(run: CheckRunRequest): Promise<string> {
    const { data: found } = await call(`list the check runs of ${run.headSha}`, () =>
      this.octokit.rest.checks.listForRef({
        ...this.repo,
        ref: run.headSha,
        check_name: run.name,
        ...request(),
      }),
    )
    const fields = {
      ...this.repo,
      name: run.name,
      status: 'completed' as const,
      conclusion: run.conclusion,
      completed_at: new Date().toISOString(),
      output: { title: run.title, summary: run.summary },
      ...request(),
    }
    const existing = found.check_runs[0]?.id
    const write = async (): Promise<string | null> =>
      existing === undefined
        ? (await this.octokit.rest.checks.create({ ...fields, head_sha: run.headSha })).data.html_url
        : (await this.octokit.rest.checks.update({ ...fields, check_run_id: existing })).data.html_url
    const url = await call(`write check run "${run.name}"`, write)
    return url ?? ''
  }
}

interface CommentData {
  readonly id: number
  readonly body?: string | undefined
  readonly html_url: string
  readonly user: { readonly login: string; readonly id: number; readonly type: string } | null
}

function toComment(data: CommentData): IssueComment {
  const { user } = data
  return {
    id: data.id,
    body: data.body ?? '',
    url: data.html_url,
    author: user === null ? undefined : { login: user.login, id: user.id, type: user.type },
  }
}

/** octokit's RequestError keeps GitHub's status and message; the request (and its token) stays out. */
async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    const status = (error as { status?: unknown }).status
    const message = messageOf(error)
    throw new GitHubApiError(
      typeof status === 'number' ? status : undefined,
      `Could not ${what}: ${message}${typeof status === 'number' ? ` (HTTP ${status})` : ''}`,
    )
  }
}

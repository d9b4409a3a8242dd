import type { Inputs } from '../inputs/types.js'
import { ActionError } from '../lib/errors.js'
import { commentMarker, type DeploymentPlan, type GitHubParams } from '../github/plan.js'
import { selectCommit } from '../phases/ecr/plan.js'
import { isPullRequestEvent } from '../runner/context.js'
import { checkRunTarget, type CheckRunTarget } from '../github/check-run.js'

/** What else the GitHub plan needs to know of the rest of the plan. */
export interface GitHubPlanContext {
  readonly runsDeploy: boolean
  readonly runsTeardown: boolean
  /** The commit the image was built from, when the image tag was derived from one. */
  readonly imageCommit: string | undefined
  readonly readEventPayload: () => Promise<unknown>
}

/**
 * What the run reports to GitHub (comment-on-pr, github-deployment), or undefined when neither is on.
 * Asking for a deployment without a deploy (or uninstall) in the run fails here, before any AWS call.
 */
export async function planGitHub(
  inputs: Inputs,
  context: GitHubPlanContext,
): Promise<GitHubParams | undefined> {
  const { github } = inputs
  const token = github.token
  const isAnyAsked = github.shouldCommentOnPr || github.shouldCreateDeployment || github.shouldCreateCheckRun
  if (token === undefined || !isAnyAsked) return undefined
  const runner = inputs.context
  const notices: string[] = []
  const payload = isPullRequestEvent(runner.eventName) ? await context.readEventPayload() : undefined
  return {
    token,
    apiUrl: runner.apiUrl,
    repository: runner.repository,
    runUrl: `${runner.serverUrl}/${runner.repository}/actions/runs/${runner.runId}`,
    comment: github.shouldCommentOnPr ? planComment(inputs, payload, notices) : undefined,
    deployment: github.shouldCreateDeployment ? planDeployment(inputs, context, payload, notices) : undefined,
    checkRun: github.shouldCreateCheckRun ? planCheckRun(inputs, context, payload, notices) : undefined,
    notices,
  }
}

/** check-run: only a dry run of a deploy answers with one. */
function planCheckRun(
  inputs: Inputs,
  context: GitHubPlanContext,
  payload: unknown,
  notices: string[],
): CheckRunTarget | undefined {
  if (!inputs.deploy.isDryRun || !context.runsDeploy) {
    notices.push(
      'check-run: only a dry run (dry-run: true) of a deploy reports a check run; none in this run.',
    )
    return undefined
  }
  const target = checkRunTarget(inputs.context.eventName, inputs.context.sha, payload)
  if (target.kind === 'none') notices.push(`check-run: ${target.why}`)
  return target
}

function planComment(inputs: Inputs, payload: unknown, notices: string[]): GitHubParams['comment'] {
  const { eventName } = inputs.context
  const issueNumber = pullRequestOf(payload)?.number
  if (!isPullRequestEvent(eventName) || typeof issueNumber !== 'number') {
    notices.push(
      `comment-on-pr: a '${eventName}' event has no pull request to comment on; the job summary has the report.`,
    )
    return undefined
  }
  return { issueNumber, marker: commentMarker(inputs.deploy.release ?? '', inputs.deploy.namespace) }
}

function planDeployment(
  inputs: Inputs,
  context: GitHubPlanContext,
  payload: unknown,
  notices: string[],
): DeploymentPlan | undefined {
  const { github, deploy } = inputs
  if (!context.runsDeploy && !context.runsTeardown) {
    throw new ActionError(
      'github-deployment: true needs the deploy phase in this run (release and chart, or uninstall: true).',
      {
        hint: 'Set github-deployment on the step that deploys (phases including deploy), not on a login-only step.',
      },
    )
  }
  if (deploy.isDryRun) {
    notices.push('github-deployment: a dry run deploys nothing, so no GitHub deployment is made.')
    return undefined
  }
  const ref = context.imageCommit ?? commitOf(inputs, payload)
  if (ref === '') {
    throw new ActionError('github-deployment: no commit to deploy: GITHUB_SHA is empty.', {
      hint: 'Run the action in a GitHub Actions job, which sets GITHUB_SHA.',
    })
  }
  return {
    kind: context.runsTeardown ? 'teardown' : 'deploy',
    ref,
    environment: github.environment ?? '',
    environmentUrl: github.environmentUrl,
    description: `release ${deploy.release ?? ''} in namespace ${deploy.namespace}`,
  }
}

/** The pull request's head on pull_request events (GITHUB_SHA is its test merge), else GITHUB_SHA. */
function commitOf(inputs: Inputs, payload: unknown): string {
  const { eventName, sha } = inputs.context
  if (!isPullRequestEvent(eventName)) return sha
  try {
    return selectCommit('auto', { eventName, sha, payload }).sha
  } catch {
    return sha
  }
}

function pullRequestOf(payload: unknown): { number?: unknown } | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined
  const pullRequest = (payload as { pull_request?: unknown }).pull_request
  return typeof pullRequest === 'object' && pullRequest !== null ? pullRequest : undefined
}

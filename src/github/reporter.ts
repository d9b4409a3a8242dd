import type { Runtime } from '../runner/runtime.js'
import { GitHubApiError, type DeploymentState, type GitHubApi } from './api.js'
import type { GitHubApiParams } from './octokit.js'
import type { GitHubParams } from './plan.js'
import { commentBody, upsertStickyComment } from './sticky-comment.js'
import { messageOf } from '../lib/errors.js'
import { checkRunOf, type DryRunOutcome } from './check-run.js'
import type { FailureStreak } from '../record/previous-failure.js'
import type { Looked } from '../record/record.js'
import { lookUpCommitTime, lookUpFailureStreak } from './deploy-history.js'

/** What the run reported to GitHub: outputs and the job summary read it. */
export interface GitHubReport {
  readonly deployment:
    | {
        readonly id: number
        readonly environment: string
        readonly state: DeploymentState
        readonly environmentUrl: string | undefined
      }
    | undefined
  /** What GitHub told of the deploy record's facts (lookUpRecord); undefined when not asked. */
  readonly record?: {
    readonly commitTime: Looked<string> | undefined
    readonly previousFailure: Looked<FailureStreak | undefined> | undefined
  }
}

/** What the deploy record asks of GitHub (action/deploy-record.ts). */
export interface RecordRequest {
  readonly commitSha: string | undefined
  /** The event payload's time of the commit, when it says it (a push): GitHub is not asked then. */
  readonly payloadCommitTime: Promise<string | undefined>
  /** The GitHub deployment's payload: the record as it starts, from the commit's time. */
  readonly startPayload: (commitTime: Looked<string>) => unknown
}

export interface GitHubReporterDeps {
  readonly runtime: Pick<Runtime, 'info' | 'notice' | 'warning'>
  /** Loads the REST client (createGitHubApi): only a run that reports to GitHub loads it. */
  readonly createApi: (params: GitHubApiParams) => Promise<GitHubApi>
  readonly time: <T>(name: string, fn: () => Promise<T>) => Promise<T>
}

const PERMISSIONS_HINT =
  'Give the job `permissions:` with `deployments: write` (and `pull-requests: write` for comment-on-pr).'

/**
 * The action's reports to GitHub: the deployment (made while the AWS phases run, in_progress when
 * deploy starts, then success or failure), and the sticky comment on the pull request. GitHub's
 * refusals never fail the step: a fork's read-only token is a notice, anything else a warning.
 */
export class GitHubReporter {
  private api: Promise<GitHubApi> | undefined
  private deployment: Promise<number | undefined> = Promise.resolve(undefined)
  private statuses: Promise<unknown> = Promise.resolve()
  private commitTime: Promise<Looked<string>> | undefined
  private previousFailure: Promise<Looked<FailureStreak | undefined>> | undefined
  private payload: Promise<unknown> = Promise.resolve(undefined)

  constructor(
    private readonly params: GitHubParams,
    private readonly deps: GitHubReporterDeps,
  ) {}

  private client(): Promise<GitHubApi> {
    this.api ??= this.deps.createApi(this.params)
    return this.api
  }

  /**
   * The deploy record's facts GitHub knows, asked before begin and never waited for before the run
   * ends: the commit's time (one request, only when the event payload does not say it) and, with a
   * deployment, the environment's earlier deployments of the release (one list, at most ten statuses).
   */
  lookUpRecord(request: RecordRequest): void {
    const { commitSha } = request
    this.commitTime = request.payloadCommitTime.then((time) =>
      time !== undefined
        ? { value: time }
        : commitSha === undefined
          ? { unknown: 'no commit is known for this run.' }
          : lookUpCommitTime(this.client(), commitSha),
    )
    const plan = this.params.deployment
    this.payload = this.commitTime.then(request.startPayload)
    if (plan?.kind !== 'deploy') return
    const ownId = this.payload.then(() => this.deployment)
    this.previousFailure = this.client().then(
      (api) => lookUpFailureStreak(api, { ...plan, ownId }),
      (error: unknown) => ({ unknown: `GitHub's API could not be reached: ${messageOf(error)}` }),
    )
  }

  /** Prints why something asked for is not done, and creates the deployment, without waiting for it. */
  begin(): void {
    for (const notice of this.params.notices) this.deps.runtime.notice(notice)
    const plan = this.params.deployment
    if (plan?.kind !== 'deploy') return
    const { ref, environment, description } = plan
    this.deployment = this.deps
      .time('github deployment', async () => {
        const payload = await this.payload
        return (await this.client()).createDeployment({
          ref,
          environment,
          description,
          ...(payload === undefined ? {} : { payload }),
        })
      })
      .then(
        (id) => {
          this.deps.runtime.info(`GitHub deployment ${id}: ${ref} to environment ${environment}.`)
          return id
        },
        (error: unknown) => {
          this.deps.runtime.warning(`github-deployment: ${messageOf(error)} ${hintFor(error)}`)
          return undefined
        },
      )
  }

  /** The deploy phase starts: the deployment goes in_progress (in order with the statuses after it). */
  deployStarting(): void {
    this.statuses = this.deployment.then((id) =>
      id === undefined ? undefined : this.setStatus(id, 'in_progress'),
    )
  }

  /**
   * The run's outcome: success or failure of the deployment, or a torn-down environment made inactive.
   * `checks`: the verification's checks in one line (each one's result and time), shown before the reason.
   */
  async finish(failure: string | undefined, checks?: string): Promise<GitHubReport> {
    const deployment = await this.finishDeployment(failure, checks)
    if (this.commitTime === undefined) return deployment
    const [commitTime, previousFailure] = await Promise.all([this.commitTime, this.previousFailure])
    return { ...deployment, record: { commitTime, previousFailure } }
  }

  private async finishDeployment(failure: string | undefined, checks?: string): Promise<GitHubReport> {
    const plan = this.params.deployment
    if (plan === undefined) return { deployment: undefined }
    if (plan.kind === 'teardown') {
      const id = failure === undefined ? await this.deactivate(plan.environment) : undefined
      return {
        deployment:
          id === undefined
            ? undefined
            : { id, environment: plan.environment, state: 'inactive', environmentUrl: undefined },
      }
    }
    await this.statuses
    const id = await this.deployment
    if (id === undefined) return { deployment: undefined }
    const state = failure === undefined ? 'success' : 'failure'
    await this.setStatus(id, state, failure, checks)
    return { deployment: { id, environment: plan.environment, state, environmentUrl: plan.environmentUrl } }
  }

  /**
   * A dry run's result as a check run on the commit (one per release and namespace). A token without
   * `checks: write` is refused (403): one warning, never a failure.
   */
  async checkRun(outcome: DryRunOutcome): Promise<void> {
    const target = this.params.checkRun
    if (target?.kind !== 'commit') return
    try {
      const url = await this.deps.time('github check run', async () =>
        (await this.client()).upsertCheckRun(checkRunOf(outcome, target.headSha)),
      )
      this.deps.runtime.info(`Check run on ${target.headSha.slice(0, 7)}: ${url}`)
    } catch (error) {
      const hint =
        error instanceof GitHubApiError && (error.status === 403 || error.status === 404)
          ? ' Give the job `permissions:` with `checks: write` for a check run of the dry run; the job summary has the same result.'
          : ''
      this.deps.runtime.warning(`check run: ${messageOf(error)}${hint}`)
    }
  }

  /** The job summary as the pull request's one comment of this release and namespace. */
  async comment(markdown: string): Promise<void> {
    const plan = this.params.comment
    if (plan === undefined) return
    try {
      const body = commentBody(plan.marker, markdown, this.params.runUrl)
      const { comment, isNew } = await upsertStickyComment(await this.client(), { ...plan, body })
      this.deps.runtime.info(
        `${isNew ? 'Commented on' : 'Updated the comment on'} pull request #${plan.issueNumber}: ${comment.url}`,
      )
    } catch (error) {
      if (error instanceof GitHubApiError && (error.status === 403 || error.status === 404))
        this.deps.runtime.notice(
          `comment-on-pr: the token may not comment on pull request #${plan.issueNumber} (${error.message}). A pull request from a fork gets a read-only token; the job summary has the same text.`,
        )
      else this.deps.runtime.warning(`comment-on-pr: ${messageOf(error)}`)
    }
  }

  private async setStatus(
    id: number,
    state: DeploymentState,
    failure?: string,
    checks?: string,
  ): Promise<void> {
    const plan = this.params.deployment
    const outcome = failure?.split('\n')[0] ?? `${plan?.description ?? ''}: ${state.replace('_', ' ')}`
    try {
      await (
        await this.client()
      ).createDeploymentStatus(id, {
        state,
        description: checks === undefined ? outcome : `${checks} | ${outcome}`,
        logUrl: this.params.runUrl,
        environmentUrl: state === 'success' ? plan?.environmentUrl : undefined,
      })
    } catch (error) {
      this.deps.runtime.warning(`github-deployment: ${messageOf(error)} ${hintFor(error)}`)
    }
  }

  /** The environment's newest deployment becomes inactive: GitHub then shows it as torn down. */
  private async deactivate(environment: string): Promise<number | undefined> {
    try {
      const [newest] = await (await this.client()).listDeployments(environment)
      if (newest === undefined) {
        this.deps.runtime.info(`Environment ${environment} has no GitHub deployment to mark inactive.`)
        return undefined
      }
      await this.setStatus(newest, 'inactive')
      return newest
    } catch (error) {
      this.deps.runtime.warning(`github-deployment: ${messageOf(error)} ${hintFor(error)}`)
      return undefined
    }
  }
}

const hintFor = (error: unknown): string =>
  error instanceof GitHubApiError && (error.status === 403 || error.status === 404) ? PERMISSIONS_HINT : ''

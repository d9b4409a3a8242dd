import type { Inputs } from '../inputs/types.js'
import type { GitHubReport } from '../github/reporter.js'
import { commitTimeOfPayload } from '../record/commit-time.js'
import { failureStreak, pastDeploysOfHistory } from '../record/previous-failure.js'
import {
  finishedRecord,
  startedRecord,
  type DeployOutcome,
  type DeployRecord,
  type Looked,
  type RecordEnd,
  type RecordLookups,
  type RecordPlan,
} from '../record/record.js'
import { imageRepository } from '../lib/image-ref.js'
import { isPullRequestEvent } from '../runner/context.js'
import type { DeployResult } from '../phases/deploy/index.js'
import type { Plan } from './plan.js'
import type { RunResults } from './results.js'
import type { Span } from './timing.js'

/**
 * A run that deploys (or dry-runs) a release gets a record: what it knows from the inputs and the
 * plan. The event payload is read for the commit's time without being waited for.
 */
export async function planRecord(
  inputs: Inputs,
  plan: Plan,
  readEventPayload: () => Promise<unknown>,
  startedMs: number,
): Promise<RecordPlan | undefined> {
  const { deploy, context } = inputs
  if (plan.deploy === undefined || deploy.release === undefined) return undefined
  const commitSha = await commitOfRun(inputs, plan, readEventPayload)
  const payloadCommitTime = readEventPayload().then(
    (payload) =>
      commitSha === undefined ? undefined : commitTimeOfPayload(context.eventName, commitSha, payload),
    () => undefined,
  )
  const environment = plainEnvironment(inputs.github.environment)
  return {
    start: {
      release: deploy.release,
      namespace: deploy.namespace,
      environment: environment.name,
      cluster: inputs.kubeconfig.clusterName,
      region: inputs.region,
      repository: context.repository,
      workflow: context.env.GITHUB_WORKFLOW?.trim() || undefined,
      runId: context.runId,
      runAttempt: context.runAttempt,
      runUrl: `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}`,
      commitSha,
      startedMs,
      ...(environment.unknown === undefined ? {} : { unknown: { environment: environment.unknown } }),
    },
    payloadCommitTime,
  }
}

/**
 * The environment's name as the record repeats it: letters, digits, `.`, `_`, `-` and inner spaces.
 * A name made of anything else (often an expression of a branch name, which anyone who pushes one
 * chooses) is left out of the output a later step may paste into a script; the GitHub deployment
 * still has it.
 */
function plainEnvironment(name: string | undefined): { name?: string | undefined; unknown?: string } {
  if (name === undefined || /^[A-Za-z0-9_.-]+(?: [A-Za-z0-9_.-]+)*$/.test(name)) return { name }
  return {
    unknown:
      'the name has characters the record does not repeat (only letters, digits, ".", "_", "-" and spaces); the GitHub deployment has it.',
  }
}

/** The commit deployed: the image's, else the GitHub deployment's ref, else the pull request's head or GITHUB_SHA. */
async function commitOfRun(
  inputs: Inputs,
  plan: Plan,
  readEventPayload: () => Promise<unknown>,
): Promise<string | undefined> {
  const known = plan.ecr?.image?.tag.commit ?? plan.github?.deployment?.ref
  if (known !== undefined) return known
  const { eventName, sha } = inputs.context
  if (isPullRequestEvent(eventName)) {
    const head = await readEventPayload().then(headShaOf, () => undefined)
    if (head !== undefined) return head
  }
  return sha === '' ? undefined : sha
}

function headShaOf(payload: unknown): string | undefined {
  const pull = (payload as { pull_request?: { head?: { sha?: unknown } } } | undefined)?.pull_request
  const sha = pull?.head?.sha
  return typeof sha === 'string' ? sha : undefined
}

/** The record as the GitHub deployment's payload: what is known when the deploy starts. */
export const startPayload =
  (record: RecordPlan) =>
  (commitTime: Looked<string>): DeployRecord =>
    startedRecord(record.start, commitTime)

/** The record of the run, from its results (undefined: none asked for, or the inputs did not parse). */
export async function recordOfRun(
  record: RecordPlan | undefined,
  run: {
    readonly results: RunResults | undefined
    readonly spans: readonly Span[]
    readonly failure: string | undefined
  },
  now: number,
): Promise<DeployRecord | undefined> {
  if (record === undefined) return undefined
  const deploy = run.results?.deploy
  const github = run.results?.github
  const span = run.spans.find((s) => s.name === 'deploy' && s.parent === undefined)
  const end: RecordEnd = {
    finishedMs: span?.endMs ?? now,
    outcome: outcomeOf(deploy, run.failure !== undefined),
    failureReason: deploy?.failureReason ?? run.failure?.split('\n')[0],
    revision: deploy?.isDryRun === true ? undefined : deploy?.state?.revision,
    previousRevision: deploy?.previousRevision,
    images: imagesOf(run.results),
    chart: deploy?.state && {
      name: deploy.state.chartName,
      version: deploy.state.chartVersion,
      digest: deploy.chartDigest,
    },
    githubDeploymentId: github?.deployment?.id,
  }
  return finishedRecord(record.start, end, await lookupsOf(record, deploy, github))
}

export function outcomeOf(deploy: DeployResult | undefined, isFailed: boolean): DeployOutcome {
  if (deploy?.isDryRun === true) return 'dry-run'
  if (deploy?.isSkipped === true) return 'skipped-unchanged'
  if (!isFailed) return 'success'
  if (deploy?.verification?.isVerified === false) return 'verification-failed'
  if (deploy?.isFailFast === true) return 'fail-fast'
  return deploy?.isRolledBack === true ? 'rolled-back' : 'failed'
}

/** The image the deploy set (with its digest when resolved) and the images plain manifests were pinned to. */
function imagesOf(results: RunResults | undefined): RecordEnd['images'] {
  const image = results?.ecr?.image
  const set =
    image === undefined ? [] : [{ image: `${imageRepository(image)}:${image.tag}`, digest: image.digest }]
  const pinned = (results?.deploy?.manifests?.pinned ?? []).map((pin) => {
    const [name = pin.to, digest] = pin.to.split('@')
    return { image: name, digest }
  })
  const seen = new Set<string>()
  return [...set, ...pinned].filter(({ image: name, digest }) => {
    const key = `${name}@${digest ?? ''}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * The commit's time (the payload's, else GitHub's) and the previous failure: GitHub's deployments
 * when the run makes one, else helm's history before this deploy.
 */
async function lookupsOf(
  record: RecordPlan,
  deploy: DeployResult | undefined,
  github: GitHubReport | undefined,
): Promise<RecordLookups> {
  const payloadTime = await record.payloadCommitTime
  const commitTime: Looked<string> =
    github?.record?.commitTime ??
    (payloadTime === undefined
      ? {
          unknown:
            "the event payload does not give the commit's time (a pull request's does not); with github-token and github-deployment (or comment-on-pr) the action asks GitHub's API for it.",
        }
      : { value: payloadTime })
  return { commitTime, previousFailure: github?.record?.previousFailure ?? previousFailureOfHelm(deploy) }
}

function previousFailureOfHelm(deploy: DeployResult | undefined): RecordLookups['previousFailure'] {
  if (deploy?.isDryRun === true) return { unknown: 'a dry run deploys nothing.' }
  if (deploy?.isSkipped === true) return { unknown: 'skip-unchanged: nothing was deployed.' }
  if (deploy?.historyBefore === undefined)
    return { unknown: "the release's history was not read: the deploy stopped before helm ran." }
  return { value: failureStreak('helm-history', pastDeploysOfHistory(deploy.historyBefore)) }
}

import { fenced } from '../lib/fenced.js'
import type { FailureStreak } from './previous-failure.js'

/**
 * The deploy record (output deploy-record, the job summary, the GitHub deployment's payload): one
 * JSON object per deploy, from which delivery metrics are computed without reading a log
 * (docs/deploy-record.md, field by field). Fields are snake_case, as GitHub's own payloads are; a
 * fact that could not be known is null, and `unknown` says why.
 */
export interface DeployRecord {
  readonly schema: 1
  readonly release: string
  readonly namespace: string
  readonly environment: string | null
  readonly cluster: string | null
  readonly region: string
  readonly repository: string
  readonly workflow: string | null
  readonly run_id: string
  readonly run_attempt: number
  readonly run_url: string
  readonly commit_sha: string | null
  readonly commit_time: string | null
  readonly started_at: string
  readonly finished_at: string | null
  readonly duration_seconds: number | null
  readonly outcome: DeployOutcome | 'in_progress'
  readonly failure_reason: string | null
  readonly revision: number | null
  readonly previous_revision: number | null
  readonly images: readonly RecordImage[]
  /** digest: the oci:// chart's manifest digest helm deployed (null for other charts). */
  readonly chart: { readonly name: string; readonly version: string; readonly digest: string | null } | null
  readonly github_deployment_id: number | null
  readonly previous_failure: PreviousFailure | null
  readonly restored_seconds: number | null
  readonly lead_time_seconds: number | null
  /** Why a null fact is null (commit_time, previous_failure): only the facts that could not be known. */
  readonly unknown: Readonly<Record<string, string>>
}

export type DeployOutcome =
  'success' | 'failed' | 'rolled-back' | 'fail-fast' | 'verification-failed' | 'skipped-unchanged' | 'dry-run'

interface RecordImage {
  /** `<registry>/<repository>:<tag>` */
  readonly image: string
  readonly digest: string | null
}

/** The newest failed deploy of the release since its last good one, and since when it has been failing. */
interface PreviousFailure {
  readonly source: FailureStreak['source']
  readonly deployment_id: number | null
  readonly revision: number | null
  readonly commit_sha: string | null
  readonly run_url: string | null
  readonly failed_at: string
  /** The failed deploys since the last good one (this one not counted). */
  readonly failures: number
  /** When the first of them failed: time to restore counts from there. */
  readonly failing_since: string
}

/** What a run knows before the deploy (the Deployment's payload is made of it). */
export interface RecordStart {
  readonly release: string
  readonly namespace: string
  readonly environment: string | undefined
  readonly cluster: string | undefined
  readonly region: string
  readonly repository: string
  readonly workflow: string | undefined
  readonly runId: string
  readonly runAttempt: string
  readonly runUrl: string
  readonly commitSha: string | undefined
  readonly startedMs: number
  /** Why a fact known at the start is null (environment). */
  readonly unknown?: Readonly<Record<string, string>>
}

/** What the deploy record knows when the deploy starts; the event payload's time of the commit, when it says it. */
export interface RecordPlan {
  readonly start: RecordStart
  readonly payloadCommitTime: Promise<string | undefined>
}

/** What the run ended with, as the record reads it. */
export interface RecordEnd {
  readonly finishedMs: number
  readonly outcome: DeployOutcome
  readonly failureReason: string | undefined
  readonly revision: number | undefined
  readonly previousRevision: number | undefined
  readonly images: readonly { readonly image: string; readonly digest: string | undefined }[]
  readonly chart:
    { readonly name: string; readonly version: string; readonly digest: string | undefined } | undefined
  readonly githubDeploymentId: number | undefined
}

/** A fact looked up (commit time, previous failure): its value, or why it is unknown. */
export type Looked<T> = { readonly value: T } | { readonly unknown: string }

export interface RecordLookups {
  readonly commitTime: Looked<string>
  /** value undefined: no failure since the last good deploy. */
  readonly previousFailure: Looked<FailureStreak | undefined>
}

const iso = (ms: number): string => new Date(ms).toISOString()
const seconds = (fromMs: number, toMs: number): number => Math.round((toMs - fromMs) / 100) / 10

/** The record of a deploy that has started and not ended: the GitHub deployment's payload. */
export function startedRecord(start: RecordStart, commitTime: Looked<string>): DeployRecord {
  return {
    schema: 1,
    release: start.release,
    namespace: start.namespace,
    environment: start.environment ?? null,
    cluster: start.cluster ?? null,
    region: start.region,
    repository: start.repository,
    workflow: start.workflow ?? null,
    run_id: start.runId,
    run_attempt: Number(start.runAttempt) || 1,
    run_url: start.runUrl,
    commit_sha: start.commitSha ?? null,
    commit_time: 'value' in commitTime ? commitTime.value : null,
    started_at: iso(start.startedMs),
    finished_at: null,
    duration_seconds: null,
    outcome: 'in_progress',
    failure_reason: null,
    revision: null,
    previous_revision: null,
    images: [],
    chart: null,
    github_deployment_id: null,
    previous_failure: null,
    restored_seconds: null,
    lead_time_seconds: null,
    unknown: { ...start.unknown, ...('unknown' in commitTime ? { commit_time: commitTime.unknown } : {}) },
  }
}

/** The record of a deploy that ended: a pure function of what the run found. */
export function finishedRecord(start: RecordStart, end: RecordEnd, lookups: RecordLookups): DeployRecord {
  const started = startedRecord(start, lookups.commitTime)
  const streak = 'value' in lookups.previousFailure ? lookups.previousFailure.value : undefined
  const commitMs = started.commit_time === null ? Number.NaN : Date.parse(started.commit_time)
  const isDeployed = end.outcome === 'success'
  const unknown: Record<string, string> = { ...started.unknown }
  if ('unknown' in lookups.previousFailure) unknown.previous_failure = lookups.previousFailure.unknown
  return {
    ...started,
    finished_at: iso(end.finishedMs),
    duration_seconds: seconds(start.startedMs, end.finishedMs),
    outcome: end.outcome,
    failure_reason: end.failureReason ?? null,
    revision: end.revision ?? null,
    previous_revision: end.previousRevision ?? null,
    images: end.images.map(({ image, digest }) => ({ image, digest: digest ?? null })),
    chart: end.chart === undefined ? null : { ...end.chart, digest: end.chart.digest ?? null },
    github_deployment_id: end.githubDeploymentId ?? null,
    previous_failure: streak === undefined ? null : previousFailureOf(streak),
    restored_seconds:
      isDeployed && streak !== undefined ? seconds(streak.failingSinceMs, end.finishedMs) : null,
    lead_time_seconds:
      isDeployed && Number.isFinite(commitMs) ? Math.round((end.finishedMs - commitMs) / 1000) : null,
    unknown,
  }
}

function previousFailureOf(streak: FailureStreak): PreviousFailure {
  const { latest } = streak
  return {
    source: streak.source,
    deployment_id: latest.deploymentId ?? null,
    revision: latest.revision ?? null,
    commit_sha: latest.commitSha ?? null,
    run_url: latest.runUrl ?? null,
    failed_at: iso(latest.atMs),
    failures: streak.failures,
    failing_since: iso(streak.failingSinceMs),
  }
}

/** The job summary's section: the record as JSON, collapsed. */
export function recordMarkdown(record: DeployRecord): string {
  const json = JSON.stringify(record, null, 2)
  return [
    '<details><summary>Deploy record (output <code>deploy-record</code>)</summary>',
    '',
    ...fenced(json, 'json'),
    '',
    '</details>',
    '',
  ].join('\n')
}

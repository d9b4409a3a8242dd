import { outcomeOf } from '../../../src/action/deploy-record.js'
import { commitTimeOfPayload } from '../../../src/record/commit-time.js'
import {
  failureStreak,
  pastDeployOf,
  pastDeploysOfHistory,
  type PastDeploy,
} from '../../../src/record/previous-failure.js'
import {
  finishedRecord,
  recordMarkdown,
  startedRecord,
  type RecordEnd,
  type RecordStart,
} from '../../../src/record/record.js'
import type { DeployResult } from '../../../src/phases/deploy/index.js'
import type { HistoryEntry } from '../../../src/helm/result.js'

const SHA = 'a'.repeat(40)
const at = (iso: string): number => Date.parse(iso)

const START: RecordStart = {
  release: 'api',
  namespace: 'shop',
  environment: 'production',
  cluster: 'prod',
  region: 'eu-west-1',
  repository: 'octo-org/api',
  workflow: 'deploy',
  runId: '4242',
  runAttempt: '2',
  runUrl: 'https://github.com/octo-org/api/actions/runs/4242',
  commitSha: SHA,
  startedMs: at('2026-12-06T10:00:00.000Z'),
}

const END: RecordEnd = {
  finishedMs: at('2026-12-06T10:01:30.250Z'),
  outcome: 'success',
  failureReason: undefined,
  revision: 7,
  previousRevision: 6,
  images: [
    { image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:aaaaaaa', digest: `sha256:${'b'.repeat(64)}` },
  ],
  chart: { name: 'api', version: '1.2.3', digest: `sha256:${'c'.repeat(64)}` },
  githubDeploymentId: 1001,
}

const failed = (iso: string, extra: Partial<PastDeploy> = {}): PastDeploy => ({
  kind: 'failed',
  atMs: at(iso),
  ...extra,
})
const good = (iso: string): PastDeploy => ({ kind: 'good', atMs: at(iso) })
const other: PastDeploy = { kind: 'other', atMs: Number.NaN }

describe('the deploy record', () => {
  test('a good deploy after two failures: restored from the first failure, lead time from the commit', () => {
    const streak = failureStreak('github-deployments', [
      failed('2026-12-06T09:40:00Z', {
        deploymentId: 1000,
        commitSha: 'c'.repeat(40),
        runUrl: 'https://r/2',
      }),
      other,
      failed('2026-12-06T09:20:00Z', { deploymentId: 999 }),
      good('2026-12-05T12:00:00Z'),
      failed('2026-12-01T00:00:00Z'),
    ])
    const record = finishedRecord(START, END, {
      commitTime: { value: '2026-12-06T09:50:00.000Z' },
      previousFailure: { value: streak },
    })
    expect(record).toEqual({
      schema: 1,
      release: 'api',
      namespace: 'shop',
      environment: 'production',
      cluster: 'prod',
      region: 'eu-west-1',
      repository: 'octo-org/api',
      workflow: 'deploy',
      run_id: '4242',
      run_attempt: 2,
      run_url: 'https://github.com/octo-org/api/actions/runs/4242',
      commit_sha: SHA,
      commit_time: '2026-12-06T09:50:00.000Z',
      started_at: '2026-12-06T10:00:00.000Z',
      finished_at: '2026-12-06T10:01:30.250Z',
      duration_seconds: 90.3,
      outcome: 'success',
      failure_reason: null,
      revision: 7,
      previous_revision: 6,
      images: [
        {
          image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:aaaaaaa',
          digest: `sha256:${'b'.repeat(64)}`,
        },
      ],
      chart: { name: 'api', version: '1.2.3', digest: `sha256:${'c'.repeat(64)}` },
      github_deployment_id: 1001,
      previous_failure: {
        source: 'github-deployments',
        deployment_id: 1000,
        revision: null,
        commit_sha: 'c'.repeat(40),
        run_url: 'https://r/2',
        failed_at: '2026-12-06T09:40:00.000Z',
        failures: 2,
        failing_since: '2026-12-06T09:20:00.000Z',
      },
      // 09:20:00 to 10:01:30.25
      restored_seconds: 2490.3,
      // 09:50:00 to 10:01:30.25
      lead_time_seconds: 690,
      unknown: {},
    })
  })

  test.each([
    ['rolled-back', 'The rollout timed out'],
    ['fail-fast', 'CrashLoopBackOff'],
  ] as const)('a %s deploy: no restore and no lead time, the reason kept', (outcome, reason) => {
    const streak = failureStreak('helm-history', [failed('2026-12-06T09:40:00Z', { revision: 5 })])
    const record = finishedRecord(
      START,
      { ...END, outcome, failureReason: reason },
      { commitTime: { value: '2026-12-06T09:50:00Z' }, previousFailure: { value: streak } },
    )
    expect(record).toMatchObject({
      outcome,
      failure_reason: reason,
      restored_seconds: null,
      lead_time_seconds: null,
      previous_failure: { source: 'helm-history', revision: 5, failures: 1 },
    })
  })

  test('what could not be known is null, and unknown says why; the start record has no end', () => {
    const record = finishedRecord(START, END, {
      commitTime: { unknown: 'no time in the payload' },
      previousFailure: { unknown: 'GitHub refused (HTTP 403)' },
    })
    expect(record).toMatchObject({
      commit_time: null,
      lead_time_seconds: null,
      previous_failure: null,
      restored_seconds: null,
      unknown: { commit_time: 'no time in the payload', previous_failure: 'GitHub refused (HTTP 403)' },
    })
    expect(
      startedRecord({ ...START, environment: undefined }, { value: '2026-12-06T09:50:00.000Z' }),
    ).toMatchObject({
      environment: null,
      outcome: 'in_progress',
      finished_at: null,
      revision: null,
      commit_time: '2026-12-06T09:50:00.000Z',
    })
  })

  test('the summary shows it collapsed, a value with backticks cannot close its fence', () => {
    const record = finishedRecord(
      START,
      { ...END, outcome: 'failed', failureReason: 'log said ```</details>' },
      { commitTime: { unknown: 'x' }, previousFailure: { value: undefined } },
    )
    const markdown = recordMarkdown(record)
    expect(markdown).toMatch(/^<details><summary>Deploy record/)
    expect(markdown).toContain('````json\n{\n  "schema": 1,')
    expect(markdown.trimEnd().endsWith('````\n\n</details>')).toBe(true)
  })
})

describe('the previous failure', () => {
  test.each([
    ['the newest ended well', [good('2026-12-06T09:00:00Z'), failed('2026-12-06T08:00:00Z')], undefined],
    ['none at all', [], undefined],
    ['only deploys still running', [other, other], undefined],
  ])('none when %s', (_, past, expected) => {
    expect(failureStreak('github-deployments', past)).toEqual(expected)
  })

  test.each([
    ['success', 'good'],
    ['inactive', 'good'],
    ['failure', 'failed'],
    ['error', 'failed'],
    ['in_progress', 'other'],
    ['queued', 'other'],
  ])('a GitHub deployment whose latest status is %s was %s', (state, kind) => {
    const past = pastDeployOf(
      { id: 5, ref: SHA },
      { state, createdAt: '2026-12-06T09:00:00Z', logUrl: 'https://r/5' },
    )
    expect(past).toEqual({
      kind,
      atMs: at('2026-12-06T09:00:00Z'),
      deploymentId: 5,
      commitSha: SHA,
      runUrl: 'https://r/5',
    })
    expect(pastDeployOf({ id: 6, ref: SHA }, undefined).kind).toBe('other')
  })

  test("helm's history: a failed upgrade and its rollback, then a failed one before it, since the last good revision", () => {
    const entry = (revision: number, status: string, description: string, iso: string): HistoryEntry => ({
      revision,
      status,
      description,
      updatedMs: at(iso),
      chart: 'api-1.0.0',
      appVersion: '1',
    })
    const history = [
      entry(1, 'superseded', 'Install complete', '2026-12-06T08:00:00Z'),
      entry(2, 'failed', 'Upgrade "api" failed: context deadline exceeded', '2026-12-06T08:10:00Z'),
      entry(3, 'superseded', 'Rollback to 1', '2026-12-06T08:10:05Z'),
      entry(4, 'failed', 'Upgrade "api" failed: signal: terminated', '2026-12-06T08:20:00Z'),
      entry(5, 'deployed', 'Rollback to 3', '2026-12-06T08:20:04Z'),
    ]
    const streak = failureStreak('helm-history', pastDeploysOfHistory(history))
    expect(streak).toEqual({
      source: 'helm-history',
      latest: { kind: 'failed', atMs: at('2026-12-06T08:20:00Z'), revision: 4 },
      failures: 2,
      failingSinceMs: at('2026-12-06T08:10:00Z'),
    })
    expect(failureStreak('helm-history', pastDeploysOfHistory(history.slice(0, 1)))).toBeUndefined()
  })
})

describe('the outcome', () => {
  const deploy = (overrides: Partial<DeployResult>): DeployResult =>
    ({ isDryRun: false, isRolledBack: false, ...overrides }) as DeployResult
  test.each([
    ['dry-run', deploy({ isDryRun: true }), true],
    ['skipped-unchanged', deploy({ isSkipped: true }), false],
    ['success', deploy({}), false],
    [
      'verification-failed',
      deploy({ verification: { isVerified: false } as DeployResult['verification'] }),
      true,
    ],
    ['fail-fast', deploy({ isFailFast: true, isRolledBack: true }), true],
    ['rolled-back', deploy({ isRolledBack: true }), true],
    ['failed', deploy({}), true],
    ['failed', undefined, true],
  ] as const)('%s', (expected, result, isFailed) => {
    expect(outcomeOf(result, isFailed)).toBe(expected)
  })
})

describe("the commit's time from the event payload", () => {
  const push = { head_commit: { id: SHA, timestamp: '2026-12-06T10:00:00+01:00' } }
  test.each([
    ['push, its head commit', 'push', push, '2026-12-06T09:00:00.000Z'],
    [
      'push of another commit',
      'push',
      { head_commit: { id: 'b'.repeat(40), timestamp: '2026-12-06T10:00:00Z' } },
      undefined,
    ],
    [
      'workflow_run',
      'workflow_run',
      { workflow_run: { head_commit: push.head_commit } },
      '2026-12-06T09:00:00.000Z',
    ],
    ['pull request (no time in it)', 'pull_request', { pull_request: { head: { sha: SHA } } }, undefined],
    ['a time that is no time', 'push', { head_commit: { id: SHA, timestamp: 'yesterday' } }, undefined],
    ['no payload', 'push', undefined, undefined],
  ])('%s', (_, eventName, payload, expected) => {
    expect(commitTimeOfPayload(eventName, SHA, payload)).toBe(expected)
  })
})

import { planRecord, recordOfRun } from '../../../src/action/deploy-record.js'
import type { Plan } from '../../../src/action/plan.js'
import type { RunResults } from '../../../src/action/results.js'
import type { HistoryEntry } from '../../../src/helm/result.js'
import type { DeployResult } from '../../../src/phases/deploy/index.js'
import { inputsFrom } from '../../fixtures/parsed-inputs.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'
const at = (iso: string): number => Date.parse(iso)
const entry = (revision: number, status: string, description: string, iso: string): HistoryEntry => ({
  revision,
  status,
  description,
  updatedMs: at(iso),
  chart: 'api-1.0.0',
  appVersion: '1',
})

// A deploy without github-deployment: the previous failure from helm's history, the commit's time
// from the push's payload, no request to GitHub.
describe('the record of a run', () => {
  const inputs = (environment: string) =>
    inputsFrom(
      {
        release: 'api',
        chart: './charts/api',
        'cluster-name': 'prod',
        'deployment-environment': environment,
      },
      { eventName: 'push', env: { GITHUB_WORKFLOW: 'deploy' } },
    )
  const plan = { deploy: {}, ecr: undefined, github: undefined } as unknown as Plan
  const payload = { head_commit: { id: SHA, timestamp: '2026-12-06T09:00:00Z' } }

  test('a good upgrade after a failed one: restored from helm history, lead time from the push', async () => {
    const record = await planRecord(
      inputs('production'),
      plan,
      () => Promise.resolve(payload),
      at('2026-12-06T10:00:00Z'),
    )
    const deploy = {
      release: 'api',
      namespace: 'default',
      isDryRun: false,
      isRolledBack: false,
      previousRevision: 3,
      state: {
        revision: 4,
        status: 'deployed',
        description: '',
        chartName: 'api',
        chartVersion: '1.0.0',
        appVersion: '1',
      },
      historyBefore: [
        entry(1, 'superseded', 'Install complete', '2026-12-06T08:00:00Z'),
        entry(2, 'failed', 'Upgrade "api" failed', '2026-12-06T09:30:00Z'),
        entry(3, 'deployed', 'Rollback to 1', '2026-12-06T09:30:04Z'),
      ],
    } as unknown as DeployResult
    const results = { inputs: inputs('production'), github: undefined, deploy } as unknown as RunResults
    const spans = [
      {
        name: 'deploy',
        parent: undefined,
        startMs: at('2026-12-06T10:00:01Z'),
        endMs: at('2026-12-06T10:00:31Z'),
        isFailed: false,
      },
    ]
    expect(
      await recordOfRun(record, { results, spans, failure: undefined }, at('2026-12-06T10:00:32Z')),
    ).toMatchObject({
      environment: 'production',
      cluster: 'prod',
      workflow: 'deploy',
      commit_sha: SHA,
      commit_time: '2026-12-06T09:00:00.000Z',
      finished_at: '2026-12-06T10:00:31.000Z',
      duration_seconds: 31,
      outcome: 'success',
      revision: 4,
      chart: { name: 'api', version: '1.0.0', digest: null },
      previous_failure: {
        source: 'helm-history',
        revision: 2,
        failures: 1,
        failed_at: '2026-12-06T09:30:00.000Z',
      },
      restored_seconds: 1831,
      lead_time_seconds: 3631,
      unknown: {},
    })
  })

  test('an environment named from outside text is left out; a deploy that failed before helm has no history', async () => {
    const record = await planRecord(inputs('pr-$(id)'), plan, () => Promise.resolve(undefined), 0)
    const results = { inputs: inputs('pr-$(id)'), github: undefined } as unknown as RunResults
    const built = await recordOfRun(record, { results, spans: [], failure: 'auth: AccessDenied\nmore' }, 5000)
    expect(built).toMatchObject({
      environment: null,
      outcome: 'failed',
      failure_reason: 'auth: AccessDenied',
      previous_failure: null,
      commit_time: null,
    })
    expect(Object.keys(built?.unknown ?? {}).sort()).toEqual([
      'commit_time',
      'environment',
      'previous_failure',
    ])
  })

  test('no record without a deploy in the plan', async () => {
    const none = { deploy: undefined } as unknown as Plan
    expect(await planRecord(inputs('production'), none, () => Promise.resolve(undefined), 0)).toBeUndefined()
  })
})

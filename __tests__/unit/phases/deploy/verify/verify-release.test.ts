import { DEFAULT_HELM_TIMEOUTS, type HelmCli } from '../../../../../src/helm/cli.js'
import type { VerifyInputs } from '../../../../../src/inputs/types.js'
import type { PhaseSpan } from '../../../../../src/phases/phase.js'
import { decideAftermath } from '../../../../../src/phases/deploy/verify/aftermath.js'
import {
  verifyRelease,
  type VerifyDeps,
  type VerifyRun,
} from '../../../../../src/phases/deploy/verify/index.js'
import { FakeKube } from '../../../../fixtures/fake-kube.js'
import { FakeRuntime, type FakeExec } from '../../../../fixtures/fake-runtime.js'

const VERIFY: VerifyInputs = {
  isHelmTest: true,
  urls: [],
  alarms: [],
  bakeSeconds: 0,
  timeout: '2m',
  timeoutSeconds: 120,
  rollback: 'true',
}

const run = (over: Partial<VerifyRun> = {}, verify: Partial<VerifyInputs> = {}): VerifyRun => ({
  verify: { ...VERIFY, ...verify },
  release: 'api',
  namespace: 'shop',
  revision: 3,
  previousRevision: 2,
  timeout: '5m',
  timeoutSeconds: 300,
  historyMax: 10,
  logLines: 20,
  ...over,
})

const FAILED_TEST = {
  exitCode: 1,
  stdout: 'NAME: api\nTEST SUITE:     api-smoke-test\nPhase:          Failed\n',
  stderr: 'Error: pod api-smoke-test failed\n',
}

function setUp(answers: (exec: FakeExec) => { exitCode: number; stdout: string; stderr: string }, major = 4) {
  const runtime = new FakeRuntime()
  runtime.onExec = answers
  const kube = new FakeKube()
  kube.snapshots = [
    {
      deployments: [],
      statefulSets: [],
      daemonSets: [],
      jobs: [],
      replicaSets: [],
      pods: [
        {
          metadata: { name: 'api-smoke-test' },
          spec: { containers: [{ name: 'smoke', image: 'example/smoke-fail:1' }] },
          status: {
            phase: 'Failed',
            containerStatuses: [
              { name: 'smoke', state: { terminated: { reason: 'Error', exitCode: 1 } }, restartCount: 0 },
            ],
          },
        },
      ],
    },
  ]
  kube.logs.set('api-smoke-test/smoke', 'connecting to db\nERROR: relation "orders" does not exist\n')
  const helm: HelmCli = {
    binary: '/tools/helm',
    version: { text: `v${major}.1.4`, major, minor: 1, patch: 4 },
    env: {},
    runtime,
    timeouts: DEFAULT_HELM_TIMEOUTS,
  }
  const spans: PhaseSpan[] = []
  const deps: VerifyDeps = {
    helm,
    connectKube: () => Promise.resolve(kube),
    alarmReader: () => Promise.reject(new Error('no alarms in this test')),
    fetch: () => Promise.reject(new Error('no HTTP in this test')),
    record: (span) => spans.push(span),
    cancel: new AbortController().signal,
  }
  return { runtime, deps, spans }
}

const ok = { exitCode: 0, stdout: '', stderr: '' }

describe('verifyRelease', () => {
  test('a passing helm test keeps the release: verified, nothing rolled back', async () => {
    const { runtime, deps, spans } = setUp(() => ({
      ...ok,
      stdout: 'TEST SUITE:     api-smoke-test\nPhase:          Succeeded\n',
    }))
    const outcome = await verifyRelease(run(), deps)
    expect(outcome.failure).toBeUndefined()
    expect(outcome.verification).toMatchObject({ isVerified: true, aftermath: 'kept', revision: 3 })
    expect(outcome.verification.checks).toEqual([
      {
        kind: 'helm-test',
        name: 'helm test',
        status: 'passed',
        seconds: 0,
        detail: '1 test pod succeeded (api-smoke-test)',
      },
    ])
    expect(runtime.execs.map((exec) => exec.args)).toEqual([
      ['test', 'api', '--namespace', 'shop', '--timeout', '120s'],
    ])
    expect(spans.map((span) => span.name)).toEqual(['verify: helm test'])
  })

  test.each([
    [4, '--wait=watcher'],
    [3, '--wait'],
  ])(
    'Helm %i: a failing test hook rolls back to the previous revision, the pod explained with its log',
    async (major, wait) => {
      const { runtime, deps } = setUp((exec) => (exec.args[0] === 'test' ? FAILED_TEST : ok), major)
      const outcome = await verifyRelease(run(), deps)
      expect(outcome.isRolledBack).toBe(true)
      expect(outcome.failureReason).toBe('verification: helm test: api-smoke-test: Error (exit 1)')
      expect(outcome.failure?.message).toBe(
        'Verification of release api revision 3 (namespace shop) failed: helm test: api-smoke-test: Error (exit 1). Rolled back to revision 2.',
      )
      expect(outcome.verification).toMatchObject({ aftermath: 'rolled-back', rolledBackTo: 2 })
      expect(outcome.verification.testLogs).toEqual([
        {
          pod: 'api-smoke-test',
          container: 'smoke',
          lines: ['connecting to db', 'ERROR: relation "orders" does not exist'],
        },
      ])
      expect(runtime.execs[1]?.args).toEqual([
        'rollback',
        'api',
        '2',
        '--namespace',
        'shop',
        wait,
        '--timeout',
        '5m',
        '--history-max',
        '10',
      ])
      // A rollback stopped half-way would leave the release pending: the runner's signals are not passed on.
      expect(runtime.execs[1]?.request.shouldForwardSignals).toBeUndefined()
      expect(runtime.logs).toContain('relay:   connecting to db\n  ERROR: relation "orders" does not exist')
    },
  )

  test('verify-rollback: false keeps a failing release; the step still fails', async () => {
    const { runtime, deps } = setUp((exec) => (exec.args[0] === 'test' ? FAILED_TEST : ok))
    const outcome = await verifyRelease(run({}, { rollback: 'false' }), deps)
    expect(outcome).toMatchObject({ isRolledBack: false, verification: { aftermath: 'kept-as-asked' } })
    expect(outcome.failure?.message).toContain('Kept deployed, as verify-rollback: false asks.')
    expect(runtime.execs).toHaveLength(1)
  })

  test('a first install that fails is reported and kept; verify-rollback: uninstall removes it', async () => {
    const kept = setUp((exec) => (exec.args[0] === 'test' ? FAILED_TEST : ok))
    const first = await verifyRelease(run({ previousRevision: undefined, revision: 1 }), kept.deps)
    expect(first).toMatchObject({ isRolledBack: false, verification: { aftermath: 'kept-first-install' } })
    expect(kept.runtime.execs).toHaveLength(1)
    const removed = setUp((exec) => (exec.args[0] === 'test' ? FAILED_TEST : ok))
    const second = await verifyRelease(
      run({ previousRevision: undefined, revision: 1 }, { rollback: 'uninstall' }),
      removed.deps,
    )
    expect(second).toMatchObject({ isRolledBack: true, verification: { aftermath: 'uninstalled' } })
    expect(removed.runtime.execs[1]?.args).toEqual([
      'uninstall',
      'api',
      '--namespace',
      'shop',
      '--wait',
      '--timeout',
      '5m',
    ])
  })

  test('a cancelled job during the checks leaves the release deployed: no rollback the runner could cut short', async () => {
    const cancel = new AbortController()
    const { runtime, deps } = setUp((exec) => {
      if (exec.args[0] === 'test') {
        cancel.abort('SIGTERM')
        return { exitCode: 1, stdout: '', stderr: 'Error: context canceled' }
      }
      return ok
    })
    const outcome = await verifyRelease(run(), { ...deps, cancel: cancel.signal })
    expect(outcome.verification.aftermath).toBe('kept-cancelled')
    expect(outcome.verification.checks[0]?.status).toBe('cancelled')
    expect(outcome.isRolledBack).toBe(false)
    expect(outcome.failure?.message).toContain('the release is left deployed as it was, unverified')
    expect(runtime.execs.map((exec) => exec.args[0])).toEqual(['test'])
  })

  test('after a failed check the later ones are skipped, and CloudWatch is never loaded', async () => {
    const { deps } = setUp((exec) => (exec.args[0] === 'test' ? FAILED_TEST : ok))
    let loaded = false
    const outcome = await verifyRelease(
      run(
        {},
        {
          urls: [
            {
              url: 'https://a.example.com/',
              shownUrl: 'https://a.example.com/',
              expectedStatus: undefined,
              bodyPattern: undefined,
            },
          ],
          alarms: [{ kind: 'name', name: 'api-5xx' }],
        },
      ),
      {
        ...deps,
        alarmReader: () => {
          loaded = true
          return Promise.reject(new Error('loaded'))
        },
      },
    )
    expect(outcome.verification.checks.map((check) => check.status)).toEqual(['failed', 'skipped', 'skipped'])
    expect(loaded).toBe(false)
  })

  test.each([
    [{ previousRevision: 2, rollback: 'true', isCancelled: false }, 'rollback'],
    [{ previousRevision: 2, rollback: 'uninstall', isCancelled: false }, 'rollback'],
    [{ previousRevision: 2, rollback: 'false', isCancelled: false }, 'keep-asked'],
    [{ previousRevision: undefined, rollback: 'true', isCancelled: false }, 'keep-first-install'],
    [{ previousRevision: undefined, rollback: 'uninstall', isCancelled: false }, 'uninstall'],
    [{ previousRevision: 2, rollback: 'true', isCancelled: true }, 'keep-cancelled'],
  ] as const)('decideAftermath(%j) = %s', (params, decision) => {
    expect(decideAftermath(params)).toBe(decision)
  })
})

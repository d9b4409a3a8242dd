import { buildHelmArgs } from '../../../../../src/helm/args.js'
import { parseHelmVersion, type HelmVersionInfo } from '../../../../../src/helm/version.js'
import { failureAfterHelm } from '../../../../../src/phases/deploy/rollout/after-helm.js'
import { watchRollout } from '../../../../../src/phases/deploy/rollout/watch.js'
import { resolveWaitMode } from '../../../../../src/phases/deploy/rollout/wait-mode.js'
import { workloadStatuses, type WorkloadRef } from '../../../../../src/phases/deploy/rollout/workloads.js'
import type { NamespaceSnapshot, ProgressiveObject } from '../../../../../src/kube/kube-objects.js'
import { FakeKube } from '../../../../fixtures/fake-kube.js'
import { FakeRuntime } from '../../../../fixtures/fake-runtime.js'
import { releaseSpec } from '../../../../fixtures/release-spec.js'

// Issue 23, part 3: helm returned without judging a Rollout or Canary (wait-mode auto on Helm 4 picks
// hookOnly; Helm 3's --wait ignores custom resources), so the watch decides, within helm's timeout.
type Status = NonNullable<ProgressiveObject['status']>
const STEPS = [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: {} }]
const rollout = (status: Status, generation = 1): ProgressiveObject => ({
  metadata: { name: 'web', generation },
  spec: { replicas: 2, strategy: { canary: { steps: STEPS } } },
  status,
})
const snapshot = (rollouts: ProgressiveObject[]): NamespaceSnapshot => ({
  deployments: [],
  statefulSets: [],
  daemonSets: [],
  jobs: [],
  replicaSets: [],
  pods: [],
  rollouts,
})
const ROLLOUT: WorkloadRef = { kind: 'Rollout', name: 'web', isHook: false }
const PAUSED: Status = {
  observedGeneration: '1',
  phase: 'Paused',
  currentStepIndex: 1,
  pauseConditions: [{ reason: 'CanaryPauseStep' }],
  canary: { weights: { canary: { weight: 20 } } },
}
const HEALTHY: Status = { observedGeneration: '1', phase: 'Healthy', currentStepIndex: 4 }

function decide(snapshots: NamespaceSnapshot[], onPaused: 'wait' | 'report', helmTimeoutMs = 60_000) {
  const kube = new FakeKube()
  kube.snapshots = snapshots
  const runtime = new FakeRuntime()
  const decideAfter = new AbortController()
  decideAfter.abort()
  const watching = watchRollout(
    {
      namespace: 'shop',
      refs: [ROLLOUT],
      isFailFast: true,
      onPaused,
      helmTimeoutMs,
      decideAfter: decideAfter.signal,
    },
    { kube, runtime, onHopeless: () => Promise.reject(new Error('must not be called')) },
    new AbortController().signal,
  )
  return { watching, kube, runtime }
}

test('helm returned: the watch goes on through the pause and ends when the Rollout is Healthy', async () => {
  const { watching, kube } = decide(
    [snapshot([rollout(PAUSED)]), snapshot([rollout(PAUSED)]), snapshot([rollout(HEALTHY)])],
    'wait',
  )
  const result = await watching
  expect(result.readiness).toBe('ready')
  expect(kube.asked.snapshots).toBe(3)
})

test('on-paused-rollout: report: a paused Rollout ends the wait as paused, said as a warning', async () => {
  const { watching } = decide([snapshot([rollout(PAUSED)])], 'report')
  const result = await watching
  expect(result.readiness).toBe('paused')
  const runtime = new FakeRuntime()
  const failure = failureAfterHelm(
    { release: 'api', namespace: 'shop', timeout: '5m', revision: 3 },
    { readiness: result.readiness, verdict: undefined, reason: undefined, last: result.last },
    runtime,
  )
  expect(failure).toBeUndefined()
  expect(runtime.logs.filter((line) => line.startsWith('warning: '))).toEqual([
    'warning: Deployed, with a paused rollout (on-paused-rollout: report): Rollout shop/web: step 1/4, canary weight 20 %, Paused (CanaryPauseStep). Promote it (kubectl argo rollouts promote <name> -n shop) to finish.',
  ])
})

test('still paused at helm’s timeout: not ready, a failure that names the step, what stays and how to go back', async () => {
  const { watching } = decide([snapshot([rollout(PAUSED)])], 'wait', 10_000)
  const result = await watching
  expect(result.readiness).toBe('not-ready')
  const failure = failureAfterHelm(
    { release: 'api', namespace: 'shop', timeout: '10s', revision: 3 },
    { readiness: result.readiness, verdict: undefined, reason: undefined, last: result.last },
    new FakeRuntime(),
  )
  expect(failure?.error.message).toBe(
    "The rollout of release api was not ready within timeout 10s: Rollout shop/web: step 1/4, canary weight 20 %, Paused (CanaryPauseStep) (the action's watch decides for what helm's wait cannot judge).",
  )
  expect(failure?.error.hint).toContain('revision 3 stays deployed')
  expect(failure?.error.hint).toContain('`helm rollback api -n shop`')
})

test('a status written for the previous generation is neither done nor failed (right after helm’s upgrade)', () => {
  const stale = workloadStatuses([ROLLOUT], 'shop', snapshot([rollout(HEALTHY, 2)]))[0]
  expect(stale).toMatchObject({ isDone: false, failure: undefined })
  const degraded = { ...HEALTHY, phase: 'Degraded', message: 'ProgressDeadlineExceeded' }
  expect(workloadStatuses([ROLLOUT], 'shop', snapshot([rollout(degraded, 2)]))[0]?.hasFailed).toBe(false)
  expect(workloadStatuses([ROLLOUT], 'shop', snapshot([rollout(HEALTHY, 1)]))[0]?.isDone).toBe(true)
})

test.each([
  ['Helm 4, a Rollout rendered', 4, [ROLLOUT], {}, 'legacy'],
  ['Helm 4, a Canary rendered', 4, [{ ...ROLLOUT, kind: 'Canary' as const }], {}, 'legacy'],
  ['Helm 4, a Rollout, atomic: false', 4, [ROLLOUT], { isAtomic: false }, 'legacy'],
  ['Helm 4, Deployments only', 4, [{ ...ROLLOUT, kind: 'Deployment' as const }], {}, 'watcher'],
  ['Helm 4, no render', 4, undefined, {}, 'watcher'],
  ['Helm 3 (its --wait ignores custom resources)', 3, [ROLLOUT], {}, 'watcher'],
  ['Helm 4, a dry run', 4, [ROLLOUT], { isDryRun: true }, 'watcher'],
  ['Helm 4, no wait at all', 4, [ROLLOUT], { isAtomic: false, shouldWait: false }, 'watcher'],
  ['Helm 4, wait-mode legacy chosen', 4, [ROLLOUT], { waitMode: 'legacy' as const }, 'legacy'],
  ['Helm 4, wait-mode watcher chosen', 4, [ROLLOUT], { waitMode: 'watcher' as const }, 'watcher'],
] as const)('wait-mode auto: %s → %s', (_, major, refs, overrides, mode) => {
  const runtime = new FakeRuntime()
  const spec = releaseSpec({ waitMode: 'auto', ...overrides })
  expect(resolveWaitMode(spec, refs, major, runtime).waitMode).toBe(mode)
  const isDecided = spec.waitMode === 'auto' && mode === 'legacy'
  expect(runtime.logs.some((line) => line.startsWith('wait-mode auto:'))).toBe(isDecided)
})

test('wait-mode auto with a Rollout on Helm 4 gives helm --wait=legacy, never hookOnly (which --rollback-on-failure turns into watcher)', () => {
  const spec = resolveWaitMode(releaseSpec({ waitMode: 'auto' }), [ROLLOUT], 4, new FakeRuntime())
  const args = buildHelmArgs(parseHelmVersion('v4.1.4') as HelmVersionInfo, spec, undefined)
  expect(args).toEqual(expect.arrayContaining(['--rollback-on-failure', '--wait=legacy']))
  expect(args.filter((arg) => arg.startsWith('--wait'))).toEqual(['--wait=legacy'])
})

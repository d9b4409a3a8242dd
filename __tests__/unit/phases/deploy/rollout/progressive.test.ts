import { HopelessDetector, FAIL_FAST_RULES } from '../../../../../src/phases/deploy/rollout/fail-fast.js'
import { workloadRefs } from '../../../../../src/phases/deploy/rollout/rendered.js'
import { renderProgress } from '../../../../../src/phases/deploy/rollout/diagnosis-view.js'
import { workloadStatuses, type WorkloadRef } from '../../../../../src/phases/deploy/rollout/workloads.js'
import type { NamespaceSnapshot, ProgressiveObject } from '../../../../../src/kube/kube-objects.js'
import { recordedPod } from '../../../../fixtures/kube-recorded.js'

// Status objects as Argo Rollouts' and Flagger's controllers write them (field names from their CRDs).
type Status = NonNullable<ProgressiveObject['status']>
const rollout = (status: Status, annotations: Record<string, string> = {}): ProgressiveObject => ({
  metadata: { name: 'web', annotations },
  spec: {
    replicas: 2,
    strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: {} }] } },
  },
  status,
})
const canary = (status: Status): ProgressiveObject => ({
  metadata: { name: 'web' },
  status,
})

const snapshot = (extra: Partial<NamespaceSnapshot>): NamespaceSnapshot => ({
  deployments: [],
  statefulSets: [],
  daemonSets: [],
  jobs: [],
  replicaSets: [],
  pods: [],
  ...extra,
})
const ROLLOUT: WorkloadRef = { kind: 'Rollout', name: 'web', isHook: false }
const CANARY: WorkloadRef = { kind: 'Canary', name: 'web', isHook: false }

test('the rendered Rollout and Canary are watched like workloads', () => {
  const refs = workloadRefs([
    { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', namespace: undefined, isHook: false },
    { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', name: 'web', namespace: undefined, isHook: false },
  ])
  expect(refs.map((r) => r.kind)).toEqual(['Rollout', 'Canary'])
})

test.each<[string, WorkloadRef, Partial<NamespaceSnapshot>, string]>([
  [
    'a Rollout at a pause step',
    ROLLOUT,
    {
      rollouts: [
        rollout({
          phase: 'Paused',
          currentStepIndex: 1,
          pauseConditions: [{ reason: 'CanaryPauseStep' }],
          canary: { weights: { canary: { weight: 20 } } },
        }),
      ],
    },
    'Rollout shop/web: step 1/4, canary weight 20 %, Paused (CanaryPauseStep)',
  ],
  [
    'a healthy Rollout',
    ROLLOUT,
    { rollouts: [rollout({ phase: 'Healthy', currentStepIndex: 4 })] },
    'Rollout shop/web: step 4/4, Healthy',
  ],
  [
    'a Canary progressing, with failed checks',
    CANARY,
    { canaries: [canary({ phase: 'Progressing', canaryWeight: 10, failedChecks: 2 })] },
    'Canary shop/web: Progressing, canary weight 10 %, 2 failed checks',
  ],
  ['a Rollout not created yet', ROLLOUT, {}, 'Rollout shop/web: not created yet'],
])('progress line: %s', (_name, ref, extra, line) => {
  expect(renderProgress(workloadStatuses([ref], 'shop', snapshot(extra)))[0]).toBe(line)
})

describe('fail-fast on progressive delivery', () => {
  const judge = (
    ref: WorkloadRef,
    extra: Partial<NamespaceSnapshot>,
    onPaused: 'wait' | 'fail' | 'report' = 'wait',
  ) => {
    const detector = new HopelessDetector(FAIL_FAST_RULES, onPaused)
    const verdict = detector.observe(workloadStatuses([ref], 'shop', snapshot(extra)), 0)
    return { verdict, warnings: detector.takeWarnings() }
  }

  test.each<[string, WorkloadRef, Partial<NamespaceSnapshot>, string, string]>([
    [
      'a Degraded Rollout',
      ROLLOUT,
      {
        rollouts: [
          rollout({
            phase: 'Degraded',
            message: 'ProgressDeadlineExceeded: ReplicaSet "web-6d4f" has timed out progressing.',
          }),
        ],
      },
      'RolloutFailed',
      'Rollout Degraded: ProgressDeadlineExceeded: ReplicaSet "web-6d4f" has timed out progressing.',
    ],
    [
      'an aborted Rollout (a failed analysis)',
      ROLLOUT,
      {
        rollouts: [
          rollout({
            phase: 'Degraded',
            abort: true,
            message: 'RolloutAborted: Rollout aborted update to revision 3',
          }),
        ],
      },
      'RolloutFailed',
      'Rollout aborted: RolloutAborted: Rollout aborted update to revision 3',
    ],
    [
      'a Failed Canary',
      CANARY,
      { canaries: [canary({ phase: 'Failed', failedChecks: 5 })] },
      'CanaryFailed',
      'Canary Failed after 5 failed checks',
    ],
  ])('stops helm: %s', (_name, ref, extra, reason, rule) => {
    expect(judge(ref, extra).verdict).toMatchObject({ reason, rule })
  })

  const paused = {
    rollouts: [
      rollout({ phase: 'Paused', currentStepIndex: 1, pauseConditions: [{ reason: 'CanaryPauseStep' }] }),
    ],
  }

  test('a paused Rollout: waits (the default), fails, or is reported, as on-paused-rollout says', () => {
    expect(judge(ROLLOUT, paused, 'wait')).toEqual({ verdict: undefined, warnings: [] })
    expect(judge(ROLLOUT, paused, 'fail').verdict).toMatchObject({
      reason: 'Paused',
      rule: 'paused: step 1/4, Paused (CanaryPauseStep) with on-paused-rollout: fail',
    })
    expect(judge(ROLLOUT, paused, 'report')).toEqual({
      verdict: undefined,
      warnings: [
        'Rollout shop/web is paused (step 1/4, Paused (CanaryPauseStep)): it waits for a promotion; helm goes on waiting.',
      ],
    })
  })

  test('a Degraded Rollout annotated eks-deploy-action/fail-fast: "false" does not stop helm', () => {
    const off = { rollouts: [rollout({ phase: 'Degraded' }, { 'eks-deploy-action/fail-fast': 'false' })] }
    expect(judge(ROLLOUT, off).verdict).toBeUndefined()
  })

  test("only the Rollout's current pods count: an old ReplicaSet's crash-looping pod does not", () => {
    const crash = recordedPod('web-crash')
    const old = {
      ...crash,
      metadata: { ...crash.metadata, labels: { 'rollouts-pod-template-hash': 'old1' } },
    }
    const extra = { rollouts: [rollout({ phase: 'Progressing', currentPodHash: 'new2' })], pods: [old] }
    expect(judge(ROLLOUT, extra).verdict).toBeUndefined()
    const current = {
      ...crash,
      metadata: { ...crash.metadata, labels: { 'rollouts-pod-template-hash': 'new2' } },
    }
    expect(judge(ROLLOUT, { ...extra, pods: [current] }).verdict?.reason).toBe('CrashLoopBackOff')
  })
})

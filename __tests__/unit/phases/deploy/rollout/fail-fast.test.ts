import { HopelessDetector } from '../../../../../src/phases/deploy/rollout/fail-fast.js'
import type { ContainerTrouble, PodState } from '../../../../../src/phases/deploy/rollout/pod-state.js'
import type { WorkloadStatus } from '../../../../../src/phases/deploy/rollout/workloads.js'

const container = (overrides: Partial<ContainerTrouble>): ContainerTrouble => ({
  container: 'web',
  image: 'r/web:1',
  isInit: false,
  waitingReason: undefined,
  waitingMessage: undefined,
  restarts: 0,
  lastTermination: undefined,
  ...overrides,
})
const pod = (troubles: ContainerTrouble[], extra: Partial<PodState> = {}): PodState => ({
  name: 'web-1',
  phase: 'Running',
  isReady: false,
  unschedulable: undefined,
  troubles,
  ...extra,
})
const workload = (pods: PodState[], extra: Partial<WorkloadStatus> = {}): WorkloadStatus => ({
  ref: { kind: 'Deployment', name: 'web', isHook: false },
  namespace: 'shop',
  exists: true,
  desired: 1,
  ready: 0,
  updated: 1,
  old: 0,
  revision: undefined,
  failed: 0,
  hasFailed: false,
  isDone: false,
  pods,
  isFailFastOff: false,
  ...extra,
})
const S = 1000

/** Observes the same state at each time (ms) and returns the first verdict's reason and rule. */
function judge(state: WorkloadStatus[], times: number[]) {
  const detector = new HopelessDetector()
  for (const at of times) {
    const verdict = detector.observe(state, at)
    if (verdict !== undefined) return { at, reason: verdict.reason, rule: verdict.rule }
  }
  return undefined
}

describe('fail-fast rules: hopeless', () => {
  test('CrashLoopBackOff with 3 restarts, at once', () => {
    const crash = (restarts: number) => [
      workload([pod([container({ waitingReason: 'CrashLoopBackOff', restarts })])]),
    ]
    expect(judge(crash(2), [0, 600 * S])).toBeUndefined()
    expect(judge(crash(3), [0])).toEqual({
      at: 0,
      reason: 'CrashLoopBackOff',
      rule: 'crash-loop: 3 restarts; every new pod so far (1 of 1)',
    })
  })

  test.each([['ImagePullBackOff'], ['ErrImagePull'], ['InvalidImageName']])(
    '%s once it persists 60 s',
    (reason) => {
      const state = [workload([pod([container({ waitingReason: reason })])])]
      expect(judge(state, [0, 30 * S, 59 * S])).toBeUndefined()
      expect(judge(state, [0, 30 * S, 60 * S])).toEqual({
        at: 60 * S,
        reason,
        rule: 'image pull failing for 60 s; every new pod so far (1 of 1)',
      })
    },
  )

  test('ErrImagePull and ImagePullBackOff alternating are one pull failure: the clock keeps running', () => {
    const detector = new HopelessDetector()
    const with_ = (reason: string) => [workload([pod([container({ waitingReason: reason })])])]
    expect(detector.observe(with_('ErrImagePull'), 0)).toBeUndefined()
    expect(detector.observe(with_('ImagePullBackOff'), 40 * S)).toBeUndefined()
    expect(detector.observe(with_('ErrImagePull'), 61 * S)?.reason).toBe('ErrImagePull')
  })

  test.each([['CreateContainerConfigError'], ['CreateContainerError']])(
    '%s once it persists 30 s',
    (reason) => {
      const state = [workload([pod([container({ waitingReason: reason })])])]
      expect(judge(state, [0, 29 * S])).toBeUndefined()
      expect(judge(state, [0, 30 * S])?.reason).toBe(reason)
    },
  )

  test('a Job that gave up (its Failed condition)', () => {
    const job = workload([], {
      ref: { kind: 'Job', name: 'migrate', isHook: true },
      hasFailed: true,
      failed: 1,
    })
    expect(judge([job], [0])).toEqual({
      at: 0,
      reason: 'JobFailed',
      rule: 'job failed: backoffLimit reached',
    })
  })
})

describe('fail-fast rules: never hopeless', () => {
  test('an unschedulable pod, however long (a cluster autoscaler may be adding a node)', () => {
    const unsched = pod([], {
      phase: 'Pending',
      unschedulable: { reason: 'Unschedulable', message: '0/3 nodes are available' },
    })
    expect(judge([workload([unsched])], [0, 60 * S, 3600 * S])).toBeUndefined()
  })

  test('a pod that is only slow to become ready, however long', () => {
    expect(judge([workload([pod([])])], [0, 300 * S, 3600 * S])).toBeUndefined()
  })

  test('a crash that restarted twice, then ran', () => {
    expect(
      judge(
        [workload([pod([container({ restarts: 2, lastTermination: { reason: 'Error', exitCode: 1 } })])])],
        [0, 600 * S],
      ),
    ).toBeUndefined()
  })

  test('a pull failure that clears before 60 s restarts the clock when it comes back', () => {
    const detector = new HopelessDetector()
    const failing = [workload([pod([container({ waitingReason: 'ImagePullBackOff' })])])]
    const pulled = [workload([pod([])])]
    expect(detector.observe(failing, 0)).toBeUndefined()
    expect(detector.observe(pulled, 50 * S)).toBeUndefined()
    expect(detector.observe(failing, 70 * S)).toBeUndefined()
    expect(detector.observe(failing, 129 * S)).toBeUndefined()
    expect(detector.observe(failing, 130 * S)?.reason).toBe('ImagePullBackOff')
  })
})

import { describePod, describePodLine } from '../../../../../src/phases/deploy/rollout/pod-state.js'
import { recordedPod } from '../../../../fixtures/kube-recorded.js'

describe('describePodLine: a pod in a notable state, in the kubelet’s words (recorded from the lab)', () => {
  test.each([
    ['web-crash', /^web-crash-\S+: CrashLoopBackOff, \d+ restarts, last exit 1$/],
    ['web-oomkill', /^web-oomkill-\S+: CrashLoopBackOff, \d+ restarts, last OOMKilled \(exit 137\)$/],
    ['web-pullfail', /^web-pullfail-\S+: ImagePullBackOff$/],
    ['web-configerr', /^web-configerr-\S+: CreateContainerConfigError$/],
    [
      'web-unsched',
      /^web-unsched-\S+: Unschedulable: 0\/1 nodes are available: 1 node\(s\) didn't match Pod's node affinity\/selector\.$/,
    ],
    ['migrate-jlmks', /^migrate-jlmks: Error \(exit 1\)$/],
  ])('%s', (prefix, line) => {
    expect(describePodLine(describePod(recordedPod(prefix)))).toMatch(line)
  })

  test.each(['web-good', 'web-slow40', 'migrate-ok'])(
    '%s: nothing notable (running, only not ready yet, or done)',
    (prefix) => {
      expect(describePodLine(describePod(recordedPod(prefix)))).toBeUndefined()
    },
  )
})

describe('describePod', () => {
  test('a crash: the waiting reason, the restarts, the last termination, the image', () => {
    const state = describePod(recordedPod('web-crash'))
    expect(state.isReady).toBe(false)
    expect(state.troubles).toEqual([
      expect.objectContaining({
        container: 'web',
        image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:crash0001',
        waitingReason: 'CrashLoopBackOff',
        lastTermination: { reason: 'Error', exitCode: 1 },
      }),
    ])
    expect(state.troubles[0]?.restarts).toBeGreaterThanOrEqual(3)
  })

  test('a config error keeps the message that says which Secret is missing', () => {
    expect(describePod(recordedPod('web-configerr')).troubles[0]?.waitingMessage).toBe(
      'secret "app-secrets" not found',
    )
  })

  test('ContainerCreating and PodInitializing are not trouble', () => {
    const pod = {
      metadata: { name: 'p' },
      status: {
        phase: 'Pending',
        containerStatuses: [
          { name: 'a', restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } },
        ],
        initContainerStatuses: [
          { name: 'i', restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
        ],
      },
    }
    expect(describePod(pod).troubles).toEqual([])
    expect(describePodLine(describePod(pod))).toBeUndefined()
  })

  test('an init container in trouble is named as such', () => {
    const pod = {
      metadata: { name: 'p' },
      status: {
        initContainerStatuses: [
          {
            name: 'migrate',
            restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { reason: 'Error', exitCode: 2 } },
          },
        ],
      },
    }
    expect(describePodLine(describePod(pod))).toBe(
      'p: init container migrate: CrashLoopBackOff, 4 restarts, last exit 2',
    )
  })
})

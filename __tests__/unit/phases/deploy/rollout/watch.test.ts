import { watchRollout } from '../../../../../src/phases/deploy/rollout/watch.js'
import { workloadStatuses, type WorkloadRef } from '../../../../../src/phases/deploy/rollout/workloads.js'
import { FakeKube } from '../../../../fixtures/fake-kube.js'
import { FakeRuntime } from '../../../../fixtures/fake-runtime.js'
import { recordedSnapshot } from '../../../../fixtures/kube-recorded.js'

const ref = (name: string): WorkloadRef => ({ kind: 'Deployment', name, isHook: false })

/** Ends the watch (as helm's exit does) once `polls` polls were made. */
function endAfter(kube: FakeKube, polls: number): AbortController {
  const done = new AbortController()
  const snapshot = kube.snapshot.bind(kube)
  kube.snapshot = async () => {
    try {
      return await snapshot()
    } finally {
      if (kube.asked.snapshots >= polls) done.abort()
    }
  }
  return done
}

test('a crash loop: progress printed, onHopeless called once with the verdict, the watch ends', async () => {
  const runtime = new FakeRuntime()
  const kube = new FakeKube()
  kube.snapshots = [recordedSnapshot]
  const verdicts: string[] = []
  const result = await watchRollout(
    { namespace: 'rec10', refs: [ref('web-crash')], isFailFast: true },
    {
      kube,
      runtime,
      onHopeless: (verdict) => {
        verdicts.push(verdict.reason)
        return Promise.resolve()
      },
    },
    new AbortController().signal,
  )
  expect(verdicts).toEqual(['CrashLoopBackOff'])
  expect(result.verdict?.reason).toBe('CrashLoopBackOff')
  expect(runtime.logs[0]).toMatch(
    /^Rollout, 0 s:\n {2}Deployment rec10\/web-crash: 0\/1 ready, 1\/1 updated\n {4}web-crash-\S+: CrashLoopBackOff/,
  )
})

test('fail-fast off: the crash is shown, helm is never stopped', async () => {
  const runtime = new FakeRuntime()
  const kube = new FakeKube()
  kube.snapshots = [recordedSnapshot]
  const done = endAfter(kube, 5)
  const result = await watchRollout(
    { namespace: 'rec10', refs: [ref('web-crash')], isFailFast: false },
    { kube, runtime, onHopeless: () => Promise.reject(new Error('must not be called')) },
    done.signal,
  )
  expect(result.verdict).toBeUndefined()
  expect(kube.asked.snapshots).toBe(5)
})

test('unschedulable and slow pods: polled for an hour of (fake) time, never hopeless; progress every 30 s', async () => {
  const runtime = new FakeRuntime()
  const kube = new FakeKube()
  kube.snapshots = [recordedSnapshot]
  const done = endAfter(kube, 1800)
  const result = await watchRollout(
    { namespace: 'rec10', refs: [ref('web-unsched'), ref('web-slow40')], isFailFast: true },
    { kube, runtime, onHopeless: () => Promise.reject(new Error('must not be called')) },
    done.signal,
  )
  expect(result.verdict).toBeUndefined()
  expect(result.last.map((w) => w.ref.name)).toEqual(['web-unsched', 'web-slow40'])
  const printed = runtime.logs.filter((line) => line.startsWith('Rollout, '))
  // Nothing changed: 1800 polls 2 s apart print at 0 s, then at each 30 s heartbeat up to 3570 s.
  expect(printed.length).toBe(120)
  expect(printed[1]).toMatch(/^Rollout, 30 s:/)
})

test('a failing poll is warned about once and retried; the watch never fails the deploy', async () => {
  const runtime = new FakeRuntime()
  const kube = new FakeKube()
  kube.snapshots = [
    () => {
      throw new Error('connection refused')
    },
  ]
  const done = endAfter(kube, 3)
  await expect(
    watchRollout(
      { namespace: 'ns', refs: [ref('web')], isFailFast: true },
      { kube, runtime, onHopeless: () => Promise.resolve() },
      done.signal,
    ),
  ).resolves.toEqual({ verdict: undefined, last: [] })
  expect(runtime.logs.filter((line) => line.startsWith('warning:'))).toEqual([
    'warning: Cannot watch the rollout (helm goes on waiting): connection refused',
  ])
})

test('helm’s rollback (the old ReplicaSet revived) ends what the watch keeps: the failing state stays the last', async () => {
  const runtime = new FakeRuntime()
  const kube = new FakeKube()
  const deployment = (revision: string) => ({
    metadata: { name: 'web', generation: 2, annotations: { 'deployment.kubernetes.io/revision': revision } },
    spec: { replicas: 1 },
    status: { observedGeneration: 2, replicas: 2, updatedReplicas: 1 },
  })
  const replicaSet = (name: string, revision: string) => ({
    metadata: {
      name,
      annotations: { 'deployment.kubernetes.io/revision': revision },
      ownerReferences: [{ kind: 'Deployment', name: 'web' }],
    },
  })
  const pod = (name: string, owner: string, ready: boolean, waiting?: string) => ({
    metadata: { name, ownerReferences: [{ kind: 'ReplicaSet', name: owner }] },
    status: {
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses:
        waiting === undefined
          ? []
          : [{ name: 'c', restartCount: 1, state: { waiting: { reason: waiting } } }],
    },
  })
  const snapshot = (revision: string, pods: ReturnType<typeof pod>[]) => ({
    deployments: [deployment(revision)],
    replicaSets: [replicaSet('web-old', revision === '3' ? '3' : '1'), replicaSet('web-new', '2')],
    pods,
    statefulSets: [],
    daemonSets: [],
    jobs: [],
  })
  const before = workloadStatuses([ref('web')], 'shop', snapshot('1', [pod('web-old-a', 'web-old', true)]))
  kube.snapshots = [
    snapshot('2', [pod('web-old-a', 'web-old', true), pod('web-new-a', 'web-new', false, 'Unschedulable')]),
    // helm's rollback: the Deployment goes back to the old template, its ReplicaSet becomes the newest again
    snapshot('3', [pod('web-old-a', 'web-old', true), pod('web-new-a', 'web-new', false, 'Unschedulable')]),
  ]
  const done = endAfter(kube, 4)
  const result = await watchRollout(
    { namespace: 'shop', refs: [ref('web')], before, isFailFast: true },
    { kube, runtime, onHopeless: () => Promise.resolve() },
    done.signal,
  )
  expect(result.last[0]?.pods.map((p) => p.name)).toEqual(['web-new-a'])
  expect(result.last[0]?.revision).toBe('web-new')
})

test("no verdict once helm's own timeout has passed: helm is rolling back by itself", async () => {
  const runtime = new FakeRuntime()
  const kube = new FakeKube()
  kube.snapshots = [recordedSnapshot]
  const done = endAfter(kube, 3)
  const result = await watchRollout(
    { namespace: 'rec10', refs: [ref('web-crash')], isFailFast: true, helmTimeoutMs: 0 },
    { kube, runtime, onHopeless: () => Promise.reject(new Error('must not be called')) },
    done.signal,
  )
  expect(result.verdict).toBeUndefined()
})

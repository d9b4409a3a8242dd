import type { NamespaceSnapshot } from '../../../../../src/kube/kube-objects.js'
import {
  describeWorkloadLine,
  workloadStatuses,
  type WorkloadRef,
} from '../../../../../src/phases/deploy/rollout/workloads.js'
import { recordedSnapshot } from '../../../../fixtures/kube-recorded.js'

const ref = (kind: WorkloadRef['kind'], name: string, isHook = false): WorkloadRef => ({ kind, name, isHook })

describe('workloadStatuses (recorded from the lab)', () => {
  test('each Deployment with the pods of its newest ReplicaSet; counts from the new pods', () => {
    const [crash, good, missing] = workloadStatuses(
      [ref('Deployment', 'web-crash'), ref('Deployment', 'web-good'), ref('Deployment', 'web-nope')],
      'rec10',
      recordedSnapshot,
    )
    expect(crash).toMatchObject({ exists: true, desired: 1, ready: 0, updated: 1, old: 0, isDone: false })
    expect(crash?.pods.map((pod) => pod.name)).toEqual([expect.stringMatching(/^web-crash-/)])
    expect(good).toMatchObject({ ready: 1, isDone: true })
    expect(missing).toMatchObject({ exists: false, isDone: false })
    expect(describeWorkloadLine(crash!)).toBe('Deployment rec10/web-crash: 0/1 ready, 1/1 updated')
    expect(describeWorkloadLine(missing!)).toBe('Deployment rec10/web-nope: not created yet')
  })

  test('a Job still retrying (3 failed pods, backoffLimit not reached), and one that completed', () => {
    const [retrying, ok] = workloadStatuses(
      [ref('Job', 'migrate', true), ref('Job', 'migrate-ok')],
      'rec10',
      recordedSnapshot,
    )
    expect(retrying).toMatchObject({ hasFailed: false, isDone: false, ready: 0, failed: 3 })
    expect(retrying?.pods.length).toBe(4)
    expect(describeWorkloadLine(retrying!)).toBe('hook Job rec10/migrate: 0/1 succeeded, 3 failed')
    expect(ok).toMatchObject({ hasFailed: false, isDone: true })
    expect(describeWorkloadLine(ok!)).toBe('Job rec10/migrate-ok: 1/1 succeeded (complete)')
  })

  test('a Job that gave up: its Failed condition', () => {
    const gaveUp = {
      ...recordedSnapshot,
      jobs: [
        {
          metadata: { name: 'm' },
          spec: { completions: 1 },
          status: {
            failed: 1,
            conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }],
          },
        },
      ],
    }
    const [job] = workloadStatuses([ref('Job', 'm')], 'ns', gaveUp)
    expect(job).toMatchObject({ hasFailed: true, isDone: false })
    expect(describeWorkloadLine(job!)).toBe('Job ns/m: 0/1 succeeded, 1 failed (gave up)')
  })
})

describe('a rolling update: old pods do not count, nor make the rollout hopeless', () => {
  const owner = (name: string) => [{ kind: 'ReplicaSet', name }]
  const crashing = { name: 'c', restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff' } } }
  const snapshot: NamespaceSnapshot = {
    deployments: [
      {
        metadata: { name: 'web', generation: 2, annotations: { 'deployment.kubernetes.io/revision': '2' } },
        spec: { replicas: 2 },
        status: { observedGeneration: 2, replicas: 3, updatedReplicas: 1, readyReplicas: 2 },
      },
    ],
    replicaSets: [
      {
        metadata: {
          name: 'web-old',
          annotations: { 'deployment.kubernetes.io/revision': '1' },
          ownerReferences: [{ kind: 'Deployment', name: 'web' }],
        },
      },
      {
        metadata: {
          name: 'web-new',
          annotations: { 'deployment.kubernetes.io/revision': '2' },
          ownerReferences: [{ kind: 'Deployment', name: 'web' }],
        },
      },
    ],
    pods: [
      {
        metadata: { name: 'web-old-a', ownerReferences: owner('web-old') },
        status: { containerStatuses: [crashing] },
      },
      {
        metadata: { name: 'web-old-b', ownerReferences: owner('web-old') },
        status: { conditions: [{ type: 'Ready', status: 'True' }] },
      },
      { metadata: { name: 'web-new-a', ownerReferences: owner('web-new') }, status: { phase: 'Running' } },
    ],
    statefulSets: [],
    daemonSets: [],
    jobs: [],
  }

  test('the new revision’s pods only, and the old ones counted apart', () => {
    const [web] = workloadStatuses([ref('Deployment', 'web')], 'shop', snapshot)
    expect(web?.pods.map((pod) => pod.name)).toEqual(['web-new-a'])
    expect(web).toMatchObject({ desired: 2, ready: 0, updated: 1, old: 2, isDone: false })
    expect(describeWorkloadLine(web!)).toBe(
      'Deployment shop/web: 0/2 ready, 1/2 updated, 2 old pods still running',
    )
  })

  test('a Deployment whose controller has not seen the new spec yet is not done', () => {
    const stale = {
      ...snapshot,
      deployments: [
        {
          ...snapshot.deployments[0]!,
          status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 2 },
        },
      ],
    }
    expect(workloadStatuses([ref('Deployment', 'web')], 'shop', stale)[0]?.isDone).toBe(false)
  })
})

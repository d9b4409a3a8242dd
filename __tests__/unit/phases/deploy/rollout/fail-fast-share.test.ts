import { HopelessDetector, type LastLogLine } from '../../../../../src/phases/deploy/rollout/fail-fast.js'
import { workloadStatuses, type WorkloadRef } from '../../../../../src/phases/deploy/rollout/workloads.js'
import type { NamespaceSnapshot, Pod, Workload } from '../../../../../src/kube/kube-objects.js'
import { recordedPod } from '../../../../fixtures/kube-recorded.js'

/**
 * The fail-fast rules on recorded lab objects (a crash-looping pod with 5 restarts, a Ready pod), copied
 * into the shapes of an upgrade: a Deployment whose revision 2 rolls out while revision 1's pods still run.
 */
const REVISION = 'deployment.kubernetes.io/revision'
const ref: WorkloadRef = { kind: 'Deployment', name: 'web', isHook: false }
const S = 1000

function deployment(replicas: number, revision: number, annotations: Record<string, string> = {}): Workload {
  return {
    metadata: {
      name: 'web',
      generation: revision,
      annotations: { [REVISION]: String(revision), ...annotations },
    },
    spec: { replicas },
    status: { observedGeneration: revision, replicas, readyReplicas: 0, updatedReplicas: 0 },
  }
}

const replicaSet = (revision: number): Workload => ({
  metadata: {
    name: `web-rs${revision}`,
    annotations: { [REVISION]: String(revision) },
    ownerReferences: [{ kind: 'Deployment', name: 'web' }],
  },
})

type Fate = 'crash' | 'good'

/** A recorded pod (web-crash's or web-good's) renamed into a ReplicaSet; a crash with `restarts`. */
function pod(fate: Fate, revision: number, index: number, restarts?: number): Pod {
  const recorded = recordedPod(fate === 'crash' ? 'web-crash' : 'web-good')
  const statuses = recorded.status?.containerStatuses ?? []
  return {
    ...recorded,
    metadata: {
      ...recorded.metadata,
      name: `web-rs${revision}-${fate}${index}`,
      ownerReferences: [{ kind: 'ReplicaSet', name: `web-rs${revision}` }],
    },
    status: {
      ...recorded.status,
      containerStatuses: statuses.map((s) => ({ ...s, restartCount: restarts ?? s.restartCount ?? 0 })),
    },
  }
}

function snapshot(deploy: Workload, pods: Pod[]): NamespaceSnapshot {
  return {
    deployments: [deploy],
    statefulSets: [],
    daemonSets: [],
    jobs: [],
    replicaSets: [replicaSet(1), replicaSet(2)],
    pods,
  }
}

const many = (count: number, make: (i: number) => Pod): Pod[] =>
  Array.from({ length: count }, (_, i) => make(i))

/** Observes the snapshots at 0, 10, 20, ... s; the first verdict and every warning. */
function watch(snapshots: NamespaceSnapshot[], lastLogLine?: LastLogLine) {
  const detector = new HopelessDetector()
  const warnings: string[] = []
  for (const [i, shot] of snapshots.entries()) {
    const verdict = detector.observe(workloadStatuses([ref], 'shop', shot), i * 10 * S, lastLogLine)
    warnings.push(...detector.takeWarnings())
    if (verdict !== undefined) return { verdict, warnings }
  }
  return { verdict: undefined, warnings }
}

describe('fail-fast must NOT stop helm', () => {
  test('an old-revision pod crash-looping during an upgrade (its new pods are fine)', () => {
    const shot = snapshot(deployment(2, 2), [pod('crash', 1, 0), pod('good', 2, 0), pod('good', 2, 1)])
    const { verdict, warnings } = watch([shot, shot, shot])
    expect(verdict).toBeUndefined()
    expect(warnings).toEqual([])
  })

  test('an old-revision pod crash-looping while the new pods are still starting', () => {
    const starting = (p: Pod): Pod => ({ ...p, status: { phase: 'Pending' } })
    const shot = snapshot(deployment(2, 2), [pod('crash', 1, 0), starting(pod('good', 2, 0))])
    expect(watch([shot, shot, shot]).verdict).toBeUndefined()
  })

  test('1 crash-looping pod of 50 while the rest roll out: a warning, once', () => {
    const pods = [pod('crash', 2, 0), ...many(49, (i) => pod('good', 2, i + 1))]
    const shot = snapshot(deployment(50, 2), pods)
    const { verdict, warnings } = watch([shot, shot, shot])
    expect(verdict).toBeUndefined()
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /^fail-fast: pod web-rs2-crash0 of Deployment shop\/web: crash-loop: 5 restarts; 1 of 50 new pods fail, fewer than 13 of 50 replicas and not every new pod: helm goes on waiting\.$/,
    )
  })

  test('3 crash-looping pods of 50 among 13 new ones (a rolling update with maxSurge 25 %)', () => {
    const pods = [...many(3, (i) => pod('crash', 2, i)), ...many(10, (i) => pod('good', 2, i + 3))]
    pods.push(...many(37, (i) => pod('good', 1, i)))
    expect(watch([snapshot(deployment(50, 2), pods)]).verdict).toBeUndefined()
  })

  test('the annotation eks-deploy-action/fail-fast: "false": a warning that helm waits, never a verdict', () => {
    const shot = snapshot(deployment(1, 2, { 'eks-deploy-action/fail-fast': 'false' }), [pod('crash', 2, 0)])
    const { verdict, warnings } = watch([shot, shot])
    expect(verdict).toBeUndefined()
    expect(warnings).toEqual([
      'fail-fast is off for Deployment shop/web (annotation eks-deploy-action/fail-fast: "false"): pod web-rs2-crash0: crash-loop: 5 restarts; helm waits for its timeout.',
    ])
  })
})

describe('fail-fast stops helm, saying the rule and how to relax it', () => {
  test('every new pod so far crash-loops, even of 50 replicas (maxSurge 1: the rollout cannot go on)', () => {
    const pods = [pod('crash', 2, 0), ...many(49, (i) => pod('good', 1, i))]
    const { verdict } = watch([snapshot(deployment(50, 2), pods)])
    expect(verdict?.rule).toBe('crash-loop: 5 restarts; every new pod so far (1 of 1)')
    expect(verdict?.relax).toBe(
      'to let helm wait for its timeout instead, annotate Deployment shop/web with eks-deploy-action/fail-fast: "false" (in the chart), or set fail-fast: false for every workload',
    )
  })

  test('13 of 50 replicas crash-loop while others are Ready (the share)', () => {
    const pods = [...many(13, (i) => pod('crash', 2, i)), ...many(20, (i) => pod('good', 2, i + 13))]
    const { verdict } = watch([snapshot(deployment(50, 2), pods)])
    expect(verdict?.rule).toBe('crash-loop: 5 restarts; 13 of 50 replicas failing (at least 25 %)')
  })
})

describe('same failure twice', () => {
  const line: LastLogLine = () => 'panic: cannot connect to database'
  const runs = (deploy: Workload, extra: Pod[] = []) => [
    snapshot(deploy, [pod('crash', 2, 0, 0), ...extra]),
    snapshot(deploy, [pod('crash', 2, 0, 1), ...extra]),
  ]

  test('two runs of one container ended alike, no new pod ever Ready: a verdict at the second', () => {
    const { verdict } = watch(runs(deployment(1, 2)), line)
    expect(verdict?.rule).toBe(
      'same failure twice: Error (exit 1) with the same last log line, and no new pod was ever Ready; every new pod so far (1 of 1)',
    )
    expect(verdict?.reason).toBe('CrashLoopBackOff')
  })

  test('never on the first run alone, nor with a different last log line, nor without the log', () => {
    expect(watch(runs(deployment(1, 2)).slice(0, 1), line).verdict).toBeUndefined()
    const differs: LastLogLine = (_pod, _container, restarts) => `attempt ${restarts}`
    expect(watch(runs(deployment(1, 2)), differs).verdict).toBeUndefined()
    expect(watch(runs(deployment(1, 2))).verdict).toBeUndefined()
  })

  test("not once a pod of the new revision was Ready (the crash may be that pod's alone)", () => {
    const { verdict } = watch(runs(deployment(2, 2), [pod('good', 2, 1)]), line)
    expect(verdict).toBeUndefined()
  })
})

test("the opt-out stays while helm's rollback re-applies a manifest without the annotation (its crashing pods are still there)", () => {
  const annotated = snapshot(deployment(1, 2, { 'eks-deploy-action/fail-fast': 'false' }), [
    pod('crash', 2, 0),
  ])
  const rolledBack = snapshot(deployment(1, 2), [pod('crash', 2, 0)])
  const { verdict, warnings } = watch([annotated, rolledBack, rolledBack])
  expect(verdict).toBeUndefined()
  expect(warnings).toHaveLength(1)
})

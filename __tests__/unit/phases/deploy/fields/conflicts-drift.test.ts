import { parse } from 'yaml'
import { conflictsOf } from '../../../../../src/kube/field-shape.js'
import { conflictRows } from '../../../../../src/phases/deploy/fields/conflicts.js'
import { decideConflicts } from '../../../../../src/phases/deploy/fields/decide.js'
import { driftOf } from '../../../../../src/phases/deploy/fields/drift.js'
import type { FieldConflict } from '../../../../../src/phases/deploy/fields/types.js'
import { ActionError } from '../../../../../src/lib/errors.js'
import { APPLIED_DEPLOYMENT, RECORDED_409, recordedLive } from './recorded.js'

const FOX = { kind: 'Deployment', name: 'fox', namespace: 'fo-x' }
const HPA = { name: 'fox-hpa', targetKind: 'Deployment', targetName: 'fox' }

describe('conflictsOf', () => {
  test("reads the causes of the API server's 409", () => {
    expect(conflictsOf({ code: 409, body: RECORDED_409 })).toEqual([
      { field: '.spec.replicas', manager: 'kube-controller-manager' },
      { field: '.spec.template.spec.containers[name="app"].image', manager: 'kubectl-set' },
    ])
  })

  test.each([
    ['another status', { code: 422, body: RECORDED_409 }],
    ['a body that is not JSON', { code: 409, body: '<html>' }],
    ['a 409 without causes', { code: 409, body: '{"reason":"AlreadyExists"}' }],
  ])('is undefined for %s', (_name, error) => {
    expect(conflictsOf(error)).toBeUndefined()
  })
})

describe('conflictRows', () => {
  const conflicts = conflictsOf({ code: 409, body: RECORDED_409 }) ?? []

  test('adds how and since when each manager wrote; replicas of the HPA manager are an autoscaler’s', () => {
    expect(
      conflictRows(FOX, { conflicts, live: recordedLive(), autoscalers: [], replicas: 2 }, 'helm'),
    ).toEqual([
      {
        ...FOX,
        field: '.spec.replicas',
        manager: 'kube-controller-manager',
        operation: 'Update',
        since: '2026-12-06T10:51:48Z',
        autoscaler: 'kube-controller-manager',
      },
      {
        ...FOX,
        field: '.spec.template.spec.containers[name="app"].image',
        manager: 'kubectl-set',
        operation: 'Update',
        since: '2026-12-06T10:51:47Z',
        autoscaler: undefined,
      },
    ])
  })

  test('an HPA that targets the object is named', () => {
    const rows = conflictRows(
      FOX,
      { conflicts, live: recordedLive(), autoscalers: [HPA], replicas: 2 },
      'helm',
    )
    expect(rows[0]?.autoscaler).toBe('HorizontalPodAutoscaler fox-hpa')
  })

  test("helm's own earlier writes are no conflict", () => {
    const own = [{ field: '.spec.paused', manager: 'helm' }]
    expect(
      conflictRows(FOX, { conflicts: own, live: recordedLive(), autoscalers: [], replicas: 2 }, 'helm'),
    ).toEqual([])
  })

  test('an HPA whose writes the server did not record: the chart’s other replicas still count', () => {
    expect(
      conflictRows(FOX, { conflicts: [], live: recordedLive(), autoscalers: [HPA], replicas: 2 }, 'helm'),
    ).toEqual([
      {
        ...FOX,
        field: '.spec.replicas',
        manager: '',
        operation: '',
        since: '',
        autoscaler: 'HorizontalPodAutoscaler fox-hpa',
      },
    ])
    // The same count as live, or no replicas in the chart: helm changes nothing.
    expect(
      conflictRows(FOX, { conflicts: [], live: recordedLive(), autoscalers: [HPA], replicas: 4 }, 'helm'),
    ).toEqual([])
    expect(
      conflictRows(
        FOX,
        { conflicts: [], live: recordedLive(), autoscalers: [HPA], replicas: undefined },
        'helm',
      ),
    ).toEqual([])
  })
})

describe('driftOf', () => {
  test('changed and added since the last revision, with who did it; values only for replicas and images', () => {
    const applied = parse(APPLIED_DEPLOYMENT) as Record<string, unknown>
    expect(driftOf(FOX, applied, recordedLive())).toEqual([
      {
        ...FOX,
        field: '.spec.replicas',
        change: 'changed',
        manager: 'kube-controller-manager',
        operation: 'Update',
        since: '2026-12-06T10:51:48Z',
        applied: '2',
        live: '4',
      },
      {
        ...FOX,
        field: '.spec.template.spec.containers[name="app"].image',
        change: 'changed',
        manager: 'kubectl-set',
        operation: 'Update',
        since: '2026-12-06T10:51:47Z',
        applied: '123456789012.dkr.ecr.us-east-1.amazonaws.com/demo:latest',
        live: 'nginx:edited',
      },
      {
        ...FOX,
        field: '.spec.template.spec.containers[name="app"].env',
        change: 'added',
        manager: 'kubectl-set',
        operation: 'Update',
        since: '2026-12-06T10:51:47Z',
      },
    ])
  })

  test('kubectl scale records no manager: the value still shows the drift', () => {
    const live = recordedLive()
    const helmOnly = { ...live, managedFields: live.managedFields.filter((e) => e.manager === 'helm') }
    const applied = parse(APPLIED_DEPLOYMENT) as Record<string, unknown>
    const [replicas] = driftOf(FOX, applied, helmOnly)
    expect(replicas).toMatchObject({ field: '.spec.replicas', manager: '', applied: '2', live: '4' })
  })

  test('other values are never shown', () => {
    const applied = { kind: 'ConfigMap', data: { DATABASE_URL: 'postgres://a' } }
    const live = { object: { kind: 'ConfigMap', data: { DATABASE_URL: 'postgres://b' } }, managedFields: [] }
    const rows = driftOf({ ...FOX, kind: 'ConfigMap' }, applied, live)
    expect(rows).toEqual([
      {
        ...FOX,
        kind: 'ConfigMap',
        field: '.data.DATABASE_URL',
        change: 'changed',
        manager: '',
        operation: '',
        since: '',
      },
    ])
    expect(JSON.stringify(rows)).not.toContain('postgres')
  })

  test('the same values and server defaults are no drift', () => {
    const live = recordedLive()
    const spec = live.object.spec as Record<string, unknown>
    const applied = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'fox' },
      spec: { replicas: 4, selector: spec.selector },
    }
    expect(driftOf(FOX, applied, { ...live, managedFields: [] })).toEqual([])
  })
})

describe('decideConflicts', () => {
  const image: FieldConflict = {
    ...FOX,
    field: '.spec.template.spec.containers[name="app"].image',
    manager: 'kubectl-set',
    operation: 'Update',
    since: '2026-12-06T10:51:47Z',
    autoscaler: undefined,
  }
  const replicas: FieldConflict = {
    ...FOX,
    field: '.spec.replicas',
    manager: 'kube-controller-manager',
    operation: 'Update',
    since: '',
    autoscaler: 'HorizontalPodAutoscaler fox-hpa',
  }

  test.each([
    ['auto', 4, [image], 'take-over'],
    ['auto', 4, [image, replicas], 'take-over'],
    ['take-over', 4, [image, replicas], 'take-over'],
    ['fail', 4, [image], 'refuse'],
    ['fail', 3, [image], 'report'],
    ['auto', 3, [image, replicas], 'report'],
    ['fail', 4, [], 'none'],
  ] as const)('%s with Helm %i: %j → %s', (mode, major, conflicts, kind) => {
    expect(decideConflicts(conflicts, mode, major).kind).toBe(kind)
  })

  test('fail names each conflict and what resolves it', () => {
    const decision = decideConflicts([image], 'fail', 4)
    const error = decision.kind === 'refuse' ? decision.error : undefined
    expect(error).toBeInstanceOf(ActionError)
    expect(error?.message).toContain('nothing was deployed')
    expect(error?.message).toContain(
      'Deployment fox: .spec.template.spec.containers[name="app"].image is owned by "kubectl-set" (Update since 2026-12-06T10:51:47Z)',
    )
    expect(error?.message).toContain(
      `kubectl get deployment fox -n fo-x -o jsonpath='{.spec.template.spec.containers[?(@.name=="app")].image}'`,
    )
    expect(error?.message).toContain('field-conflicts: take-over')
  })

  test('auto takes over the rest and drops the chart’s replicas where an autoscaler sets them', () => {
    expect(decideConflicts([image, replicas], 'auto', 4)).toEqual({
      kind: 'take-over',
      taken: [image],
      dropped: [replicas],
    })
  })
})

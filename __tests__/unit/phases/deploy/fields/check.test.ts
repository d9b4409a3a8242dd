import type { ApplyConflict, FieldApi, LiveFields } from '../../../../../src/kube/field-api.js'
import { checkFieldOwnership, type FieldCheckParams } from '../../../../../src/phases/deploy/fields/check.js'
import type { RenderedObject } from '../../../../../src/phases/deploy/rollout/rendered.js'
import { conflictsOf } from '../../../../../src/kube/field-shape.js'
import { APPLIED_DEPLOYMENT, RECORDED_409, recordedLive } from './recorded.js'

const configMap = (name: string): RenderedObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  name,
  namespace: undefined,
  isHook: false,
  body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } },
})

/** Answers from a script, counting the requests in flight. */
class RecordedFields implements FieldApi {
  live = new Map<string, LiveFields>()
  conflicts = new Map<string, readonly ApplyConflict[]>()
  applied: Record<string, unknown>[] = []
  lists: string[] = []
  inFlight = 0
  maxInFlight = 0

  private async request<T>(answer: () => T): Promise<T> {
    this.inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    // Every request of a round is out before any answers.
    await new Promise((resolve) => setImmediate(resolve))
    this.inFlight--
    return answer()
  }

  listLive(_apiVersion: string, kind: string): Promise<ReadonlyMap<string, LiveFields>> {
    this.lists.push(kind)
    return this.request(
      () =>
        new Map(
          [...this.live]
            .filter(([key]) => key.startsWith(`${kind}/`))
            .map(([key, o]) => [key.split('/')[1] ?? '', o]),
        ),
    )
  }

  applyDryRun(body: Readonly<Record<string, unknown>>, manager: string): Promise<readonly ApplyConflict[]> {
    this.applied.push({ ...body, manager })
    const name = (body.metadata as { name: string }).name
    return this.request(() => {
      if (name === 'broken') throw new Error('Could not dry-run apply ConfigMap: HTTP 500')
      return this.conflicts.get(`${String(body.kind)}/${name}`) ?? []
    })
  }

  listAutoscalers(): Promise<readonly never[]> {
    return Promise.resolve([])
  }
}

const params = (overrides: Partial<FieldCheckParams>): FieldCheckParams => ({
  release: 'fox',
  namespace: 'fo-x',
  mode: 'auto',
  helmMajor: 4,
  objects: [],
  lastManifest: undefined,
  ...overrides,
})
const namespaced = () => Promise.resolve(true)

const byHand = (o: RenderedObject): LiveFields => ({
  object: o.body ?? {},
  managedFields: [
    {
      manager: 'kubectl-edit',
      operation: 'Update',
      apiVersion: 'v1',
      time: undefined,
      fieldsV1: { 'f:data': { 'f:a': {} } },
    },
  ],
})

test('thirty objects nobody else touched: one list, no dry-run apply', async () => {
  const fields = new RecordedFields()
  const objects = Array.from({ length: 30 }, (_, i) => configMap(`config-${i}`))
  const helmOnly = {
    manager: 'helm',
    operation: 'Apply',
    apiVersion: 'v1',
    time: undefined,
    fieldsV1: { 'f:data': {} },
  }
  for (const o of objects)
    fields.live.set(`ConfigMap/${o.name}`, { object: o.body ?? {}, managedFields: [helmOnly] })
  const report = await checkFieldOwnership(params({ objects }), { fields, isNamespaced: namespaced })
  expect(report).toMatchObject({
    checked: 30,
    conflicts: [],
    drift: [],
    decision: { kind: 'none' },
    problems: [],
  })
  expect(fields.lists).toEqual(['ConfigMap'])
  expect(fields.applied).toEqual([])
})

test('thirty objects another manager edited: one dry-run apply each as helm, 8 at a time', async () => {
  const fields = new RecordedFields()
  const objects = Array.from({ length: 30 }, (_, i) => configMap(`config-${i}`))
  for (const o of objects) fields.live.set(`ConfigMap/${o.name}`, byHand(o))
  const report = await checkFieldOwnership(params({ objects }), { fields, isNamespaced: namespaced })
  expect(report).toMatchObject({
    checked: 30,
    conflicts: [],
    drift: [],
    decision: { kind: 'none' },
    problems: [],
  })
  expect(fields.applied).toHaveLength(30)
  expect(fields.applied[0]).toMatchObject({
    manager: 'helm',
    metadata: {
      namespace: 'fo-x',
      labels: { 'app.kubernetes.io/managed-by': 'Helm' },
      annotations: { 'meta.helm.sh/release-name': 'fox', 'meta.helm.sh/release-namespace': 'fo-x' },
    },
  })
  expect(fields.maxInFlight).toBe(8)
})

test('the recorded Deployment: conflicts to take over, drift against the last revision; Secrets, hooks, other namespaces and cluster-scoped kinds left alone', async () => {
  const fields = new RecordedFields()
  fields.live.set('Deployment/fox', recordedLive())
  fields.conflicts.set('Deployment/fox', [
    { field: '.spec.template.spec.containers[name="app"].image', manager: 'kubectl-set' },
  ])
  const deployment: RenderedObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: 'fox',
    namespace: undefined,
    isHook: false,
    body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'fox' }, spec: { replicas: 4 } },
  }
  const objects: RenderedObject[] = [
    deployment,
    { apiVersion: 'v1', kind: 'Secret', name: 'creds', namespace: undefined, isHook: false },
    { ...configMap('hook'), isHook: true },
    { ...configMap('elsewhere'), namespace: 'other' },
    { ...configMap('cluster-wide'), kind: 'ClusterRole' },
  ]
  const lastManifest = `${APPLIED_DEPLOYMENT}---\napiVersion: v1\nkind: Secret\nmetadata: {name: creds}\nstringData: {password: hunter2}\n`
  const report = await checkFieldOwnership(params({ objects, lastManifest }), {
    fields,
    isNamespaced: (_apiVersion, kind) => Promise.resolve(kind !== 'ClusterRole'),
  })
  expect(report.checked).toBe(1)
  expect(fields.applied.map((body) => body.kind)).toEqual(['Deployment'])
  expect(report.conflicts.map((c) => [c.field, c.manager, c.operation])).toEqual([
    ['.spec.template.spec.containers[name="app"].image', 'kubectl-set', 'Update'],
  ])
  expect(report.decision).toEqual({ kind: 'take-over', taken: report.conflicts })
  expect(report.drift.map((d) => [d.field, d.change])).toEqual([
    ['.spec.replicas', 'changed'],
    ['.spec.template.spec.containers[name="app"].image', 'changed'],
    ['.spec.template.spec.containers[name="app"].env', 'added'],
  ])
  expect(JSON.stringify(report)).not.toContain('hunter2')
})

test('an object that cannot be checked is named; the others are still checked', async () => {
  const fields = new RecordedFields()
  fields.live.set('ConfigMap/ok', byHand(configMap('ok')))
  fields.live.set('ConfigMap/broken', byHand(configMap('broken')))
  fields.conflicts.set('ConfigMap/ok', conflictsOf({ code: 409, body: RECORDED_409 }) ?? [])
  const report = await checkFieldOwnership(
    params({ objects: [configMap('broken'), configMap('ok')], mode: 'fail' }),
    {
      fields,
      isNamespaced: namespaced,
    },
  )
  expect(report.problems).toEqual(['ConfigMap broken: Could not dry-run apply ConfigMap: HTTP 500'])
  expect(report.conflicts).toHaveLength(2)
  expect(report.decision.kind).toBe('refuse')
})

import {
  compareKeys,
  compareManifests,
  unifiedDiff,
} from '../../../../../src/phases/deploy/changes/compare.js'
import { parseManifest } from '../../../../../src/phases/deploy/changes/objects.js'

const SECRET_VALUES = ['first-secret-value-01', 'rotated-api-key-0002']
const b64 = (text: string): string => Buffer.from(text).toString('base64')

const deployment = (tag: string) =>
  [
    '---',
    '# Source: api/templates/deployment.yaml',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: api',
    '  labels: {app: api}',
    'spec:',
    '  replicas: 2',
    '  template:',
    '    spec:',
    '      containers:',
    '      - name: app',
    `        image: "repo/api:${tag}"`,
    '',
  ].join('\n')
const secret = (field: 'data' | 'stringData', values: Record<string, string>) =>
  [
    '---',
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: api-keys',
    `${field}:`,
    ...Object.entries(values).map(([key, value]) => `  ${key}: ${JSON.stringify(value)}`),
    '',
  ].join('\n')
const service = '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  ports: [{port: 80}]\n'
const fingerprint = (value: Buffer): string => `fp(${value.length})`

describe('parseManifest', () => {
  test('identity: group, kind, the namespace (the release namespace unless given; none for cluster-scoped kinds)', () => {
    const manifest = `${deployment('v1')}---\nkind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata:\n  name: reader\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n  namespace: elsewhere\n`
    expect(
      parseManifest(manifest, 'shop', fingerprint).map(({ group, kind, namespace, name }) => [
        group,
        kind,
        namespace,
        name,
      ]),
    ).toEqual([
      ['apps', 'Deployment', 'shop', 'api'],
      ['rbac.authorization.k8s.io', 'ClusterRole', '', 'reader'],
      ['', 'ConfigMap', 'elsewhere', 'other'],
    ])
  })

  test('server-set fields and status are left out of what is compared', () => {
    const live = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: c',
      '  namespace: shop',
      '  uid: 7d3c',
      '  resourceVersion: "1234"',
      '  generation: 3',
      '  creationTimestamp: "2026-01-01T00:00:00Z"',
      '  managedFields: [{manager: helm}]',
      '  annotations: {deployment.kubernetes.io/revision: "4"}',
      'status: {phase: Active}',
      'data: {a: "1"}',
    ].join('\n')
    const [object] = parseManifest(live, 'shop', fingerprint)
    expect(object?.yaml).toBe('apiVersion: v1\ndata:\n  a: "1"\nkind: ConfigMap\nmetadata:\n  name: c\n')
  })

  test("a Secret's data and stringData become fingerprints by key: no value is kept", () => {
    const manifest =
      secret('data', { apiKey: b64(SECRET_VALUES[0] ?? '') }) +
      secret('stringData', { token: 'x' }).replace('api-keys', 'other')
    const objects = parseManifest(manifest, 'shop', (value) => `fp:${value.toString('hex').length}`)
    expect(objects.map((object) => [...(object.secretData ?? new Map<string, string>())])).toEqual([
      [['apiKey', 'fp:42']],
      [['token', 'fp:2']],
    ])
    expect(JSON.stringify(objects)).not.toContain(b64(SECRET_VALUES[0] ?? ''))
    expect(objects[0]?.yaml).toBe('apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-keys\n')
  })

  test('a YAML error says where, never what the line holds', () => {
    const broken = `apiVersion: v1\nkind: Secret\nstringData:\n  apiKey: "${SECRET_VALUES[0] ?? ''}\n   bad: [`
    expect(() => parseManifest(broken, 'shop', fingerprint)).toThrow(
      /^helm's manifest is not valid YAML \(\w+ at line \d+\)$/,
    )
  })
})

describe('compareManifests', () => {
  test('a changed object comes with its unified diff; an unchanged one is only counted', () => {
    const { objects, unchanged } = compareManifests(
      deployment('v1') + service,
      deployment('v2') + service,
      'shop',
    )
    expect(unchanged).toBe(1)
    expect(objects).toEqual([
      {
        kind: 'Deployment',
        name: 'api',
        namespace: 'shop',
        change: 'changed',
        secretKeys: undefined,
        // Sorted keys, the template's own order and quoting normalized: only the image line differs.
        diff: [
          '@@ -9,5 +9,5 @@',
          '   template:',
          '     spec:',
          '       containers:',
          '-        - image: repo/api:v1',
          '+        - image: repo/api:v2',
          '           name: app',
        ],
      },
    ])
  })

  test('added and removed objects, sorted by kind and name', () => {
    const { objects } = compareManifests(service, deployment('v1'), 'shop')
    expect(objects.map(({ kind, change }) => [kind, change])).toEqual([
      ['Deployment', 'added'],
      ['Service', 'removed'],
    ])
    expect(objects[0]?.diff.slice(1).every((line) => line.startsWith('+'))).toBe(true)
    expect(objects[1]?.diff.slice(1).every((line) => line.startsWith('-'))).toBe(true)
  })

  test('a first install (nothing deployed) is all added', () => {
    const { objects, unchanged } = compareManifests('', deployment('v1') + service, 'shop')
    expect(objects.map((object) => object.change)).toEqual(['added', 'added'])
    expect(unchanged).toBe(0)
  })

  test('a new apiVersion of the same group is the same object, changed', () => {
    const older = deployment('v1').replace('apps/v1', 'apps/v1beta2')
    const { objects } = compareManifests(older, deployment('v1'), 'shop')
    expect(objects.map((object) => [object.kind, object.change])).toEqual([['Deployment', 'changed']])
    expect(objects[0]?.diff).toContain('-apiVersion: apps/v1beta2')
  })

  test('a rotated Secret value: the key is named, no value (plain or base64) anywhere', () => {
    const before = secret('stringData', { apiKey: SECRET_VALUES[0] ?? '', user: 'app' })
    const after = secret('data', { apiKey: b64(SECRET_VALUES[1] ?? ''), user: b64('app'), extra: b64('x') })
    const { objects } = compareManifests(before, after, 'shop')
    expect(objects).toEqual([
      {
        kind: 'Secret',
        name: 'api-keys',
        namespace: 'shop',
        change: 'changed',
        diff: [],
        secretKeys: { added: ['extra'], changed: ['apiKey'], removed: [] },
      },
    ])
    const text = JSON.stringify(objects)
    for (const value of SECRET_VALUES) {
      expect(text).not.toContain(value)
      expect(text).not.toContain(b64(value))
    }
  })

  test('the same Secret value as data or as stringData is no change', () => {
    const { objects, unchanged } = compareManifests(
      secret('stringData', { apiKey: 'same-value' }),
      secret('data', { apiKey: b64('same-value') }),
      'shop',
    )
    expect(objects).toEqual([])
    expect(unchanged).toBe(1)
  })

  test('a new Secret lists its keys as added, and a removed one as removed', () => {
    const added = compareManifests('', secret('data', { a: b64('1') }), 'shop').objects[0]
    expect(added?.secretKeys).toEqual({ added: ['a'], changed: [], removed: [] })
    expect(added?.diff.join('\n')).not.toContain(b64('1'))
    const removed = compareManifests(secret('data', { a: b64('1') }), '', 'shop').objects[0]
    expect(removed?.secretKeys).toEqual({ added: [], changed: [], removed: ['a'] })
  })
})

describe('compareKeys and unifiedDiff', () => {
  test('keys added, changed, removed, each sorted', () => {
    const before = new Map([
      ['b', '1'],
      ['a', '1'],
      ['gone', '1'],
    ])
    const after = new Map([
      ['b', '2'],
      ['a', '1'],
      ['new', '1'],
    ])
    expect(compareKeys(before, after)).toEqual({ added: ['new'], changed: ['b'], removed: ['gone'] })
  })

  test('equal texts have no diff; a change keeps 3 lines of context', () => {
    expect(unifiedDiff('a: 1\n', 'a: 1\n')).toEqual([])
    const lines = (n: number, changed: number) =>
      Array.from({ length: n }, (_, i) => `k${i}: ${i === changed ? 'x' : i}`).join('\n') + '\n'
    expect(unifiedDiff(lines(10, -1), lines(10, 5))).toEqual([
      '@@ -3,7 +3,7 @@',
      ' k2: 2',
      ' k3: 3',
      ' k4: 4',
      '-k5: 5',
      '+k5: x',
      ' k6: 6',
      ' k7: 7',
      ' k8: 8',
    ])
  })
})

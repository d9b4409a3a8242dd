import {
  diffLines,
  diffManifests,
  diffValues,
  flattenValues,
  parseDryRun,
  splitManifest,
} from '../../../../src/phases/deploy/helm/dry-run.js'

const manifest = (tag: string, extra = ''): string =>
  [
    '---',
    '# Source: demo/templates/configmap.yaml',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: demo-config',
    '  labels: {app: "demo"}',
    'data:',
    `  image: "repo:${tag}"`,
    '---',
    '# Source: demo/templates/secret.yaml',
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: demo-secret',
    'data:',
    '  password: c2VjcmV0',
    extra,
  ].join('\n')

describe('flattenValues and diffValues', () => {
  test('flattens to dotted paths with JSON leaves', () => {
    expect([...flattenValues({ image: { tag: '1234567', pull: null }, replicas: 2, list: [1] })]).toEqual([
      ['image.tag', '"1234567"'],
      ['image.pull', 'null'],
      ['replicas', '2'],
      ['list', '[1]'],
    ])
  })

  test('added, removed and changed values, sorted', () => {
    expect(
      diffValues({ image: { tag: 'a' }, old: true, same: 1 }, { image: { tag: 'b' }, same: 1, added: 'x' }),
    ).toEqual(['+ added: "x"', '~ image.tag: "a" -> "b"', '- old: true'])
  })

  test('a number and the same digits as a string differ', () => {
    expect(diffValues({ tag: 1234567 }, { tag: '1234567' })).toEqual(['~ tag: 1234567 -> "1234567"'])
  })

  test('helm get values prints null for a release without values', () => {
    expect(diffValues(null, {})).toEqual([])
  })
})

describe('splitManifest', () => {
  test('keys documents by kind/name and leaves Secrets out', () => {
    const documents = splitManifest(manifest('v1'))
    expect([...documents.keys()]).toEqual(['ConfigMap/demo-config'])
    expect(documents.get('ConfigMap/demo-config')).not.toContain('c2VjcmV0')
  })
})

describe('diffLines', () => {
  test.each<[string[], string[], string[]]>([
    [
      ['a', 'b', 'c'],
      ['a', 'x', 'c'],
      ['- b', '+ x'],
    ],
    [['a'], ['a', 'b'], ['+ b']],
    [['a', 'b'], ['b'], ['- a']],
    [[], [], []],
  ])('%j -> %j', (before, after, expected) => {
    expect(diffLines(before, after)).toEqual(expected)
  })
})

describe('diffManifests', () => {
  test('shows the changed lines of a changed resource, never a Secret', () => {
    const lines = diffManifests(manifest('v1'), manifest('v2'))
    expect(lines).toEqual(['~ ConfigMap/demo-config', '    -   image: "repo:v1"', '    +   image: "repo:v2"'])
  })

  test('new and removed resources', () => {
    const service = '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: "demo"\nspec: {}\n'
    expect(diffManifests(manifest('v1'), manifest('v1') + service)).toEqual(['+ Service/demo (new)'])
    expect(diffManifests(manifest('v1') + service, manifest('v1'))).toEqual(['- Service/demo (removed)'])
  })

  test('everything is new on a first install', () => {
    expect(diffManifests('', manifest('v1'))).toEqual(['+ ConfigMap/demo-config (new)'])
  })
})

describe('parseDryRun', () => {
  test('reads the would-be revision, chart metadata, values and manifest', () => {
    const json = JSON.stringify({
      name: 'demo',
      info: { status: 'pending-upgrade', description: 'Dry run complete' },
      chart: { metadata: { name: 'demo', version: '0.1.0', appVersion: '1.0' } },
      config: { image: { tag: 'dry1' } },
      manifest: manifest('dry1'),
      version: 8,
      namespace: 'shop',
    })
    expect(parseDryRun(json)).toEqual({
      state: {
        revision: 8,
        status: 'pending-upgrade',
        description: 'Dry run complete',
        chartName: 'demo',
        chartVersion: '0.1.0',
        appVersion: '1.0',
      },
      values: { image: { tag: 'dry1' } },
      manifest: manifest('dry1'),
    })
  })
})

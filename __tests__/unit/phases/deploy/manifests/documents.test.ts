import { parseManifestFile } from '../../../../../src/phases/deploy/manifests/documents.js'

describe('parseManifestFile: one file, its objects exactly as written', () => {
  test('multi-document: comments, empty documents and markers are dropped; each text is the document as written', () => {
    const source = [
      '# leading comment',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: a',
      'data:',
      '  mode: 0644   # YAML 1.1 octal for helm: kept as written',
      '---',
      '# a document of comments only',
      '---',
      '---',
      '--- {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "namespace": "shop"}}',
      '...',
      '---',
      '  apiVersion: v1',
      '  kind: Secret',
      '  metadata: {name: b}',
      '',
    ].join('\n')
    const { objects, problems } = parseManifestFile('k8s/app.yaml', source)
    expect(problems).toEqual([])
    expect(objects.map(({ kind, name, namespace, source: where }) => [kind, name, namespace, where])).toEqual(
      [
        ['ConfigMap', 'a', undefined, 'k8s/app.yaml, document 1'],
        ['Service', 's', 'shop', 'k8s/app.yaml, document 5'],
        ['Secret', 'b', undefined, 'k8s/app.yaml, document 6'],
      ],
    )
    expect(objects[0]?.text).toBe(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  mode: 0644   # YAML 1.1 octal for helm: kept as written\n',
    )
    // A flow mapping on the --- line keeps its column; an indented block mapping keeps its indentation.
    expect(objects[1]?.text).toBe(
      '    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "namespace": "shop"}}\n',
    )
    expect(objects[2]?.text).toBe('  apiVersion: v1\n  kind: Secret\n  metadata: {name: b}\n')
  })

  test('a byte order mark and CRLF line ends are read like kubectl reads them', () => {
    const { objects } = parseManifestFile(
      'a.yaml',
      '\uFEFFapiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: a\r\n',
    )
    expect(objects.map((object) => object.name)).toEqual(['a'])
    expect(objects[0]?.text.startsWith('apiVersion')).toBe(true)
  })

  test.each([
    ['- a\n- b\n', 'is not a Kubernetes object: a mapping with apiVersion, kind and metadata.name.'],
    ['kind: ConfigMap\nmetadata: {name: a}\n', 'is not a Kubernetes object'],
    [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: a-}\n',
      'ConfigMap has no metadata.name (a string)',
    ],
    [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 1234}\n',
      'ConfigMap has no metadata.name (a string)',
    ],
    ['apiVersion: v1\nkind: List\nitems: []\n', 'is a List: write its items as separate documents'],
    ['apiVersion: v1\nkind: ConfigMapList\nitems: []\n', 'is a ConfigMapList'],
    [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: [x]}\n',
      'ConfigMap/a: metadata.namespace must be a string.',
    ],
    ['apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: a}\n', 'Map keys must be unique'],
  ])('%j is refused, naming the file and document', (source, problem) => {
    const { objects, problems } = parseManifestFile(
      'k8s/x.yaml',
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\n${source}`,
    )
    expect(objects.map((object) => object.name)).toEqual(['ok'])
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(`k8s/x.yaml, document 2: ${problem}`)
  })
})

import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadManifests, manifestChartVersion } from '../../../../../src/phases/deploy/manifests/load.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'
const configMap = (name: string, namespace?: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${namespace === undefined ? '' : `  namespace: ${namespace}\n`}`

let workspace: string
beforeEach(async () => {
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'manifests-load-'))
  const files: Record<string, string> = {
    'k8s/b.yaml': configMap('b'),
    'k8s/a.yml': `${configMap('a1')}---\n${configMap('a2', 'shop')}`,
    'k8s/notes.md': '# not YAML',
    'k8s/.hidden.yaml': configMap('hidden'),
    'k8s/sub/c.yaml': configMap('c'),
    'k8s/sub/deeper/d.yaml': configMap('d'),
    'extra/e.yaml': configMap('e'),
    'other/x.yaml': configMap('x', 'kube-system'),
    'dup/one.yaml': configMap('b'),
    'empty/blank.yaml': '# nothing here\n---\n',
  }
  for (const [name, text] of Object.entries(files)) {
    await fs.mkdir(path.join(workspace, path.dirname(name)), { recursive: true })
    await fs.writeFile(path.join(workspace, name), text)
  }
})
afterEach(() => fs.rm(workspace, { recursive: true, force: true }))

const load = (entries: string[], namespace = 'shop') =>
  loadManifests({ entries, workspace, namespace, sha: SHA })
const names = async (entries: string[]) =>
  (await load(entries)).files.map((file) => [file.name, file.objects.map((object) => object.name)])
const problem = async (entries: string[], namespace = 'shop'): Promise<string> => {
  try {
    await load(entries, namespace)
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
  throw new Error('loadManifests accepted the manifests')
}

describe('loadManifests: which files, in which order', () => {
  test('a directory: its *.yaml and *.yml files, sorted, not hidden ones, not its subdirectories', async () => {
    expect(await names(['k8s'])).toEqual([
      ['k8s/a.yml', ['a1', 'a2']],
      ['k8s/b.yaml', ['b']],
    ])
    expect(await names(['k8s/'])).toEqual(await names(['k8s']))
  })

  test('a directory ending in /**: its subdirectories too', async () => {
    expect((await names(['k8s/**'])).map(([name]) => name)).toEqual([
      'k8s/a.yml',
      'k8s/b.yaml',
      'k8s/sub/c.yaml',
      'k8s/sub/deeper/d.yaml',
    ])
  })

  test('files and globs, in the order of the entries, each file once; absolute paths work', async () => {
    expect(
      (
        await names(['extra/e.yaml', 'k8s/*.yaml', 'k8s/{a,b}.y*ml', path.join(workspace, 'k8s/sub/c.yaml')])
      ).map(([name]) => name),
    ).toEqual(['extra/e.yaml', 'k8s/b.yaml', 'k8s/a.yml', 'k8s/sub/c.yaml'])
  })

  test('the chart version comes from the commit', async () => {
    expect((await load(['k8s'])).chartVersion).toBe('0.0.0-g0123456')
  })
})

describe('loadManifests: refused before any AWS call, every problem at once', () => {
  test('entries that match nothing, each with what was looked for', async () => {
    await fs.mkdir(path.join(workspace, 'docs'))
    const message = await problem(['nope/', 'k8s/*.json', 'nothing/**', 'docs/**'])
    expect(message).toContain("Input 'manifests': 4 problems:")
    expect(message).toContain(`'nope/' matches no file: ${path.join(workspace, 'nope')} does not exist.`)
    expect(message).toContain(`'k8s/*.json' matches no file under ${workspace}.`)
    expect(message).toContain(`'nothing/**' matches no file under ${workspace}.`)
    expect(message).toContain(
      `'docs/**' matches no file: ${path.join(workspace, 'docs')} holds no *.yaml or *.yml file, in no subdirectory either.`,
    )
  })

  test('a negated glob is refused: entries only add files', async () => {
    expect(await problem(['k8s', '!k8s/b.yaml'])).toContain(
      "'!k8s/b.yaml' is a negated glob: entries only add files.",
    )
  })

  test('a directory with no YAML says that subdirectories need /**', async () => {
    await fs.mkdir(path.join(workspace, 'nested/inner'), { recursive: true })
    await fs.writeFile(path.join(workspace, 'nested/inner/x.yaml'), configMap('x'))
    expect(await problem(['nested'])).toContain(
      'holds no *.yaml or *.yml file (subdirectories are read only when the path ends in /**)',
    )
  })

  test('files without any object', async () => {
    expect(await problem(['empty'])).toContain('the files hold no Kubernetes object')
  })

  test('an object naming another namespace (helm would split the release)', async () => {
    expect(await problem(['other', 'k8s'])).toContain(
      "other/x.yaml, document 1: ConfigMap/kube-system/x names namespace 'kube-system', but the release is in 'shop' (input 'namespace')",
    )
    // The same manifests into the namespace they name are fine.
    expect(await problem(['k8s'], 'web')).toContain(
      "ConfigMap/shop/a2 names namespace 'shop', but the release is in 'web'",
    )
  })

  test('an object twice, and a document that is no object', async () => {
    await fs.writeFile(path.join(workspace, 'k8s/bad.yaml'), '- a list\n')
    const message = await problem(['k8s', 'dup'])
    expect(message).toContain(
      'dup/one.yaml, document 1: ConfigMap/b is also in k8s/b.yaml, document 1: keep one of them.',
    )
    expect(message).toContain('k8s/bad.yaml, document 1: is not a Kubernetes object')
  })
})

describe('manifestChartVersion', () => {
  test.each([
    [SHA, '0.0.0-g0123456'],
    ['ABCDEF0123456789', '0.0.0-gabcdef0'],
    ['', '0.0.0-local'],
  ])('%j: %s', (sha, version) => {
    expect(manifestChartVersion(sha)).toBe(version)
  })
})

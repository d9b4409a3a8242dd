import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadManifests, MAX_FILE_BYTES } from '../../../../../src/phases/deploy/manifests/load.js'

// Issue 21: manifests are read only from the checkout, within size caps, and a Namespace or a YAML merge
// key in metadata never reaches helm.

const SHA = '0123456789abcdef0123456789abcdef01234567'
const configMap = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`

let root: string
let workspace: string
let outside: string
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'manifests-confined-'))
  workspace = path.join(root, 'repo')
  outside = path.join(root, 'elsewhere')
  await fs.mkdir(path.join(workspace, 'k8s'), { recursive: true })
  await fs.mkdir(outside, { recursive: true })
  await fs.writeFile(path.join(workspace, 'k8s', 'web.yaml'), configMap('web'))
  await fs.writeFile(path.join(outside, 'secret.yaml'), configMap('stolen'))
  await fs.writeFile(path.join(outside, 'other.yaml'), configMap('other'))
})
afterEach(() => fs.rm(root, { recursive: true, force: true }))

const problem = async (entries: string[], namespace = 'shop'): Promise<string> => {
  try {
    await loadManifests({ entries, workspace, namespace, sha: SHA })
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
  return 'loaded'
}
const write = (name: string, text: string): Promise<void> => fs.writeFile(path.join(workspace, name), text)

describe('manifests paths: confined to the checkout', () => {
  it('refuses an absolute path and a ../ path outside the checkout, naming them', async () => {
    const message = await problem([path.join(outside, 'secret.yaml'), '../elsewhere/other.yaml'])
    expect(message).toContain('2 problems')
    expect(message).toContain(`is outside the checkout`)
    expect(message).toContain(path.join(outside, 'secret.yaml'))
  })

  it('refuses a symlinked file that points outside, naming where it resolves to', async () => {
    await fs.symlink(path.join(outside, 'secret.yaml'), path.join(workspace, 'k8s', 'link.yaml'))
    const message = await problem(['k8s/link.yaml'])
    expect(message).toContain("'k8s/link.yaml' is outside the checkout")
    expect(message).toContain(await fs.realpath(path.join(outside, 'secret.yaml')))
  })

  it('does not follow a symlink found by a directory or a glob entry', async () => {
    await fs.symlink(path.join(outside, 'secret.yaml'), path.join(workspace, 'k8s', 'link.yaml'))
    for (const entry of ['k8s', 'k8s/*.yaml', 'k8s/**']) {
      const loaded = await loadManifests({ entries: [entry], workspace, namespace: 'shop', sha: SHA })
      expect(loaded.files.map((file) => file.name)).toEqual(['k8s/web.yaml'])
    }
  })

  it('accepts a symlinked file that stays inside the checkout', async () => {
    await fs.symlink(path.join(workspace, 'k8s', 'web.yaml'), path.join(workspace, 'alias.yaml'))
    expect(await problem(['alias.yaml'])).toBe('loaded')
  })

  it('does not follow a symlinked directory, named or inside a recursive entry', async () => {
    await fs.symlink(outside, path.join(workspace, 'k8s', 'linked'))
    expect(await problem(['k8s/linked'])).toContain('is a symlinked directory')
    const loaded = await loadManifests({ entries: ['k8s/**'], workspace, namespace: 'shop', sha: SHA })
    expect(loaded.files.map((file) => file.name)).toEqual(['k8s/web.yaml'])
  })
})

describe('manifests paths: size caps checked before reading', () => {
  it('refuses a file over 1 MiB, naming it and the limit', async () => {
    await write('big.yaml', `${configMap('big')}data:\n  x: "${'a'.repeat(MAX_FILE_BYTES)}"\n`)
    const message = await problem(['big.yaml'])
    expect(message).toMatch(/'big\.yaml' is 1 MiB, over the limit of 1 MiB per manifest file/)
  })

  it('refuses files over 8 MiB together, naming the limit', async () => {
    for (let index = 0; index < 9; index++)
      await write(
        `part${index}.yaml`,
        `${configMap(`p${index}`)}data:\n  x: "${'a'.repeat(MAX_FILE_BYTES - 100)}"\n`,
      )
    const message = await problem(['part*.yaml'])
    expect(message).toMatch(/the 9 files are 9 MiB together, over the limit of 8 MiB for all manifests/)
  })
})

describe('manifests: what the release may never own, read as the cluster reads it', () => {
  it('refuses a Namespace, saying the namespace belongs to create-namespace', async () => {
    await write('ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n')
    const message = await problem(['ns.yaml'])
    expect(message).toContain('Namespace/shop is a Namespace, which a release never owns')
    expect(message).toContain('create-namespace')
  })

  it('refuses a merge key in metadata that would move the object into another namespace', async () => {
    await write(
      'merge.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {<<: {namespace: other}, name: x}\n',
    )
    expect(await problem(['merge.yaml'])).toContain('has a YAML merge key (<<) in metadata')
  })

  it('refuses a merge key at the top of the object and an alias in metadata', async () => {
    await write(
      'top.yaml',
      'apiVersion: v1\nkind: ConfigMap\n<<: {metadata: {name: x, namespace: other}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\n  labels: &l {a: b}\n  annotations: *l\n',
    )
    const message = await problem(['top.yaml'])
    expect(message).toContain('top.yaml, document 1: has a YAML merge key (<<) at the top of the object')
    expect(message).toContain('top.yaml, document 2: has a YAML alias (*name) in metadata')
  })

  it('reads the namespace as go-yaml does (YAML 1.1): a merge key deeper in the object is resolved', async () => {
    await write(
      'spec.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: z\ndata: {<<: {a: "1"}, b: "2"}\n',
    )
    expect(await problem(['spec.yaml'])).toBe('loaded')
  })
})

import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { verifyBundle } from '../../../../src/phases/verify/bundle.js'
import { loadTrust } from '../../../../src/phases/verify/trust.js'
import { startSigstore, type SigstoreStandIn } from '../../../fixtures/sigstore-stand-in.js'

const BUILD = {
  repository: 'octo-org/api',
  jobWorkflowRef: 'octo-org/api/.github/workflows/build.yml@refs/heads/main',
  ref: 'refs/heads/main',
  sha: 'c'.repeat(40),
}
const statement = {
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'x', digest: { sha256: 'a'.repeat(64) } }],
  predicateType: 'https://slsa.dev/provenance/v1',
  predicate: {},
}

// The trusted-root file as `gh attestation trusted-root` writes it (one root per line) or as one
// trusted_root.json; real roots of two @sigstore/mock instances, and a bundle of the second.
describe('trusted-root', () => {
  let first: SigstoreStandIn
  let second: SigstoreStandIn
  let dir: string
  beforeAll(async () => {
    ;[first, second] = await Promise.all([startSigstore(), startSigstore()])
  })
  afterAll(async () => {
    await Promise.all([first.stop(), second.stop()])
  })
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trusted-root-'))
  })
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true })
  })

  test('one root per line: each is an instance, and the second verifies its own bundle', async () => {
    const file = path.join(dir, 'trusted_root.jsonl')
    await fs.writeFile(file, `${JSON.stringify(first.trustedRoot)}\n${JSON.stringify(second.trustedRoot)}\n`)
    const instances = await loadTrust({ kind: 'file', path: file })
    expect(instances.map((instance) => instance.thresholds)).toEqual([
      { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 1 },
      { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 1 },
    ])
    const bundle = await second.sign(statement, BUILD)
    const [one, two] = instances
    expect(() => one && verifyBundle(bundle, one.material, one.thresholds)).toThrow()
    expect(two && verifyBundle(bundle, two.material, two.thresholds).certificate.sourceRepositoryUri).toBe(
      'https://github.com/octo-org/api',
    )
  })

  test('one pretty-printed trusted_root.json is one instance', async () => {
    const file = path.join(dir, 'trusted_root.json')
    await fs.writeFile(file, JSON.stringify(first.trustedRoot, null, 2))
    expect(await loadTrust({ kind: 'file', path: file })).toHaveLength(1)
  })

  test.each([
    ['missing', undefined, 'Could not read trusted-root'],
    ['not JSON', 'not json', 'is not a Sigstore trusted root'],
  ])('a file %s is refused with what to give', async (_name, content, message) => {
    const file = path.join(dir, 'trusted_root.json')
    if (content !== undefined) await fs.writeFile(file, content)
    await expect(loadTrust({ kind: 'file', path: file })).rejects.toThrow(message)
  })
})

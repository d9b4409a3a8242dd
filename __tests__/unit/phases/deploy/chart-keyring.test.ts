import { promises as fs } from 'node:fs'
import path from 'node:path'
import { buildHelmArgs } from '../../../../src/helm/args.js'
import { parseHelmVersion, type HelmVersionInfo } from '../../../../src/helm/version.js'
import { loadChartKeyring, type ChartKeyring } from '../../../../src/phases/deploy/plan-keyring.js'
import { refusal } from '../../../../src/phases/deploy/provenance.js'
import { ROOT } from '../../../fixtures/action-runner.js'
import { inputProblems, inputsFrom } from '../../../fixtures/parsed-inputs.js'
import { fakeFiles } from '../../../fixtures/plan-files.js'
import { releaseSpec } from '../../../fixtures/release-spec.js'

const DIR = path.join(ROOT, '__tests__', 'fixtures', 'keyrings')
const WORKSPACE = '/work/app'
const REPO = { release: 'api', chart: 'api', 'chart-repository': 'https://charts.example.com' }

async function plan(values: Record<string, string>, files: Record<string, string>, dirs: string[] = []) {
  const inputs = inputsFrom(values, { workspace: WORKSPACE })
  return loadChartKeyring(inputs, fakeFiles(files, dirs))
}

async function planError(values: Record<string, string>, files: Record<string, string>, dirs: string[] = []) {
  return plan(values, files, dirs).then(
    () => 'no error',
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  )
}

describe('chart-keyring', () => {
  let binary: string
  let armored: string
  beforeAll(async () => {
    binary = (await fs.readFile(path.join(DIR, 'chart-signer.gpg'))).toString('latin1')
    armored = await fs.readFile(path.join(DIR, 'chart-signer.asc'), 'utf8')
  })

  test('a keyring file of the workspace, binary or armored, and an armored block inline: the same keyring', async () => {
    const fromBinary = await plan(
      { ...REPO, 'chart-keyring': 'keys/charts.gpg' },
      { [`${WORKSPACE}/keys/charts.gpg`]: binary },
    )
    const fromFile = await plan(
      { ...REPO, 'chart-keyring': 'keys/charts.asc' },
      { [`${WORKSPACE}/keys/charts.asc`]: armored },
    )
    const inline = await plan({ ...REPO, 'chart-keyring': armored }, {})
    for (const keyring of [fromFile, inline])
      expect(keyring?.bytes.equals(Buffer.from(binary, 'latin1'))).toBe(true)
    expect(fromBinary?.source).toBe('the file keys/charts.gpg')
    expect(inline?.source).toBe('the key block given inline')
    expect(fromBinary?.keys[0]?.userId).toBe('Chart Signer <charts@example.com>')
  })

  test.each<[string, Record<string, string>, RegExp]>([
    [
      'an oci:// chart',
      {
        release: 'api',
        chart: 'oci://123456789012.dkr.ecr.us-east-1.amazonaws.com/charts/api',
        'chart-keyring': 'k.gpg',
      },
      /Input 'chart-keyring': verifies the \.prov file of a chart repository's chart or a packaged \.tgz/,
    ],
    ['plain manifests', { release: 'api', manifests: 'k8s/', 'chart-keyring': 'k.gpg' }, /it needs chart/],
    [
      'two lines that are no key block',
      { ...REPO, 'chart-keyring': 'a.gpg\nb.gpg' },
      /must be the path of a keyring file/,
    ],
    [
      'an armored block cut short',
      { ...REPO, 'chart-keyring': '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQENBGk' },
      /no complete PUBLIC KEY BLOCK/,
    ],
  ])('refused with the inputs, before any AWS call: %s', (_name, values, message) => {
    expect(inputProblems(values)).toMatch(message)
  })

  test.each<[string, Record<string, string>, Record<string, string>, string[], RegExp]>([
    [
      'a keyring file that is not there',
      { ...REPO, 'chart-keyring': 'keys/x.gpg' },
      {},
      [],
      /'keys\/x\.gpg' does not exist \(relative to the workspace/,
    ],
    [
      'a keybox',
      { ...REPO, 'chart-keyring': 'pubring.kbx' },
      {
        [`${WORKSPACE}/pubring.kbx`]: `\u0000\u0000\u0000\u0020\u0001\u0001\u0000\u0002KBXf${'\u0000'.repeat(20)}`,
      },
      [],
      /'pubring\.kbx' is a GnuPG keybox/,
    ],
    [
      'a chart directory',
      { release: 'api', chart: './charts/api', 'chart-keyring': 'k.gpg' },
      { [`${WORKSPACE}/k.gpg`]: 'BINARY' },
      [`${WORKSPACE}/charts/api`],
      /'\.\/charts\/api' is a chart directory, and helm verifies only a packaged, signed chart/,
    ],
    [
      'a packaged chart without its .prov',
      { release: 'api', chart: 'dist/api-1.0.0.tgz', 'chart-keyring': 'k.gpg' },
      { [`${WORKSPACE}/k.gpg`]: 'BINARY', [`${WORKSPACE}/dist/api-1.0.0.tgz`]: 'tgz' },
      [],
      /'dist\/api-1\.0\.0\.tgz' has no provenance file dist\/api-1\.0\.0\.tgz\.prov beside it/,
    ],
  ])('refused by the plan, before any AWS call: %s', async (_name, values, files, dirs, message) => {
    const text = Object.fromEntries(
      Object.entries(files).map(([file, body]) => [file, body === 'BINARY' ? binary : body]),
    )
    expect(await planError(values, text, dirs)).toMatch(message)
  })

  test('a packaged chart with its .prov, and repo/name of an added repository, pass the plan', async () => {
    const keyFile = { [`${WORKSPACE}/k.gpg`]: binary }
    const local = { [`${WORKSPACE}/api-1.0.0.tgz`]: 'tgz', [`${WORKSPACE}/api-1.0.0.tgz.prov`]: 'prov' }
    await expect(
      plan({ release: 'api', chart: 'api-1.0.0.tgz', 'chart-keyring': 'k.gpg' }, { ...keyFile, ...local }),
    ).resolves.toBeDefined()
    await expect(
      plan({ release: 'api', chart: 'charts/api', 'chart-keyring': 'k.gpg' }, keyFile),
    ).resolves.toBeDefined()
  })

  test.each(['v3.17.3', 'v4.1.4'])(
    'helm %s: upgrade and template get --verify --keyring after the chart',
    (version) => {
      const spec = releaseSpec({
        chart: { kind: 'repo', name: 'api', repository: 'https://charts.example.com' },
        keyringFile: '/tmp/eks-helm-x/chart-keyring.gpg',
      })
      const args = buildHelmArgs(parseHelmVersion(version) as HelmVersionInfo, spec)
      expect(args.slice(0, 9)).toEqual([
        'upgrade',
        '--install',
        'api',
        'api',
        '--repo',
        'https://charts.example.com',
        '--verify',
        '--keyring',
        '/tmp/eks-helm-x/chart-keyring.gpg',
      ])
      expect(buildHelmArgs(parseHelmVersion(version) as HelmVersionInfo, releaseSpec())).not.toContain(
        '--verify',
      )
    },
  )
})

describe("helm's refusal of the chart's provenance, in words a user can act on", () => {
  const keyring: ChartKeyring = {
    bytes: Buffer.alloc(0),
    source: 'the file keys/charts.gpg',
    keys: [
      {
        fingerprint: '58233BEE3999FEE656D824096CCDA9F499B5D92C',
        userId: 'Chart Signer <charts@example.com>',
        algorithm: 1,
      },
    ],
  }
  // helm 3.17.3 and 4.1.4's own words on the lab (stderr of helm pull --verify / helm verify).
  test.each<[string, string, number, RegExp, RegExp]>([
    [
      'no .prov in the repository',
      'Error: failed to fetch provenance "http://127.0.0.1:18931/unsigned/demo-0.1.0.tgz.prov"',
      4,
      /it has no provenance file \(\.prov\): it was not signed/,
      /helm package --sign --key/,
    ],
    [
      'signed by another key',
      'Error: openpgp: signature made by unknown entity',
      4,
      /signed by a key that is not in chart-keyring \(which holds 58233BEE3999FEE656D824096CCDA9F499B5D92C Chart Signer <charts@example\.com>\)/,
      /gpg --list-packets/,
    ],
    [
      'an EdDSA key on Helm 3',
      'Error: failed to load keyring: openpgp: unsupported feature: public key type: 22',
      3,
      /helm 3 cannot read a key of chart-keyring \(OpenPGP algorithm 22, EdDSA\)/,
      /Helm 3 reads RSA and DSA keys only/,
    ],
    [
      'a chart changed after signing',
      'Error: sha256 sum does not match for demo-0.1.0.tgz: "sha256:71b8" != "sha256:5a39"',
      3,
      /is not the one its \.prov signs/,
      /Publish the \.tgz and the \.prov/,
    ],
  ])('%s', (_name, stderr, major, message, hint) => {
    const error = refusal(stderr, 'demo 0.1.0 from https://charts.example.com', keyring, major)
    expect(error.message).toMatch(
      /^The chart demo 0\.1\.0 from https:\/\/charts\.example\.com failed helm's provenance check \(chart-keyring: the file keys\/charts\.gpg\), before anything was deployed: /,
    )
    expect(error.message).toMatch(message)
    expect(error.hint).toMatch(hint)
  })
})

import {
  describeHelmArgs,
  buildHelmArgs,
  buildValueArgs,
  escapeSetValue,
  type ReleaseSpec,
} from '../../../src/helm/args.js'
import { releaseSpec } from '../../fixtures/release-spec.js'
import { parseHelmVersion, type HelmVersionInfo } from '../../../src/helm/version.js'

const HELM3 = parseHelmVersion('v3.17.3') as HelmVersionInfo
const HELM4 = parseHelmVersion('v4.1.4') as HelmVersionInfo

const spec = (overrides: Partial<ReleaseSpec> = {}): ReleaseSpec =>
  releaseSpec({ shouldCreateNamespace: false, isAtomic: false, shouldWait: false, ...overrides })

const BASE = ['upgrade', '--install', 'api', './charts/api', '--namespace', 'shop']
const TAIL = ['--history-max', '10', '--timeout', '5m']

describe('buildHelmArgs', () => {
  test.each<[string, HelmVersionInfo, Partial<ReleaseSpec>, string[]]>([
    ['helm 3, nothing optional', HELM3, {}, [...BASE, ...TAIL]],
    ['helm 4, nothing optional', HELM4, {}, [...BASE, ...TAIL]],
    [
      'helm 3 atomic + wait',
      HELM3,
      { isAtomic: true, shouldWait: true },
      [...BASE, ...TAIL, '--atomic', '--wait'],
    ],
    ['helm 3 atomic only', HELM3, { isAtomic: true }, [...BASE, ...TAIL, '--atomic']],
    ['helm 3 wait only', HELM3, { shouldWait: true }, [...BASE, ...TAIL, '--wait']],
    [
      'helm 4 atomic + wait',
      HELM4,
      { isAtomic: true, shouldWait: true },
      [...BASE, ...TAIL, '--rollback-on-failure', '--wait=watcher'],
    ],
    ['helm 4 atomic only', HELM4, { isAtomic: true }, [...BASE, ...TAIL, '--rollback-on-failure']],
    ['helm 4 wait only', HELM4, { shouldWait: true }, [...BASE, ...TAIL, '--wait=watcher']],
    [
      'helm 4 wait-mode legacy',
      HELM4,
      { isAtomic: true, shouldWait: true, waitMode: 'legacy' },
      [...BASE, ...TAIL, '--rollback-on-failure', '--wait=legacy'],
    ],
    [
      'helm 4 wait-mode hookOnly (atomic: false: with --rollback-on-failure helm would wait as watcher)',
      HELM4,
      { isAtomic: false, shouldWait: true, waitMode: 'hookOnly' },
      [...BASE, ...TAIL, '--wait=hookOnly'],
    ],
    [
      'helm 3 wait-mode hookOnly: no --wait',
      HELM3,
      { shouldWait: true, waitMode: 'hookOnly' },
      [...BASE, ...TAIL],
    ],
    [
      'helm 3 wait-mode legacy: --wait',
      HELM3,
      { shouldWait: true, waitMode: 'legacy' },
      [...BASE, ...TAIL, '--wait'],
    ],
    ['create namespace', HELM4, { shouldCreateNamespace: true }, [...BASE, '--create-namespace', ...TAIL]],
    ['chart version', HELM4, { chartVersion: '1.2.3' }, [...BASE, '--version', '1.2.3', ...TAIL]],
    [
      'values files in order',
      HELM4,
      { valuesFiles: ['a.yaml', 'b.yaml'] },
      [...BASE, '-f', 'a.yaml', '-f', 'b.yaml', ...TAIL],
    ],
    [
      'set and set-string',
      HELM4,
      { set: [{ key: 'replicas', value: '3' }], setString: [{ key: 'env.A', value: 'x,y' }] },
      [...BASE, '--set', 'replicas=3', '--set-string', 'env.A=x\\,y', ...TAIL],
    ],
    [
      'history max and timeout',
      HELM4,
      { historyMax: 0, timeout: '90s' },
      [...BASE, '--history-max', '0', '--timeout', '90s'],
    ],
    [
      'helm-args last, after the safety flags',
      HELM3,
      { isAtomic: true, helmArgs: ['--debug', '--labels=team=shop'] },
      [...BASE, ...TAIL, '--atomic', '--debug', '--labels=team=shop'],
    ],
    [
      'dry run on helm 4: server side, Secrets hidden, JSON, no rollback or wait',
      HELM4,
      { isDryRun: true, isAtomic: true, shouldWait: true },
      [...BASE, ...TAIL, '--dry-run=server', '--output', 'json'],
    ],
    [
      'dry run on helm 3',
      HELM3,
      { isDryRun: true, isAtomic: true },
      [...BASE, ...TAIL, '--dry-run=server', '--output', 'json'],
    ],
  ])('%s', (_name, version, overrides, expected) => {
    expect(buildHelmArgs(version, spec(overrides))).toEqual(expected)
  })

  test.each<[string, ReleaseSpec['chart'], string[]]>([
    ['a local path', { kind: 'path', path: './charts/api' }, ['./charts/api']],
    [
      'an OCI reference',
      { kind: 'oci', ref: 'oci://1.dkr.ecr.us-east-1.amazonaws.com/charts/api' },
      ['oci://1.dkr.ecr.us-east-1.amazonaws.com/charts/api'],
    ],
    [
      'a repository chart',
      { kind: 'repo', name: 'api', repository: 'https://charts.example.com' },
      ['api', '--repo', 'https://charts.example.com'],
    ],
  ])('chart: %s', (_name, chart, expected) => {
    expect(buildHelmArgs(HELM4, spec({ chart })).slice(3, 3 + expected.length)).toEqual(expected)
  })

  test('the image goes last among the values, always as --set-string, under the configured keys', () => {
    const args = buildHelmArgs(
      HELM4,
      spec({
        imageRepositoryKey: 'app.image.name',
        imageTagKey: 'app.image.version',
        setString: [{ key: 'a', value: 'b' }],
      }),
      {
        registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
        name: 'shop/api',
        tag: '1234567',
        digest: undefined,
      },
    )
    expect(args.slice(6, 12)).toEqual([
      '--set-string',
      'a=b',
      '--set-string',
      'app.image.name=123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api',
      '--set-string',
      'app.image.version=1234567',
    ])
    expect(args).not.toContain('--set')
  })

  test('a digest rides in the tag value, so repository:tag templates render repo:tag@digest', () => {
    const digest = `sha256:${'ab'.repeat(32)}`
    expect(buildValueArgs(spec(), { registry: 'r.example', name: 'app', tag: 'v1', digest })).toEqual([
      '--set-string',
      'image.repository=r.example/app',
      '--set-string',
      `image.tag=v1@${digest}`,
    ])
  })

  test('dry run on helm older than 3.13 fails with the version and what to set', () => {
    const old = parseHelmVersion('v3.12.0') as HelmVersionInfo
    expect(() => buildHelmArgs(old, spec({ isDryRun: true }))).toThrow(/needs helm 3.13 or newer.*v3.12.0/)
  })
})

describe('escapeSetValue: what helm --set parses back to the same text', () => {
  test.each([
    ['plain', 'plain'],
    ['1234567', '1234567'],
    ['a,b', 'a\\,b'],
    ['key=value=x', 'key=value=x'],
    ['with spaces and "quotes" and \'single\'', 'with spaces and "quotes" and \'single\''],
    ['back\\slash', 'back\\\\slash'],
    ['ends with \\', 'ends with \\\\'],
    ['{a,b}', '\\{a\\,b}'],
    ['x{y}', 'x{y}'],
    ['', ''],
  ])('%j -> %j', (value, escaped) => {
    expect(escapeSetValue(value)).toBe(escaped)
  })
})

describe('describeHelmArgs: the argv for the debug log', () => {
  test('hides the values of --set and its kin, and passwords, keeping the flags and keys', () => {
    const args = [
      'upgrade',
      '--install',
      'api',
      './chart',
      '--set',
      'replicas=3',
      '--set-string',
      'db.password=s3cret,other=x',
      '--set-json=cfg={"k":"s3cret"}',
      '--set-file',
      'ca=./ca.pem',
      '--password',
      's3cret',
      '--password=s3cret',
      '--timeout',
      '5m',
    ]
    const described = describeHelmArgs(args)
    expect(described).toBe(
      'upgrade --install api ./chart --set replicas=<hidden> --set-string db.password=<hidden> --set-json=cfg=<hidden> --set-file ca=<hidden> --password <hidden> --password=<hidden> --timeout 5m',
    )
    expect(described).not.toContain('s3cret')
  })

  test("the image's values stay visible: the image is no secret, and the log shows what was deployed", () => {
    const args = ['--set-string', 'image.tag=1234567@sha256:abc', '--set-string', 'db.password=s3cret']
    expect(describeHelmArgs(args, ['image.repository', 'image.tag'])).toBe(
      '--set-string image.tag=1234567@sha256:abc --set-string db.password=<hidden>',
    )
  })
})

import type { ExecResult } from '../../../../src/runner/runtime.js'
import { PhaseTimer } from '../../../../src/action/timing.js'
import {
  deployRelease,
  type DeployDeps,
  type DeployReleaseParams,
} from '../../../../src/phases/deploy/release.js'
import type { ReleaseSpec } from '../../../../src/helm/args.js'
import { KubeApiError } from '../../../../src/kube/kube-api.js'
import { COMMON_RESOURCES, FakeKube } from '../../../fixtures/fake-kube.js'
import { FakeRuntime, type FakeExec } from '../../../fixtures/fake-runtime.js'
import { phaseDeps } from '../../../fixtures/phase-deps.js'
import { releaseSpec } from '../../../fixtures/release-spec.js'

const SPEC: ReleaseSpec = releaseSpec()
const noKube = (): Promise<never> => Promise.reject(new Error('no Kubernetes API in this test'))
/** The deploy's deps over a FakeRuntime; its parts go to `timer`. */
const deps = (runtime: FakeRuntime, timer = new PhaseTimer(runtime)): DeployDeps => {
  const { time, record } = phaseDeps(runtime, { timer })
  return { runtime, connectKube: noKube, time, record }
}

const params = (overrides: Partial<DeployReleaseParams> = {}): DeployReleaseParams => ({
  spec: SPEC,
  helmVersion: { kind: 'system' },
  helmMirror: 'https://get.helm.sh',
  os: 'linux',
  arch: 'x64',
  jobEnv: { PATH: '/usr/bin', KUBECONFIG: '/job/kubeconfig', INPUT_RELEASE: 'api' },
  extraEnv: { AWS_REGION: 'eu-west-1' },
  ...overrides,
})

const ok = (stdout = ''): ExecResult => ({ exitCode: 0, stdout, stderr: '' })
const entry = (revision: number, status: string, description: string, chart = 'api-1.2.0') => ({
  revision,
  status,
  chart,
  app_version: '2.0',
  description,
  updated: '2026-01-01T00:00:00Z',
})
const statusJson = (revision: number, status: string, description: string) =>
  JSON.stringify({ name: 'api', info: { status, description }, version: revision, namespace: 'shop' })
const notFound: ExecResult = { exitCode: 1, stdout: '', stderr: 'Error: release: not found\n' }

/** A helm that answers from a script: history before and after, the upgrade, the status. */
function scriptedHelm(
  runtime: FakeRuntime,
  script: { before: object[]; upgrade: ExecResult; after: object[]; version?: string },
) {
  let upgraded = false
  runtime.onExec = ({ args }: FakeExec): ExecResult => {
    switch (args[0] ?? '') {
      case 'version':
        return ok(script.version ?? 'v4.1.4')
      case 'upgrade':
        // The pre-flight's render: a server-side dry run, which changes nothing.
        if (args.includes('--dry-run=server')) return ok(JSON.stringify({ manifest: '', hooks: [] }))
        upgraded = true
        return script.upgrade
      case 'history': {
        const history = upgraded ? script.after : script.before
        return history.length === 0 ? notFound : ok(JSON.stringify(history))
      }
      case 'status': {
        const last = script.after.at(-1) as ReturnType<typeof entry> | undefined
        return last === undefined ? notFound : ok(statusJson(last.revision, last.status, last.description))
      }
      default:
        return { exitCode: 1, stdout: '', stderr: `unexpected helm ${args.join(' ')}` }
    }
  }
}

const upgradeExec = (runtime: FakeRuntime): FakeExec =>
  runtime.execs.find((exec) => exec.args[0] === 'upgrade' && !exec.args.includes('--dry-run=server'))!

describe('deployRelease', () => {
  test('an upgrade: the helm 4 argv, forwarded signals, the env, and the release afterwards', async () => {
    const runtime = new FakeRuntime()
    scriptedHelm(runtime, {
      before: [entry(1, 'deployed', 'Install complete')],
      upgrade: ok('Release "api" has been upgraded. Happy Helming!\n'),
      after: [entry(1, 'superseded', 'Install complete'), entry(2, 'deployed', 'Upgrade complete')],
    })
    const result = await deployRelease(
      params({
        image: { registry: 'r.example', name: 'shop/api', tag: '1234567', digest: undefined },
        kubeconfigPath: '/tmp/kubeconfig',
      }),
      deps(runtime),
    )
    expect(result).toEqual({
      helmVersion: 'v4.1.4',
      release: 'api',
      namespace: 'shop',
      isDryRun: false,
      state: {
        revision: 2,
        status: 'deployed',
        description: 'Upgrade complete',
        chartName: 'api',
        chartVersion: '1.2.0',
        appVersion: '2.0',
      },
      previousRevision: 1,
      // What the deploy record reads for the release's earlier failures.
      historyBefore: [expect.objectContaining({ revision: 1, status: 'deployed' })],
      isRolledBack: false,
      failure: undefined,
    })
    const upgrade = upgradeExec(runtime)
    expect(upgrade.command).toBe('helm')
    expect(upgrade.args).toEqual([
      'upgrade',
      '--install',
      'api',
      './charts/api',
      '--namespace',
      'shop',
      '--create-namespace',
      '--set-string',
      'image.repository=r.example/shop/api',
      '--set-string',
      'image.tag=1234567',
      '--history-max',
      '10',
      '--timeout',
      '5m',
      '--rollback-on-failure',
      '--wait=watcher',
    ])
    expect(upgrade.request.shouldForwardSignals).toBe(true)
    expect(upgrade.request.env).toEqual({
      PATH: '/usr/bin',
      KUBECONFIG: '/tmp/kubeconfig',
      AWS_REGION: 'eu-west-1',
    })
    expect(runtime.logs).toContain('group: helm upgrade --install api (namespace shop)')
  })

  test('helm 3 gets --atomic and --wait', async () => {
    const runtime = new FakeRuntime()
    scriptedHelm(runtime, {
      version: 'v3.17.3',
      before: [],
      upgrade: ok(),
      after: [entry(1, 'deployed', 'Install complete')],
    })
    const result = await deployRelease(params(), deps(runtime))
    expect(result.helmVersion).toBe('v3.17.3')
    expect(result.previousRevision).toBeUndefined()
    expect(upgradeExec(runtime).args.slice(-2)).toEqual(['--atomic', '--wait'])
  })

  test('a failed upgrade that helm rolled back: rolled back, the failure kept for after the outputs', async () => {
    const runtime = new FakeRuntime()
    scriptedHelm(runtime, {
      before: [entry(4, 'deployed', 'Upgrade complete')],
      upgrade: {
        exitCode: 1,
        stdout: '',
        stderr:
          'Error: UPGRADE FAILED: release api failed, and has been rolled back due to rollback-on-failure being set: context deadline exceeded\n',
      },
      after: [
        entry(4, 'superseded', 'Upgrade complete'),
        entry(5, 'failed', 'Upgrade "api" failed'),
        entry(6, 'deployed', 'Rollback to 4'),
      ],
    })
    const result = await deployRelease(params(), deps(runtime))
    expect(result.isRolledBack).toBe(true)
    expect(result.state?.revision).toBe(6)
    expect(result.previousRevision).toBe(4)
    expect(result.failure?.message).toContain('failed (exit code 1): UPGRADE FAILED: release api failed')
    expect(result.failure?.message).toContain('revision 6 ("Rollback to 4") is deployed')
  })

  test('a failed first install that helm removed: rolled back, no release left', async () => {
    const runtime = new FakeRuntime()
    scriptedHelm(runtime, {
      before: [],
      upgrade: {
        exitCode: 1,
        stdout: '',
        stderr:
          'Error: INSTALLATION FAILED: release api failed, and has been uninstalled due to rollback-on-failure being set: timeout\n',
      },
      after: [],
    })
    const result = await deployRelease(params(), deps(runtime))
    expect(result.isRolledBack).toBe(true)
    expect(result.state).toBeUndefined()
    expect(result.failure?.message).toContain('The failed first install was removed again')
  })

  test('a failure without atomic is not a rollback', async () => {
    const runtime = new FakeRuntime()
    scriptedHelm(runtime, {
      before: [entry(1, 'deployed', 'Install complete')],
      upgrade: { exitCode: 1, stdout: '', stderr: 'Error: UPGRADE FAILED: timed out\n' },
      after: [entry(1, 'superseded', 'Install complete'), entry(2, 'failed', 'Upgrade "api" failed')],
    })
    const result = await deployRelease(params({ spec: { ...SPEC, isAtomic: false } }), deps(runtime))
    expect(result.isRolledBack).toBe(false)
    expect(result.state?.status).toBe('failed')
    expect(result.failure?.message).toContain('The release is at revision 2, status failed.')
  })

  test('a cluster that refuses the credentials (401): no upgrade is tried, the failure names the role', async () => {
    const runtime = new FakeRuntime()
    const refused =
      'Error: kubernetes cluster unreachable: the server has asked for the client to provide credentials\n'
    runtime.onExec = ({ args }) =>
      args[0] === 'version' ? ok('v4.1.4') : { exitCode: 1, stdout: '', stderr: refused }
    const cluster = { clusterName: 'prod', region: 'eu-west-1', roleArn: 'arn:aws:iam::***:role/ci' }
    const result = await deployRelease(params({ cluster }), deps(runtime))
    expect(result).toMatchObject({ state: undefined, previousRevision: undefined, isRolledBack: false })
    expect(result.failure?.message).toMatch(
      /^EKS cluster prod refused IAM role arn:aws:iam::\*\*\*:role\/ci \(HTTP 401 Unauthorized\)/,
    )
    expect(runtime.execs.map((exec) => exec.args[0])).toEqual(['version', 'history'])
    expect(runtime.logs.filter((line) => line.startsWith('warning:'))).toEqual([])
  })

  test('wait: false with atomic: true warns that helm waits anyway', async () => {
    const runtime = new FakeRuntime()
    scriptedHelm(runtime, { before: [], upgrade: ok(), after: [entry(1, 'deployed', 'Install complete')] })
    await deployRelease(params({ spec: { ...SPEC, shouldWait: false } }), deps(runtime))
    expect(runtime.logs.some((line) => line.startsWith('warning: atomic: true waits for readiness'))).toBe(
      true,
    )
  })

  test('dry run: the would-be release and what would change, Secrets by key, set-string values masked', async () => {
    const runtime = new FakeRuntime()
    const secret = (apiKey: string) =>
      `---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: api-keys\nstringData:\n  apiKey: ${apiKey}\n`
    const configMap = (tag: string) => `---\nkind: ConfigMap\nmetadata:\n  name: api\ndata:\n  tag: ${tag}\n`
    const rendered = {
      name: 'api',
      info: { status: 'pending-upgrade', description: 'Dry run complete' },
      chart: { metadata: { name: 'api', version: '1.3.0', appVersion: '2.1' } },
      config: { image: { tag: 'new' }, apiKey: 'rotated-api-key-0002' },
      manifest: configMap('new') + secret('rotated-api-key-0002'),
      version: 3,
    }
    runtime.onExec = ({ args }) => {
      const command = args.join(' ')
      if (args[0] === 'version') return ok('v4.1.4')
      if (args[0] === 'history') return ok(JSON.stringify([entry(2, 'deployed', 'Upgrade complete')]))
      if (args[0] === 'upgrade') return ok(JSON.stringify(rendered))
      if (command === 'get values api --namespace shop --revision 2 --output json')
        return ok('{"image":{"tag":"old"},"apiKey":"first-secret-value-01"}')
      if (command === 'get manifest api --namespace shop --revision 2')
        return ok(configMap('old') + secret('first-secret-value-01'))
      return { exitCode: 1, stdout: '', stderr: 'unexpected' }
    }
    const timer = new PhaseTimer(runtime)
    const spec = { ...SPEC, isDryRun: true, setString: [{ key: 'apiKey', value: 'rotated-api-key-0002' }] }
    const result = await deployRelease(params({ spec }), deps(runtime, timer))
    expect(result).toMatchObject({
      isDryRun: true,
      previousRevision: 2,
      isRolledBack: false,
      failure: undefined,
    })
    expect(result.state).toMatchObject({ revision: 3, status: 'pending-upgrade', chartVersion: '1.3.0' })
    expect(result.changes?.values).toEqual({ added: [], changed: ['apiKey', 'image.tag'], removed: [] })
    expect(result.changes?.objects.map(({ kind, change, secretKeys }) => [kind, change, secretKeys])).toEqual(
      [
        ['ConfigMap', 'changed', undefined],
        ['Secret', 'changed', { added: [], changed: ['apiKey'], removed: [] }],
      ],
    )
    const dryRun = runtime.execs.find((exec) => exec.args[0] === 'upgrade')!
    expect(dryRun.args).toContain('--dry-run=server')
    expect(dryRun.args).not.toContain('--hide-secret')
    expect(dryRun.request.shouldStream).toBe(false)
    const log = runtime.logs.join('\n')
    expect(log).toContain(
      'Values (user-supplied; paths only, values are never shown): apiKey, image.tag changed.',
    )
    expect(log).toContain('~ ConfigMap api (namespace shop): changed\nrelay:     @@ -1,5 +1,5 @@')
    expect(log).toContain('    -  tag: old\n    +  tag: new')
    expect(log).toContain(
      '~ Secret api-keys (namespace shop): changed; keys: apiKey changed (values are never shown)',
    )
    expect(log).not.toMatch(/first-secret|rotated-api/)
    // The value deployed under the set-string key is as secret as the new one.
    expect(runtime.secrets).toContain('first-secret-value-01')
    expect(runtime.execs.map((exec) => exec.args[0])).not.toContain('status')
    expect(timer.spans.map((span) => span.name)).toEqual(['helm setup', 'helm dry run', 'what would change'])
  })

  test('helm-version: system without helm on the PATH explains what to do', async () => {
    const runtime = new FakeRuntime()
    runtime.onExec = () => {
      throw new Error('Unable to locate executable file: helm.')
    }
    await expect(deployRelease(params(), deps(runtime))).rejects.toMatchObject({
      message: 'Could not run helm.',
      hint: expect.stringContaining('helm-version: system` needs helm on the PATH'),
    })
  })

  test('a helm older than 3 is refused with its version', async () => {
    const runtime = new FakeRuntime()
    runtime.onExec = () => ok('Client: &version.Version{SemVer:"v2.16.1"}')
    await expect(deployRelease(params(), deps(runtime))).rejects.toThrow(/drives Helm 3 and Helm 4/)
    expect(runtime.execs).toHaveLength(1)
  })

  test('an installed helm that reports another version than asked is refused', async () => {
    const runtime = new FakeRuntime()
    runtime.toolCache = { ...runtime.toolCache, find: () => Promise.resolve('/cache/helm/4.1.4/x64') }
    runtime.onExec = () => ok('v4.0.0')
    await expect(
      deployRelease(params({ helmVersion: { kind: 'release', version: 'v4.1.4' } }), deps(runtime)),
    ).rejects.toThrow('helm-version asks for v4.1.4, but the installed helm reports v4.0.0.')
    expect(runtime.execs[0]?.command).toBe('/cache/helm/4.1.4/x64/helm')
  })
})

describe('deployRelease: the namespace', () => {
  /** The phase's Kubernetes API: a FakeKube that knows the common kinds, set up by `configure`. */
  const withKube = (runtime: FakeRuntime, configure: (kube: FakeKube) => void): DeployDeps => {
    const kube = new FakeKube()
    kube.resources = new Map(COMMON_RESOURCES)
    configure(kube)
    return { ...deps(runtime), connectKube: () => Promise.resolve(kube) }
  }
  const install = (runtime: FakeRuntime): void => {
    scriptedHelm(runtime, { before: [], upgrade: ok(), after: [entry(1, 'deployed', 'Install complete')] })
  }
  const helmSent = (runtime: FakeRuntime) => runtime.execs.filter((exec) => exec.args[0] === 'upgrade')

  test.each([
    ['exists: helm is not asked to create it (a namespace-scoped identity may not)', ['shop'], false],
    ['is missing: helm creates it', [], true],
  ])('create-namespace: true and the namespace %s', async (_, existing, isCreated) => {
    const runtime = new FakeRuntime()
    install(runtime)
    const result = await deployRelease(
      params(),
      withKube(runtime, (kube) => {
        for (const name of existing) kube.existingNamespaces.add(name)
      }),
    )
    expect(result.failure).toBeUndefined()
    expect(upgradeExec(runtime).args.includes('--create-namespace')).toBe(isCreated)
  })

  test('create-namespace: false and a missing namespace: the error before helm writes anything', async () => {
    const runtime = new FakeRuntime()
    install(runtime)
    const cluster = { clusterName: 'prod', region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/ci' }
    const result = await deployRelease(
      params({ spec: { ...SPEC, shouldCreateNamespace: false }, cluster }),
      withKube(runtime, () => undefined),
    )
    expect(result.failure?.message).toBe(
      'Namespace shop does not exist and create-namespace is false. Nothing was changed: helm did not run.',
    )
    expect(result.failure?.hint).toContain('kubectl create namespace shop')
    expect(helmSent(runtime)).toEqual([])
  })

  test('the pre-flight of an install that must create the namespace, refused: the namespace error, no upgrade', async () => {
    const runtime = new FakeRuntime()
    install(runtime)
    const result = await deployRelease(
      params({ spec: { ...SPEC, isPreflight: true } }),
      withKube(runtime, (kube) => {
        kube.isAllowed = (q) => q.resource !== 'namespaces'
      }),
    )
    expect(result.failure?.message).toMatch(
      /^Namespace shop does not exist and this identity may not create namespaces: The deploying identity may not create, patch namespaces at the cluster scope\./,
    )
    // Only the pre-flight's server-side dry run ran.
    expect(helmSent(runtime).map((exec) => exec.args.includes('--dry-run=server'))).toEqual([true])
  })

  test('an existing namespace: the pre-flight asks nothing about namespaces, and the render does not create it', async () => {
    const runtime = new FakeRuntime()
    install(runtime)
    const reviews: string[] = []
    const result = await deployRelease(
      params({ spec: { ...SPEC, isPreflight: true } }),
      withKube(runtime, (kube) => {
        kube.existingNamespaces.add('shop')
        kube.isAllowed = (q) => {
          reviews.push(q.resource)
          return q.resource !== 'namespaces'
        }
      }),
    )
    expect(result.failure).toBeUndefined()
    expect(reviews).not.toContain('namespaces')
    expect(helmSent(runtime).some((exec) => exec.args.includes('--create-namespace'))).toBe(false)
  })

  test('a namespace the identity may not read: helm gets --create-namespace as before, and the debug log says why', async () => {
    const runtime = new FakeRuntime()
    install(runtime)
    const result = await deployRelease(
      params(),
      withKube(runtime, (kube) => {
        kube.namespaceExists = () =>
          Promise.reject(
            new KubeApiError(
              403,
              'Forbidden',
              'Could not read namespace shop: namespaces "shop" is forbidden (HTTP 403)',
            ),
          )
      }),
    )
    expect(result.failure).toBeUndefined()
    expect(upgradeExec(runtime).args).toContain('--create-namespace')
    expect(runtime.logs).toContain(
      'debug: Whether namespace shop exists is unknown (Could not read namespace shop: namespaces "shop" is forbidden (HTTP 403)): helm gets --create-namespace, as create-namespace: true asks.',
    )
  })

  test('helm refused by RBAC: explained as RBAC, no rollout diagnosis of workloads that were never created', async () => {
    const runtime = new FakeRuntime()
    const stderr =
      'Error: namespaces "shop" is forbidden: User "shop-admin" cannot patch resource "namespaces" in API group "" at the cluster scope\n'
    scriptedHelm(runtime, { before: [], upgrade: { exitCode: 1, stdout: '', stderr }, after: [] })
    const result = await deployRelease(
      params(),
      withKube(runtime, (kube) => {
        kube.snapshots = [
          () => {
            throw new Error('no snapshot expected')
          },
        ]
      }),
    )
    expect(result.diagnosis).toBeUndefined()
    expect(result.failureReason).toBe(
      'RBAC refused the request (HTTP 403 Forbidden): Kubernetes user "shop-admin" may not patch namespaces at the cluster scope; helm stopped there, so what it had not yet written was not created or changed.',
    )
    expect(result.failure?.message).toContain('RBAC forbids it to patch namespaces at the cluster scope')
    expect(runtime.logs.join('\n')).not.toContain('not created yet')
    expect(runtime.logs).not.toContain('group: Why the rollout failed')
  })
})

import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { ExecResult } from '../../../../src/runner/runtime.js'
import { PhaseTimer } from '../../../../src/action/timing.js'
import { HELM_GATE_ENV, HELM_GATE_PID_ENV, passGate } from '../../../../src/eks-token/gate.js'
import {
  deployRelease,
  type DeployDeps,
  type DeployReleaseParams,
} from '../../../../src/phases/deploy/release.js'
import type { DeployHeadStart } from '../../../../src/phases/deploy/index.js'
import { DEFAULT_HELM_TIMEOUTS, type HelmCli } from '../../../../src/helm/cli.js'
import { parseHelmVersion } from '../../../../src/helm/version.js'
import { COMMON_RESOURCES, FakeKube } from '../../../fixtures/fake-kube.js'
import { FakeRuntime, type FakeExec } from '../../../fixtures/fake-runtime.js'
import { phaseDeps } from '../../../fixtures/phase-deps.js'
import { releaseSpec } from '../../../fixtures/release-spec.js'

/**
 * helm started ahead of the pre-flight (ahead.ts): started at once, held at its first request until
 * the deploy lets it through, and never through when the deploy stops or needs another command. The
 * fake helm behaves as the real one under the kubeconfig's token plugin: its first request waits for
 * the plugin, which waits for the gate (the real gate files, the real plugin side).
 */
const SPEC = releaseSpec({ isPreflight: true })
const KUBECONFIG = '/tmp/step/eks-kubeconfig-x/kubeconfig'

let helmDir: string
beforeEach(async () => {
  helmDir = await mkdtemp(path.join(os.tmpdir(), 'eks-helm-'))
})
afterEach(async () => {
  await rm(helmDir, { recursive: true, force: true })
})

const params = (overrides: Partial<DeployReleaseParams> = {}): DeployReleaseParams => ({
  spec: SPEC,
  helmVersion: { kind: 'system' },
  helmMirror: 'https://get.helm.sh',
  os: 'linux',
  arch: 'x64',
  jobEnv: { PATH: '/usr/bin', INPUT_RELEASE: 'api' },
  extraEnv: { AWS_REGION: 'eu-west-1' },
  kubeconfigPath: KUBECONFIG,
  kubeconfigAuth: 'exec',
  helmDir,
  ...overrides,
})

const ok = (stdout = ''): ExecResult => ({ exitCode: 0, stdout, stderr: '' })
const history = JSON.stringify([
  {
    revision: 1,
    status: 'deployed',
    chart: 'api-1.2.0',
    app_version: '2',
    description: 'Install complete',
    updated: '2026-01-01T00:00:00Z',
  },
])

const MANIFEST = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: api',
  'spec:',
  '  replicas: 2',
  '',
].join('\n')

interface World {
  readonly runtime: FakeRuntime
  readonly deps: DeployDeps
  /** In order: `helm started`, `review <resource>`, `helm through` or `helm refused: <why>`, `helm wrote`. */
  readonly events: string[]
  readonly upgrades: () => FakeExec[]
}

/** A cluster where the namespace `shop` may exist, and a helm whose first request needs the plugin. */
function world(
  options: { namespaceExists?: boolean; isAllowed?: (resource: string) => boolean } = {},
): World {
  const runtime = new FakeRuntime()
  // The rollout watch polls while helm runs, with runtime.sleep, which the fake clock resolves at once:
  // with helm held at its gate (real files, seen through fs.watch or a 25 ms timer), those polls would
  // hold the event loop for ever. A hundredth of each sleep in real time lets helm through.
  const sleep = runtime.sleep.bind(runtime)
  runtime.sleep = (ms: number) =>
    sleep(ms).then(() => new Promise<void>((resolve) => setTimeout(resolve, ms / 100)))
  const events: string[] = []
  const kube = new FakeKube()
  kube.resources = new Map(COMMON_RESOURCES)
  if (options.namespaceExists !== false) kube.existingNamespaces.add('shop')
  kube.isAllowed = (q) => {
    events.push(`review ${q.resource}`)
    return options.isAllowed?.(q.resource) ?? true
  }
  runtime.onExec = async ({ args, request }: FakeExec): Promise<ExecResult> => {
    switch (args[0] ?? '') {
      case 'version':
        return ok('v3.17.3')
      case 'history':
        return ok(history)
      case 'upgrade': {
        if (args.includes('--dry-run=server')) return ok(JSON.stringify({ manifest: MANIFEST, hooks: [] }))
        events.push('helm started')
        const gate = request.env?.[HELM_GATE_ENV]
        if (gate !== undefined) {
          try {
            await passGate(gate, Number(request.env?.[HELM_GATE_PID_ENV]))
            events.push('helm through')
          } catch (error) {
            const why = (error as Error).message
            events.push(`helm refused: ${why}`)
            return { exitCode: 1, stdout: '', stderr: `Error: getting credentials: exec: ${why}\n` }
          }
        }
        events.push('helm wrote')
        return ok('Release "api" has been upgraded. Happy Helming!\n')
      }
      case 'status':
        return ok(
          JSON.stringify({
            name: 'api',
            info: { status: 'deployed', description: 'Upgrade complete' },
            version: 2,
            namespace: 'shop',
          }),
        )
      default:
        return { exitCode: 1, stdout: '', stderr: `unexpected helm ${args.join(' ')}` }
    }
  }
  const { time, record } = phaseDeps(runtime, { timer: new PhaseTimer(runtime) })
  const deps: DeployDeps = { runtime, connectKube: () => Promise.resolve(kube), time, record }
  const upgrades = () =>
    runtime.execs.filter((exec) => exec.args[0] === 'upgrade' && !exec.args.includes('--dry-run=server'))
  return { runtime, deps, events, upgrades }
}

describe('helm started ahead of the pre-flight', () => {
  test('a healthy upgrade: helm starts before the pre-flight asks, and reaches the cluster only after it', async () => {
    const { deps, events, upgrades } = world()
    const result = await deployRelease(params(), deps)
    expect(result.failure).toBeUndefined()
    // One helm: the one started ahead, with the gate in its environment, let through.
    expect(upgrades()).toHaveLength(1)
    expect(upgrades()[0]?.request.env?.[HELM_GATE_ENV]).toBe(path.join(helmDir, 'helm-gate'))
    const started = events.indexOf('helm started')
    const through = events.indexOf('helm through')
    const lastReview = events.findLastIndex((event) => event.startsWith('review '))
    expect(started).toBeLessThan(events.findIndex((event) => event.startsWith('review ')))
    expect(through).toBeGreaterThan(lastReview)
    expect(events.at(-1)).toBe('helm wrote')
  })

  test('the pre-flight refuses: the helm started ahead never gets through, and no other is started', async () => {
    const { deps, events, upgrades } = world({ isAllowed: (resource) => resource !== 'deployments' })
    const result = await deployRelease(params(), deps)
    expect(result.failure?.message).toMatch(/deployments/)
    expect(upgrades()).toHaveLength(1)
    expect(events).not.toContain('helm wrote')
    expect(events.at(-1)).toBe(
      'helm refused: the deploy step started helm ahead of its pre-flight and stopped it: the deploy stopped before helm was to run',
    )
  })

  test('the findings change the command (a missing namespace to create): that helm is refused, the right one runs', async () => {
    const { deps, events, upgrades } = world({ namespaceExists: false })
    const result = await deployRelease(params(), deps)
    expect(result.failure).toBeUndefined()
    const [ahead, real] = upgrades()
    expect(ahead?.args).not.toContain('--create-namespace')
    expect(real?.args).toContain('--create-namespace')
    expect(real?.request.env?.[HELM_GATE_ENV]).toBeUndefined()
    expect(events.filter((event) => event.startsWith('helm ')).slice(0, 3)).toEqual([
      'helm started',
      "helm refused: the deploy step started helm ahead of its pre-flight and stopped it: the pre-flight's findings changed its command",
      'helm started',
    ])
    expect(events.at(-1)).toBe('helm wrote')
  })

  test('a local chart rendered with the step is read (its YAML parsed) only once helm has started', async () => {
    const { runtime, deps, events, upgrades } = world()
    const version = parseHelmVersion('v3.17.3')
    if (version === undefined) throw new Error('no version')
    const helm: HelmCli = { binary: 'helm', version, env: {}, runtime, timeouts: DEFAULT_HELM_TIMEOUTS }
    const headStart: DeployHeadStart = {
      helm: Promise.resolve(helm),
      helmDir: Promise.resolve(helmDir),
      rendered: () => {
        events.push('render read')
        return Promise.resolve([
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', namespace: undefined, isHook: false },
        ])
      },
      printLog: () => Promise.resolve(),
    }
    const result = await deployRelease(params(), { ...deps, headStart })
    expect(result.failure).toBeUndefined()
    expect(upgrades()).toHaveLength(1)
    expect(events.filter((event) => event === 'render read')).toHaveLength(1)
    expect(events.indexOf('helm started')).toBeLessThan(events.indexOf('render read'))
    // The pre-flight asked about the rendered objects, with no server-side dry run.
    expect(events.indexOf('render read')).toBeLessThan(
      events.findIndex((event) => event.startsWith('review ')),
    )
    expect(runtime.execs.some((exec) => exec.args.includes('--dry-run=server'))).toBe(false)
  })

  test.each<[string, Partial<DeployReleaseParams>]>([
    ['a static token in the kubeconfig (kubeconfig-auth: token)', { kubeconfigAuth: 'token' }],
    ["the job's own kubeconfig", { kubeconfigAuth: undefined, kubeconfigPath: undefined }],
    ['a credential of its own in helm-args', { spec: { ...SPEC, helmArgs: ['--kube-token', 'x'] } }],
    ['a credential of its own in HELM_KUBETOKEN', { jobEnv: { PATH: '/usr/bin', HELM_KUBETOKEN: 'x' } }],
    ['a dry run', { spec: { ...SPEC, isDryRun: true } }],
    ['skip-unchanged', { spec: { ...SPEC, shouldSkipUnchanged: true } }],
  ])('not started ahead with %s: helm starts after the pre-flight, as before', async (_, overrides) => {
    const { deps, events, upgrades } = world()
    await deployRelease(params(overrides), deps)
    expect(upgrades().every((exec) => exec.request.env?.[HELM_GATE_ENV] === undefined)).toBe(true)
    const started = events.indexOf('helm started')
    if (started !== -1) expect(started).toBeGreaterThan(events.findLastIndex((e) => e.startsWith('review ')))
  })
})

import { PhaseTimer } from '../../../../src/action/timing.js'
import { DEFAULT_HELM_TIMEOUTS, type HelmCli } from '../../../../src/helm/cli.js'
import { parseHelmVersion } from '../../../../src/helm/version.js'
import { KubeApiError, type LiveObject, type NamespaceApi } from '../../../../src/kube/kube-api.js'
import type { TeardownParams } from '../../../../src/phases/teardown/index.js'
import { tearDown } from '../../../../src/phases/teardown/uninstall.js'
import type { ExecResult } from '../../../../src/runner/runtime.js'
import { FakeRuntime } from '../../../fixtures/fake-runtime.js'

const PARAMS: TeardownParams = {
  release: 'api',
  namespace: 'pr-12',
  shouldDeleteNamespace: true,
  timeout: '5m',
  timeoutSeconds: 300,
  helm: { helmVersion: { kind: 'system' }, helmMirror: 'https://get.helm.sh', os: 'linux', arch: 'x64' },
  region: 'eu-west-1',
  jobEnv: {},
  runnerTemp: '/tmp',
}

const ok = (stdout = ''): ExecResult => ({ exitCode: 0, stdout, stderr: '' })
const history = JSON.stringify([
  {
    revision: 3,
    status: 'deployed',
    chart: 'api-1.0.0',
    app_version: '1',
    description: 'Upgrade complete',
    updated: '2026-01-01T00:00:00Z',
  },
])

/** A namespace that disappears after `pollsUntilGone` reads once deleted, as the namespace controller does it. */
class FakeNamespaces implements NamespaceApi {
  readonly calls: string[] = []
  private deletedAt: number | undefined
  constructor(
    private exists = true,
    private readonly pollsUntilGone = 2,
    private readonly refusal?: KubeApiError,
  ) {}
  namespaceExists(namespace: string): Promise<boolean> {
    this.calls.push(`exists ${namespace}`)
    if (this.deletedAt !== undefined && this.calls.length - this.deletedAt > this.pollsUntilGone)
      this.exists = false
    return Promise.resolve(this.exists)
  }
  contents: LiveObject[] = []
  listObjects(_apiVersion: string, kind: string): Promise<readonly LiveObject[]> {
    return Promise.resolve(this.contents.filter((object) => object.kind === kind))
  }
  deleteNamespace(namespace: string): Promise<void> {
    this.calls.push(`delete ${namespace}`)
    if (this.refusal !== undefined) return Promise.reject(this.refusal)
    this.deletedAt = this.calls.length
    return Promise.resolve()
  }
}

function helmOf(runtime: FakeRuntime, version: string, answers: Record<string, ExecResult>): HelmCli {
  runtime.onExec = ({ args }) =>
    answers[args[0] ?? ''] ?? { exitCode: 1, stdout: '', stderr: `unexpected ${args.join(' ')}` }
  return {
    binary: 'helm',
    version: parseHelmVersion(version)!,
    env: { KUBECONFIG: '/k' },
    runtime,
    timeouts: DEFAULT_HELM_TIMEOUTS,
  }
}

async function run(
  version: string,
  answers: Record<string, ExecResult>,
  namespaces = new FakeNamespaces(),
  params = PARAMS,
) {
  const runtime = new FakeRuntime()
  const timer = new PhaseTimer(runtime)
  const helm = helmOf(runtime, version, answers)
  const result = await tearDown(helm, params, {
    time: (name, fn, hasFailed) => timer.time(name, fn, hasFailed === undefined ? {} : { hasFailed }),
    connectKube: () => Promise.resolve(namespaces),
  })
  return { result, runtime, timer, namespaces }
}

const UNINSTALLED = ok('release "api" uninstalled\n')

test.each([
  ['v3.17.3', '--wait'],
  ['v4.1.4', '--wait=watcher'],
])('helm %s: uninstall waits (%s), then the namespace is deleted and gone', async (version, wait) => {
  const { result, runtime, timer, namespaces } = await run(version, {
    history: ok(history),
    uninstall: UNINSTALLED,
    list: ok('[]'),
  })
  expect(result).toEqual({
    helmVersion: version,
    release: 'api',
    namespace: 'pr-12',
    previousRevision: 3,
    isUninstalled: true,
    namespaceOutcome: 'deleted',
    failure: undefined,
  })
  const uninstall = runtime.execs.find((exec) => exec.args[0] === 'uninstall')
  expect(uninstall?.args).toEqual(['uninstall', 'api', '--namespace', 'pr-12', wait, '--timeout', '5m'])
  expect(uninstall?.request.shouldForwardSignals).toBe(true)
  expect(runtime.execs.find((exec) => exec.args[0] === 'list')?.args).toEqual([
    'list',
    '--namespace',
    'pr-12',
    '--deployed',
    '--failed',
    '--pending',
    '--superseded',
    '--uninstalling',
    '--output',
    'json',
  ])
  expect(runtime.logs).toContain('relay: release "api" uninstalled\n')
  expect(namespaces.calls).toEqual([
    'exists pr-12',
    'delete pr-12',
    'exists pr-12',
    'exists pr-12',
    'exists pr-12',
    'exists pr-12',
  ])
  expect(runtime.sleeps.length).toBeGreaterThan(0)
  expect(timer.spans.map((span) => [span.name, span.isFailed])).toEqual([
    ['helm uninstall', false],
    ['delete namespace', false],
  ])
})

test('a release that does not exist is a notice; the namespace is still deleted', async () => {
  const notFound = { exitCode: 1, stdout: '', stderr: 'Error: release: not found\n' }
  const { result, runtime } = await run('v4.1.4', { history: notFound, list: ok('[]') })
  expect(result).toMatchObject({
    previousRevision: undefined,
    isUninstalled: false,
    namespaceOutcome: 'deleted',
    failure: undefined,
  })
  expect(runtime.logs).toContain(
    'notice: Release api does not exist in namespace pr-12: nothing to uninstall.',
  )
  expect(runtime.execs.map((exec) => exec.args[0])).not.toContain('uninstall')
})

test('a namespace that does not exist is a notice', async () => {
  const { result, runtime } = await run(
    'v4.1.4',
    { history: ok(history), uninstall: UNINSTALLED, list: ok('[]') },
    new FakeNamespaces(false),
  )
  expect(result).toMatchObject({ isUninstalled: true, namespaceOutcome: 'absent', failure: undefined })
  expect(runtime.logs).toContain('notice: Namespace pr-12 does not exist: nothing to delete.')
})

test('a namespace holding other releases is kept, and the step fails naming them', async () => {
  const others = ok(
    JSON.stringify([
      { name: 'redis', namespace: 'pr-12', status: 'deployed' },
      { name: 'api', status: 'uninstalling' },
    ]),
  )
  const { result, namespaces } = await run('v4.1.4', {
    history: ok(history),
    uninstall: UNINSTALLED,
    list: others,
  })
  expect(result).toMatchObject({ isUninstalled: true, namespaceOutcome: 'kept' })
  expect(result.failure?.message).toBe(
    'delete-namespace: namespace pr-12 still holds helm release redis, so it was not deleted.',
  )
  expect(namespaces.calls).toEqual([])
})

test('a refused deletion (RBAC) fails with what the identity needs', async () => {
  const refusal = new KubeApiError(
    403,
    'Forbidden',
    'Could not delete namespace pr-12: namespaces "pr-12" is forbidden (HTTP 403)',
  )
  const { result } = await run(
    'v4.1.4',
    { history: ok(history), uninstall: UNINSTALLED, list: ok('[]') },
    new FakeNamespaces(true, 1, refusal),
  )
  expect(result.namespaceOutcome).toBe('kept')
  expect(result.failure?.message).toContain(
    'delete-namespace: could not delete namespace pr-12: Could not delete namespace pr-12: namespaces "pr-12" is forbidden (HTTP 403)',
  )
  expect(result.failure?.hint).toContain('AmazonEKSClusterAdminPolicy')
})

test('a namespace still terminating at the timeout is a warning, not a failure', async () => {
  const params = { ...PARAMS, timeout: '3s', timeoutSeconds: 3 }
  const { result, runtime } = await run(
    'v4.1.4',
    { history: ok(history), uninstall: UNINSTALLED, list: ok('[]') },
    new FakeNamespaces(true, 1_000),
    params,
  )
  expect(result).toMatchObject({ namespaceOutcome: 'terminating', failure: undefined })
  expect(runtime.logs).toContain(
    'warning: Namespace pr-12 is still terminating after 3s: Kubernetes goes on deleting it.',
  )
  expect(runtime.sleeps.reduce((a, b) => a + b, 0)).toBe(3_000)
})

test('a failed uninstall fails the step and leaves the namespace alone', async () => {
  const failed = {
    exitCode: 1,
    stdout: '',
    stderr: 'Error: uninstall: timed out waiting for the condition\n',
  }
  const { result, namespaces } = await run('v4.1.4', { history: ok(history), uninstall: failed })
  expect(result).toMatchObject({ isUninstalled: false, namespaceOutcome: 'kept' })
  expect(result.failure?.message).toBe(
    'helm uninstall of release api in namespace pr-12 failed (exit code 1): uninstall: timed out waiting for the condition',
  )
  expect(namespaces.calls).toEqual([])
})

test('without delete-namespace the namespace is kept', async () => {
  const { result, namespaces } = await run(
    'v4.1.4',
    { history: ok(history), uninstall: UNINSTALLED },
    new FakeNamespaces(),
    { ...PARAMS, shouldDeleteNamespace: false },
  )
  expect(result).toMatchObject({ isUninstalled: true, namespaceOutcome: 'kept', failure: undefined })
  expect(namespaces.calls).toEqual([])
})

const live = (kind: string, name: string, more: Partial<LiveObject> = {}): LiveObject => ({
  kind,
  name,
  labels: {},
  annotations: {},
  isOwned: false,
  ...more,
})

test('delete-namespace refuses a namespace holding another release (any storage driver) or objects helm did not make, naming them', async () => {
  const namespaces = new FakeNamespaces()
  namespaces.contents = [
    live('Secret', 'sh.helm.release.v1.cache.v1', { labels: { owner: 'helm', name: 'cache' } }),
    live('ConfigMap', 'old.v4', { labels: { OWNER: 'TILLER', NAME: 'legacy' } }),
    live('ConfigMap', 'sh.helm.release.v1.cm.v1', { labels: { owner: 'helm', name: 'cm' } }),
    live('ConfigMap', 'settings', {
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    }),
    // Kubernetes' own, and what goes with its owner or with this release: never a reason to keep.
    live('ConfigMap', 'kube-root-ca.crt'),
    live('ServiceAccount', 'default'),
    live('Secret', 'default-token-abc', {
      type: 'kubernetes.io/service-account-token',
      annotations: { 'kubernetes.io/service-account.name': 'default' },
    }),
    live('Pod', 'api-7d9-x', { isOwned: true }),
    live('Deployment', 'api', { annotations: { 'meta.helm.sh/release-name': 'api' } }),
  ]
  const { result } = await run(
    'v3.17.3',
    { history: ok(history), uninstall: UNINSTALLED, list: ok('[]') },
    namespaces,
  )
  expect(result.namespaceOutcome).toBe('kept')
  expect(result.failure?.message).toBe(
    'delete-namespace: namespace pr-12 still holds helm releases cache (Secret storage), cm (ConfigMap storage), legacy (ConfigMap storage); and objects helm did not make for this release: ConfigMap/settings, so it was not deleted.',
  )
  expect(namespaces.calls.some((call) => call.startsWith('delete'))).toBe(false)
})

test('delete-namespace deletes a namespace that holds only what Kubernetes makes in every namespace', async () => {
  const namespaces = new FakeNamespaces()
  namespaces.contents = [live('ConfigMap', 'kube-root-ca.crt'), live('ServiceAccount', 'default')]
  const { result } = await run(
    'v4.1.4',
    { history: ok(history), uninstall: UNINSTALLED, list: ok('[]') },
    namespaces,
  )
  expect(result.namespaceOutcome).toBe('deleted')
})

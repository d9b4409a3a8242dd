import { rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { CLEANUP_STATE_NAME } from '../../../../src/action/cleanup.js'
import { run, type DeployEarlier, type DeployParams } from '../../../../src/phases/deploy/index.js'
import type { ExecResult } from '../../../../src/runner/runtime.js'
import { FakeRuntime, type FakeExec } from '../../../fixtures/fake-runtime.js'
import { phaseDeps } from '../../../fixtures/phase-deps.js'
import { releaseSpec } from '../../../fixtures/release-spec.js'

// Phase deploy's entry, as action/run.ts calls it: what it makes of the earlier phases' results
// (the helm directory, helm's environment, the image) and what it returns. helm is scripted.

const { chart, ...spec } = releaseSpec()
const PARAMS: DeployParams = {
  spec,
  source: { kind: 'chart', chart },
  helm: { helmVersion: { kind: 'system' }, helmMirror: 'https://get.helm.sh', os: 'linux', arch: 'x64' },
  region: 'eu-west-1',
  jobEnv: { PATH: '/usr/bin', KUBECONFIG: '/job/kubeconfig', INPUT_RELEASE: 'api' },
  runnerTemp: os.tmpdir(),
}
const EARLIER: DeployEarlier = {
  credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret-key', sessionToken: 'session-token' },
  image: {
    registry: '111122223333.dkr.ecr.eu-west-1.amazonaws.com',
    name: 'shop/api',
    tag: '1234567',
    digest: undefined,
  },
  dockerConfigDir: '/tmp/docker-config',
  kubeconfigPath: '/tmp/kubeconfig',
  cluster: undefined,
}

const ok = (stdout = ''): ExecResult => ({ exitCode: 0, stdout, stderr: '' })
const entry = (revision: number, status: string) => ({
  revision,
  status,
  chart: 'api-1.2.0',
  app_version: '2.0',
  description: status === 'deployed' ? 'Upgrade complete' : 'Install complete',
  updated: '2026-01-01T00:00:00Z',
})

/** helm 4 with release api at revision 1, upgraded to 2. */
function scriptedHelm(runtime: FakeRuntime): void {
  let upgraded = false
  runtime.onExec = ({ args }: FakeExec): ExecResult => {
    switch (args[0] ?? '') {
      case 'version':
        return ok('v4.1.4')
      case 'upgrade':
        upgraded = true
        return ok('Release "api" has been upgraded.\n')
      case 'history':
        return ok(
          JSON.stringify(upgraded ? [entry(1, 'superseded'), entry(2, 'deployed')] : [entry(1, 'deployed')]),
        )
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
}

const created: string[] = []
afterEach(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

test('a chart deploy: helm in a private directory, with the earlier phases in its environment and argv', async () => {
  const runtime = new FakeRuntime()
  scriptedHelm(runtime)
  const result = await run(PARAMS, phaseDeps(runtime), EARLIER)

  const cleanup = JSON.parse(runtime.state[CLEANUP_STATE_NAME] ?? '{}') as { paths?: string[] }
  const [helmDir] = cleanup.paths ?? []
  expect(helmDir).toBeDefined()
  created.push(helmDir!)
  expect(path.dirname(helmDir!)).toBe(os.tmpdir())

  const upgrade = runtime.execs.find((exec) => exec.args[0] === 'upgrade')!
  expect(upgrade.request.env).toMatchObject({
    KUBECONFIG: '/tmp/kubeconfig',
    DOCKER_CONFIG: '/tmp/docker-config',
    HELM_REGISTRY_CONFIG: path.join(helmDir!, 'registry', 'config.json'),
    AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret-key',
    AWS_SESSION_TOKEN: 'session-token',
    PATH: '/usr/bin',
  })
  expect(upgrade.request.env).not.toHaveProperty('INPUT_RELEASE')
  expect(upgrade.args).toEqual(
    expect.arrayContaining([
      'api',
      './charts/api',
      '--namespace',
      'shop',
      'image.repository=111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/api',
      'image.tag=1234567',
    ]),
  )
  expect(result).toMatchObject({
    helmVersion: 'v4.1.4',
    release: 'api',
    namespace: 'shop',
    previousRevision: 1,
    isRolledBack: false,
    state: { revision: 2, status: 'deployed' },
  })
  expect(result.failure).toBeUndefined()
})

test('without earlier phases helm uses the job kubeconfig and gets no image values', async () => {
  const runtime = new FakeRuntime()
  scriptedHelm(runtime)
  await run(PARAMS, phaseDeps(runtime), {
    credentials: undefined,
    image: undefined,
    dockerConfigDir: undefined,
    kubeconfigPath: undefined,
    cluster: undefined,
  })
  const cleanup = JSON.parse(runtime.state[CLEANUP_STATE_NAME] ?? '{}') as { paths?: string[] }
  created.push(...(cleanup.paths ?? []))
  const upgrade = runtime.execs.find((exec) => exec.args[0] === 'upgrade')!
  expect(upgrade.request.env?.KUBECONFIG).toBe('/job/kubeconfig')
  expect(upgrade.request.env).not.toHaveProperty('DOCKER_CONFIG')
  expect(upgrade.args.join(' ')).not.toContain('image.repository=')
})

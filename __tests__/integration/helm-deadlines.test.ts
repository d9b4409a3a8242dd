import { promises as fs } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { deployRelease } from '../../src/phases/deploy/release.js'
import { createActionsRuntime } from '../../src/runner/actions-runtime.js'
import { ROOT } from '../fixtures/action-runner.js'
import { describeWithHelm, fixtureHelmBinary } from '../fixtures/helm-release.js'
import { releaseSpec } from '../fixtures/release-spec.js'
import { RealClockRuntime } from '../fixtures/real-clock-runtime.js'

/**
 * A Kubernetes API server that accepts connections and never answers: real helm waits for it for
 * ever (it has no request timeout). The deploy must end within its injected budget and say why.
 */
// The budget also bounds `helm version`, which runs first and talks to no server: 1 s was less than
// a loaded machine can take to start helm (it was cut instead of `helm history`).
const QUERY_MS = 5_000
const SLACK_MS = 3_000

describeWithHelm('helm and a silent API server (real helm)', () => {
  let server: net.Server
  const sockets = new Set<net.Socket>()
  let dir: string
  let kubeconfig: string
  let binDir: string

  beforeAll(async () => {
    server = net.createServer((socket) => {
      sockets.add(socket)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as net.AddressInfo
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'helm-deadlines-'))
    kubeconfig = path.join(dir, 'kubeconfig')
    await fs.writeFile(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        `clusters: [{name: silent, cluster: {server: "http://127.0.0.1:${port}"}}]`,
        'users: [{name: u, user: {token: not-a-secret}}]',
        'contexts: [{name: silent, context: {cluster: silent, user: u}}]',
        'current-context: silent',
        '',
      ].join('\n'),
      { mode: 0o600 },
    )
    binDir = path.join(dir, 'bin')
    await fs.mkdir(binDir)
    await fs.symlink(await fixtureHelmBinary('v4.1.4'), path.join(binDir, 'helm'))
  })
  afterAll(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => server.close(resolve))
    await fs.rm(dir, { recursive: true, force: true })
  })

  test('the first read is stopped at its deadline; the deploy fails naming it, and no helm is left running', async () => {
    const runtime = new RealClockRuntime()
    const real = createActionsRuntime()
    const helms: number[] = []
    runtime.exec = async (command, args, request) => {
      const result = await real.exec(command, args, request)
      helms.push(result.exitCode)
      return result
    }
    const started = Date.now()
    const error = await deployRelease(
      {
        spec: releaseSpec({
          release: 'demo',
          chart: { kind: 'path', path: path.join(ROOT, '__tests__/fixtures/charts/demo') },
        }),
        helmVersion: { kind: 'system' },
        helmMirror: 'https://get.helm.sh',
        os: 'linux',
        arch: 'x64',
        jobEnv: { PATH: `${binDir}:${process.env.PATH ?? ''}`, HOME: dir },
        extraEnv: {},
        kubeconfigPath: kubeconfig,
      },
      {
        runtime,
        timeouts: { queryMs: QUERY_MS, upgradeGraceMs: 60_000 },
        connectKube: () => Promise.reject(new Error('no Kubernetes API in this test')),
        time: (_name, fn) => fn(),
        record: () => {},
      },
    ).catch((e: unknown) => e)
    const elapsed = Date.now() - started
    expect((error as Error).message).toBe(
      'helm history demo did not end within 5.0 s and was stopped: the Kubernetes API server it talks to accepted the connection but did not answer.',
    )
    expect(elapsed).toBeGreaterThanOrEqual(QUERY_MS)
    expect(elapsed).toBeLessThan(2 * QUERY_MS + SLACK_MS)
    // `helm version` answered; `helm history` was stopped by SIGTERM (Go's default: exit at once).
    expect(helms).toEqual([0, 128])
  })
})

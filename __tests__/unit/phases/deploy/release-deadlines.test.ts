import type { ExecResult } from '../../../../src/runner/runtime.js'
import { deployRelease, type DeployReleaseParams } from '../../../../src/phases/deploy/release.js'
import { DEFAULT_HELM_TIMEOUTS } from '../../../../src/helm/cli.js'
import { FakeRuntime, type FakeExec } from '../../../fixtures/fake-runtime.js'
import { releaseSpec } from '../../../fixtures/release-spec.js'

/** helm has no request timeout of its own: every command it runs gets a deadline of ours. */
const params = (timeoutSeconds = 300): DeployReleaseParams => ({
  spec: releaseSpec({ timeout: `${timeoutSeconds}s`, timeoutSeconds }),
  helmVersion: { kind: 'system' },
  helmMirror: 'https://get.helm.sh',
  os: 'linux',
  arch: 'x64',
  jobEnv: { PATH: '/usr/bin' },
  extraEnv: {},
})

const noKube = (): Promise<never> => Promise.reject(new Error('no Kubernetes API in this test'))
/** No timeline in these tests: each part just runs. */
const untimed = { time: <T>(_name: string, fn: () => Promise<T>): Promise<T> => fn(), record: (): void => {} }
const answered = (stdout: string): ExecResult => ({ exitCode: 0, stdout, stderr: '' })
const notFound: ExecResult = { exitCode: 1, stdout: '', stderr: 'Error: release: not found\n' }

/** What helm is asked: `upgrade` is the real one, `render` the dry run for the rollout watch. */
const commandOf = (args: readonly string[]): string =>
  args[0] === 'upgrade' && args.some((arg) => arg.startsWith('--dry-run')) ? 'render' : (args[0] ?? '')

/** A helm that hangs on `hangOn` until our deadline stops it (exit 143, as after SIGTERM). */
function hangingHelm(runtime: FakeRuntime, hangOn: string): void {
  runtime.onExec = ({ args, request }: FakeExec) => {
    const command = commandOf(args)
    if (command === 'version') return answered('v4.1.4')
    if (command !== hangOn) return command === 'upgrade' || command === 'render' ? answered('') : notFound
    return new Promise((resolve) => {
      request.stop?.addEventListener('abort', () => {
        resolve({ exitCode: 143, stdout: '', stderr: '' })
      })
    })
  }
}

describe('helm deadlines', () => {
  test('every helm command carries a deadline', async () => {
    const runtime = new FakeRuntime()
    hangingHelm(runtime, 'nothing')
    await deployRelease(params(), { runtime, connectKube: noKube, ...untimed })
    expect(runtime.execs.map((exec) => [commandOf(exec.args), exec.request.stop?.aborted])).toEqual([
      ['version', false],
      ['history', false],
      ['render', false],
      ['upgrade', false],
      ['history', false],
    ])
  })

  test('a query the API server never answers is stopped, and the deploy fails saying so', async () => {
    const runtime = new FakeRuntime()
    hangingHelm(runtime, 'history')
    const timeouts = { ...DEFAULT_HELM_TIMEOUTS, queryMs: 20 }
    await expect(
      deployRelease(params(), { runtime, timeouts, connectKube: noKube, ...untimed }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(
        /^helm history api did not end within 0.0 s and was stopped: the Kubernetes API server it talks to accepted the connection but did not answer\.$/,
      ),
      hint: expect.stringContaining("reaches the cluster's endpoint"),
    })
    expect(runtime.execs.map((exec) => exec.args[0])).toEqual(['version', 'history'])
  })

  test('an upgrade that outlasts its --timeout plus the grace is stopped', async () => {
    const runtime = new FakeRuntime()
    hangingHelm(runtime, 'upgrade')
    const timeouts = { queryMs: 60_000, upgradeGraceMs: 20 }
    await expect(
      deployRelease(params(0.01), { runtime, timeouts, connectKube: noKube, ...untimed }),
    ).rejects.toThrow(
      /^helm upgrade --install api \(timeout 0\.01s\) did not end within 0.0 s and was stopped/,
    )
    expect(runtime.execs.at(-1)?.request).toMatchObject({ shouldForwardSignals: true })
  })

  test('the default budgets: 60 s for a read, the --timeout plus 60 s for the upgrade', () => {
    expect(DEFAULT_HELM_TIMEOUTS).toEqual({ queryMs: 60_000, upgradeGraceMs: 60_000 })
  })
})

import path from 'node:path'
import { ACTION_NODE, makeRunnerFiles, ROOT, runAction, type RunnerFiles } from '../fixtures/action-runner.js'
import { startStalledEndpoint, type CredentialEndpoint } from '../fixtures/credential-endpoints.js'
import { runProcess } from '../fixtures/run-process.js'

// Long enough that a process that gave up on its own is never cut by the test; the old build hung
// here until this killed it.
const HUNG_MS = 90_000
const TOKEN = path.join(ROOT, 'dist/token/index.js')

/** The environment kubectl or helm gives the token plugin on a runner whose identity is ambient. */
function pluginEnv(files: RunnerFiles, extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: files.home,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  }
}

describe('every wait on a credentials source is bounded, in every process (bundled action and plugin)', () => {
  let silent: CredentialEndpoint
  let drip: CredentialEndpoint
  let files: RunnerFiles & { cleanup(): Promise<void> }
  beforeAll(async () => {
    ;[silent, drip, files] = await Promise.all([
      startStalledEndpoint('silent'),
      startStalledEndpoint('drip'),
      makeRunnerFiles(),
    ])
  })
  afterAll(async () => {
    await Promise.all([silent.stop(), drip.stop(), files.cleanup()])
  })
  const endpoints = () => ({ silent, drip })

  test.concurrent.each(['silent', 'drip'] as const)(
    'the token plugin, a %s container credentials endpoint: exit 1 naming it, not a hang',
    async (mode) => {
      const url = `${endpoints()[mode].url}/v1/credentials`
      const env = pluginEnv(files, { AWS_CONTAINER_CREDENTIALS_FULL_URI: url })
      const run = await runProcess(
        ACTION_NODE,
        [TOKEN, '--cluster-name', 'c', '--region', 'eu-west-1'],
        env,
        HUNG_MS,
      )
      expect(run.exitCode).toBe(1)
      expect(run.stdout).toBe('')
      expect(run.stderr).toContain(
        `the container credentials endpoint of EKS Pod Identity or ECS (AWS_CONTAINER_CREDENTIALS_FULL_URI) (${url}) gave no complete answer within 2`,
      )
      expect(run.stderr).toContain('eks-pod-identity-agent')
      expect(endpoints()[mode].requests.length).toBeGreaterThan(0)
    },
  )

  test.concurrent.each(['silent', 'drip'] as const)(
    'phase auth with role-chaining, a %s container credentials endpoint: fails inside its budget, naming it',
    async (mode) => {
      const url = `${endpoints()[mode].url}/v1/credentials`
      const run = await runAction({
        files,
        inputs: {
          phases: 'auth',
          'role-to-assume': 'arn:aws:iam::123456789012:role/deploy',
          'aws-region': 'eu-west-1',
          'role-chaining': 'true',
        },
        // Nothing listens there: the credentials must fail first.
        env: {
          AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9',
          AWS_CONTAINER_CREDENTIALS_FULL_URI: url,
          AWS_EC2_METADATA_DISABLED: 'true',
        },
        timeoutMs: HUNG_MS,
      })
      expect(run.exitCode).toBe(1)
      expect(run.stdout).toMatch(
        new RegExp(
          `^::error::role-chaining: the job's current AWS credentials, to assume arn:aws:iam::123456789012:role/deploy with, did not arrive: the container credentials endpoint of EKS Pod Identity or ECS \\(AWS_CONTAINER_CREDENTIALS_FULL_URI\\) \\(${url.replace(/[.?]/g, '\\$&')}\\) gave no complete answer within 2\\d\\.\\d s`,
          'm',
        ),
      )
      expect(run.exportedEnv).toEqual({})
    },
  )
})

describe('the token plugin refuses what cannot make a valid token (bundled plugin)', () => {
  let files: RunnerFiles & { cleanup(): Promise<void> }
  beforeAll(async () => {
    files = await makeRunnerFiles()
  })
  afterAll(async () => {
    await files.cleanup()
  })
  const plugin = (extra: Record<string, string>) =>
    runProcess(ACTION_NODE, [TOKEN, '--cluster-name', 'c', '--region', 'eu-west-1'], pluginEnv(files, extra))

  test('a secret key of only whitespace: exit 1 and why, no token signed with it', async () => {
    const run = await plugin({ AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE', AWS_SECRET_ACCESS_KEY: ' \t' })
    expect(run).toMatchObject({ exitCode: 1, stdout: '' })
    expect(run.stderr).toMatch(
      /^eks-deploy-action token plugin: AWS_SECRET_ACCESS_KEY is set to only whitespace .* could not be verified/,
    )
  })

  test('keys whose session has ended (AWS_CREDENTIAL_EXPIRATION, as the action exports it): says so', async () => {
    const run = await plugin({
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'session',
      AWS_CREDENTIAL_EXPIRATION: new Date(Date.now() - 60_000).toISOString(),
    })
    expect(run).toMatchObject({ exitCode: 1, stdout: '' })
    expect(run.stderr).toMatch(
      /credentials in the environment \(AWS_CREDENTIAL_EXPIRATION\) expired at .*: their session has ended/,
    )
  })
})

describe('durations (bundled action)', () => {
  let files: RunnerFiles & { cleanup(): Promise<void> }
  beforeAll(async () => {
    files = await makeRunnerFiles()
  })
  afterAll(async () => {
    await files.cleanup()
  })

  test('timeout: 1ns is refused with the reason, before any call, not an internal error', async () => {
    const run = await runAction({
      files,
      inputs: {
        'aws-region': 'eu-west-1',
        release: 'api',
        chart: './c',
        timeout: '1ns',
        'helm-version': 'system',
      },
      env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', KUBECONFIG: path.join(files.dir, 'none') },
    })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::Invalid input:%0A- Input 'timeout': is shorter than 1s/m)
    expect(run.stdout).not.toContain('out of range')
  })
})

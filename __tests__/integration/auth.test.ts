import {
  expectSecretsMasked,
  makeRunnerFiles,
  runAction,
  runPost,
  type RunnerFiles,
} from '../fixtures/action-runner.js'
import { describeWithMoto, startMoto, type MotoServer } from '../fixtures/moto.js'
import { startOidcServer, type OidcServer } from '../fixtures/oidc-server.js'

const ROLE = 'arn:aws:iam::123456789012:role/deploy'

describeWithMoto('phase auth, bundled action against moto_server', () => {
  let moto: MotoServer
  let oidc: OidcServer
  let files: RunnerFiles & { cleanup(): Promise<void> }

  beforeAll(async () => {
    ;[moto, oidc] = await Promise.all([startMoto(), startOidcServer()])
  })
  afterAll(async () => {
    await Promise.all([moto.stop(), oidc.stop()])
  })
  beforeEach(async () => {
    files = await makeRunnerFiles()
  })
  afterEach(async () => {
    await files.cleanup()
  })

  const oidcEnv = (): Record<string, string> => ({
    ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
    AWS_ENDPOINT_URL_STS: moto.url,
  })

  test('assumes the role, writes outputs and exported credentials, masks every secret', async () => {
    const issuedBefore = oidc.issued.length
    const run = await runAction({
      files,
      inputs: { 'role-to-assume': ROLE, 'aws-region': 'eu-west-1' },
      env: oidcEnv(),
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['aws-account-id']).toBe('123456789012')
    expect(run.outputs['aws-session-arn']).toBe(
      'arn:aws:sts::123456789012:assumed-role/deploy/gha-octo-org.octo-repo-4242-1',
    )
    expect(Date.parse(run.outputs['aws-credentials-expiration'] ?? '')).toBeGreaterThan(Date.now())
    expect(run.exportedEnv.AWS_ACCESS_KEY_ID).toMatch(/^[A-Z0-9]{16,}$/)
    expect(run.exportedEnv.AWS_REGION).toBe('eu-west-1')
    expect(run.exportedEnv.AWS_DEFAULT_REGION).toBe('eu-west-1')
    // The session's end goes with the keys, so a later step's token plugin never signs past it.
    expect(run.exportedEnv.AWS_CREDENTIAL_EXPIRATION).toBe(run.outputs['aws-credentials-expiration'])
    expect(oidc.requests.at(-1)).toEqual({ audience: 'sts.amazonaws.com', authorized: true })
    const jwt = oidc.issued.slice(issuedBefore)
    expect(jwt).toHaveLength(1)
    const secrets = [
      ...jwt,
      oidc.requestToken,
      run.exportedEnv.AWS_ACCESS_KEY_ID ?? '',
      run.exportedEnv.AWS_SECRET_ACCESS_KEY ?? '',
      run.exportedEnv.AWS_SESSION_TOKEN ?? '',
    ]
    expect(run.masks).toEqual(expect.arrayContaining(secrets))
    expectSecretsMasked(run, secrets)
    expect(run.summary).toContain(ROLE)

    const post = await runPost({ files, state: run.state })
    expect(post.exitCode).toBe(0)
  })

  test('masks the account id when asked, everywhere including the summary', async () => {
    const run = await runAction({
      files,
      inputs: { 'role-to-assume': ROLE, 'aws-region': 'eu-west-1', 'mask-aws-account-id': 'true' },
      env: oidcEnv(),
    })
    expect(run.exitCode).toBe(0)
    expect(run.masks).toContain('123456789012')
    expect(run.summary).not.toContain('123456789012')
    const lines = run.stdout.split('\n')
    expect(lines.indexOf('::add-mask::123456789012')).toBe(
      lines.findIndex((line) => line.includes('123456789012')),
    )
    expect(lines.filter((line) => line === '::add-mask::123456789012')).toHaveLength(1)
  })

  test('without id-token permission: says so and shows the YAML, before any AWS call', async () => {
    const run = await runAction({
      files,
      inputs: { 'role-to-assume': ROLE, 'aws-region': 'eu-west-1' },
      env: { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain('ACTIONS_ID_TOKEN_REQUEST_URL')
    expect(run.stdout).toContain('id-token: write')
    expect(run.stdout).toContain('reusable workflow')
    expect(run.stdout).toContain('forks')
    expect(run.outputs).toEqual({})
  })

  test('retries an OIDC endpoint that fails twice, with a fresh token request each time', async () => {
    const before = oidc.requests.length
    oidc.failNext(2, 503)
    const run = await runAction({
      files,
      inputs: { 'role-to-assume': ROLE, 'aws-region': 'eu-west-1' },
      env: oidcEnv(),
    })
    expect(run.exitCode).toBe(0)
    expect(oidc.requests.length - before).toBe(3)
    expect(run.outputs['aws-account-id']).toBe('123456789012')
  })

  test('STS unreachable: fails within the retry budget with a clear error', async () => {
    const run = await runAction({
      files,
      inputs: { 'role-to-assume': ROLE, 'aws-region': 'eu-west-1' },
      env: { ...oidcEnv(), AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.durationMs).toBeLessThan(40_000)
    expect(run.stdout).toMatch(
      /Could not assume arn:aws:iam::123456789012:role\/deploy: STS kept failing, gave up after 5 attempts/,
    )
    expect(run.stdout).toContain('ECONNREFUSED')
  })

  test('a malformed role ARN fails before any network call, naming the input and value', async () => {
    const before = oidc.requests.length
    const run = await runAction({
      files,
      inputs: { 'role-to-assume': 'deploy-role', 'aws-region': 'eu-west-1' },
      env: oidcEnv(),
    })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain("Input 'role-to-assume'")
    expect(run.stdout).toContain("Received: 'deploy-role'")
    expect(oidc.requests.length).toBe(before)
  })
})

import {
  expectNeverPrinted,
  expectSecretsMasked,
  makeRunnerFiles,
  runAction,
  type RunnerFiles,
} from '../fixtures/action-runner.js'
import {
  startImds,
  type CredentialEndpoint,
  type ServedCredentials,
} from '../fixtures/credential-endpoints.js'
import { describeWithMoto, startMoto, type MotoServer } from '../fixtures/moto.js'
import { motoSession } from '../fixtures/moto-credentials.js'
import { startOidcServer, type OidcServer } from '../fixtures/oidc-server.js'
import { startStsProxy, type StsProxy } from '../fixtures/sts-proxy.js'

const DEPLOY_ROLE = 'arn:aws:iam::123456789012:role/deploy'
const RUNNER_ROLE = 'arn:aws:iam::123456789012:role/runner-instance-role'
// STS's text when it could not fetch the identity provider's keys in time (configure-aws-credentials #299).
const VERIFICATION_KEY =
  "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements"

describeWithMoto('phase auth on a runner under load, and from its own identity (bundled action)', () => {
  let moto: MotoServer
  let oidc: OidcServer
  let sts: StsProxy
  let imds: CredentialEndpoint
  let instance: ServedCredentials
  let files: RunnerFiles & { cleanup(): Promise<void> }

  beforeAll(async () => {
    ;[moto, oidc] = await Promise.all([startMoto(), startOidcServer()])
    sts = await startStsProxy(moto.url)
    instance = await motoSession(moto.url, RUNNER_ROLE)
    imds = await startImds(instance)
  })
  afterAll(async () => {
    await Promise.all([sts.stop(), imds.stop()])
    await Promise.all([moto.stop(), oidc.stop()])
  })
  beforeEach(async () => {
    files = await makeRunnerFiles()
    sts.calls.length = 0
  })
  afterEach(async () => {
    await files.cleanup()
  })

  const auth = (inputs: Record<string, string>, env: Record<string, string>) =>
    runAction({
      files,
      inputs: { phases: 'auth', 'role-to-assume': DEPLOY_ROLE, 'aws-region': 'eu-west-1', ...inputs },
      env: { AWS_ENDPOINT_URL_STS: sts.url, ...env },
    })
  const withOidc = () => ({
    ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
  })

  test('STS cannot retrieve the verification key twice: the third attempt, with a fresh ID token, succeeds', async () => {
    sts.failNext('AssumeRoleWithWebIdentity', 2, { code: 'InvalidIdentityToken', message: VERIFICATION_KEY })
    const issuedBefore = oidc.issued.length
    const run = await auth({}, withOidc())
    expect(run.exitCode).toBe(0)
    expect(sts.calls.map((call) => [call.action, call.answer])).toEqual([
      ['AssumeRoleWithWebIdentity', 'InvalidIdentityToken'],
      ['AssumeRoleWithWebIdentity', 'InvalidIdentityToken'],
      ['AssumeRoleWithWebIdentity', 'forwarded'],
    ])
    const tokens = oidc.issued.slice(issuedBefore)
    expect(new Set(tokens).size).toBe(3)
    expect(
      run.stdout.match(
        /^::warning::Attempt \d failed \(InvalidIdentityTokenException: Couldn't retrieve verification key/gm,
      ),
    ).toHaveLength(2)
    expect(run.outputs['aws-session-arn']).toMatch(/:assumed-role\/deploy\//)
    expectSecretsMasked(run, [...tokens, run.exportedEnv.AWS_SECRET_ACCESS_KEY ?? ''])
  })

  test('an InvalidIdentityToken that is about the token itself fails at once', async () => {
    sts.failNext('AssumeRoleWithWebIdentity', 1, {
      code: 'InvalidIdentityToken',
      message: 'Incorrect token audience',
    })
    const run = await auth({}, withOidc())
    expect(run.exitCode).toBe(1)
    expect(sts.calls).toHaveLength(1)
    expect(run.stdout).toContain(
      'STS AssumeRoleWithWebIdentity for arn:aws:iam::123456789012:role/deploy failed: InvalidIdentityTokenException: Incorrect token audience',
    )
  })

  test("role-chaining from an instance profile: AssumeRole signed with the instance's credentials, no OIDC", async () => {
    const oidcBefore = oidc.requests.length
    const run = await auth({ 'role-chaining': 'true' }, { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url })
    expect(run.exitCode).toBe(0)
    expect(sts.calls).toEqual([
      { action: 'AssumeRole', accessKeyId: instance.accessKeyId, answer: 'forwarded' },
    ])
    expect(oidc.requests.length).toBe(oidcBefore)
    expect(imds.requests[0]).toMatchObject({ method: 'PUT', path: '/latest/api/token' })
    expect(imds.requests.filter((r) => r.method === 'GET').every((r) => r.hasToken)).toBe(true)
    expect(run.outputs['aws-session-arn']).toBe(
      'arn:aws:sts::123456789012:assumed-role/deploy/gha-octo-org.octo-repo-4242-1',
    )
    expect(run.stdout).toContain(
      "Assume arn:aws:iam::123456789012:role/deploy with the job's current credentials (role-chaining)",
    )
    const exported = run.exportedEnv
    expect(exported.AWS_ACCESS_KEY_ID).not.toBe(instance.accessKeyId)
    expectSecretsMasked(run, [
      exported.AWS_ACCESS_KEY_ID ?? '',
      exported.AWS_SECRET_ACCESS_KEY ?? '',
      exported.AWS_SESSION_TOKEN ?? '',
    ])
    expectNeverPrinted(run, [instance.secretAccessKey, instance.sessionToken])
  })

  test('role-chaining on a runner with no identity at all: says so, and makes no STS call', async () => {
    const run = await auth({ 'role-chaining': 'true' }, { AWS_EC2_METADATA_DISABLED: 'true' })
    expect(run.exitCode).toBe(1)
    expect(sts.calls).toEqual([])
    expect(run.stdout).toMatch(
      /^::error::role-chaining: the job has no AWS credentials to assume arn:aws:iam::123456789012:role\/deploy with/m,
    )
  })
})

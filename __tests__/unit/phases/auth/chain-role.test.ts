import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { mockClient } from 'aws-sdk-client-mock'
import { CredentialSourceTimeoutError } from '../../../../src/lib/ambient-credentials.js'
import { formatFailure } from '../../../../src/lib/errors.js'
import { AccountHider } from '../../../../src/lib/masking.js'
import { assumeRoleWithCurrentCredentials, roleOfSession } from '../../../../src/phases/auth/chain-role.js'
import type { AuthParams } from '../../../../src/phases/auth/index.js'
import { FakeRuntime } from '../../../fixtures/fake-runtime.js'
import { stsError } from '../../../fixtures/sts-errors.js'

const ROLE = 'arn:aws:iam::210987654321:role/deploy'
const RUNNER = 'arn:aws:sts::123456789012:assumed-role/gha-runner/i-0abc'
const PARAMS: AuthParams = {
  region: 'eu-west-1',
  roleArn: ROLE,
  isRoleChaining: true,
  audience: 'sts.amazonaws.com',
  sessionName: 'gha-octo-org.octo-repo-4242-1',
  durationSeconds: 3600,
  inlineSessionPolicy: '{"Version":"2012-10-17","Statement":[]}',
  managedSessionPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
  allowedAccountIds: [],
  idTokenRequest: undefined,
}
const CREDENTIALS = {
  AccessKeyId: 'ASIACHAINED',
  SecretAccessKey: 'chained-secret',
  SessionToken: 'chained-session',
  Expiration: new Date('2030-01-01T01:00:00Z'),
}

const sts = mockClient(STSClient)
beforeEach(() => {
  sts.reset()
})

function chain(params: AuthParams = PARAMS, runtime = new FakeRuntime(), mask = false) {
  return assumeRoleWithCurrentCredentials(params, {
    runtime,
    accounts: new AccountHider(mask, runtime),
    sts: new STSClient({ region: 'eu-west-1' }),
  })
}

async function failure(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => {
      throw new Error('expected a failure')
    },
    (error: unknown) => formatFailure(error),
  )
}

describe('assumeRoleWithCurrentCredentials (role-chaining)', () => {
  test('calls AssumeRole with the session name, duration and session policies; masks the answer', async () => {
    sts.on(AssumeRoleCommand).resolves({
      Credentials: CREDENTIALS,
      AssumedRoleUser: { Arn: 'arn:aws:sts::210987654321:assumed-role/deploy/s', AssumedRoleId: 'x' },
    })
    const runtime = new FakeRuntime()
    const result = await chain(PARAMS, runtime)
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).toEqual([
      {
        RoleArn: ROLE,
        RoleSessionName: PARAMS.sessionName,
        DurationSeconds: 3600,
        Policy: PARAMS.inlineSessionPolicy,
        PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
      },
    ])
    expect(result).toMatchObject({
      accountId: '210987654321',
      roleArn: ROLE,
      credentials: { accessKeyId: 'ASIACHAINED', secretAccessKey: 'chained-secret' },
    })
    expect(runtime.secrets).toEqual(
      expect.arrayContaining(['ASIACHAINED', 'chained-secret', 'chained-session']),
    )
  })

  test('a credentials source that stalled: names it and what to check, not STS', async () => {
    const stalled = new CredentialSourceTimeoutError({
      service:
        'the container credentials endpoint of EKS Pod Identity or ECS (AWS_CONTAINER_CREDENTIALS_FULL_URI)',
      endpoint: 'http://169.254.170.23/v1/credentials',
      waitedMs: 20_000,
    })
    sts.on(AssumeRoleCommand).rejects(stalled)
    const message = await failure(chain())
    expect(message).toContain(
      `role-chaining: the job's current AWS credentials, to assume ${ROLE} with, did not arrive: the container credentials endpoint of EKS Pod Identity or ECS (AWS_CONTAINER_CREDENTIALS_FULL_URI) (http://169.254.170.23/v1/credentials) gave no complete answer within 20.0 s.`,
    )
    expect(message).toContain('eks-pod-identity-agent')
    expect(message).not.toContain('trust policy')
  })

  test('allowed-account-ids applies as on the OIDC path', async () => {
    sts.on(AssumeRoleCommand).resolves({
      Credentials: CREDENTIALS,
      AssumedRoleUser: { Arn: 'arn:aws:sts::210987654321:assumed-role/deploy/s', AssumedRoleId: 'x' },
    })
    const message = await failure(chain({ ...PARAMS, allowedAccountIds: ['111111111111'] }))
    expect(message).toContain("which 'allowed-account-ids' does not list (111111111111)")
  })

  test('AccessDenied: names the current identity and the trust statement that would let it in', async () => {
    sts.on(AssumeRoleCommand).rejects(stsError('AccessDenied', 403))
    sts.on(GetCallerIdentityCommand).resolves({ Arn: RUNNER, Account: '123456789012', UserId: 'AROA:i' })
    const message = await failure(chain())
    expect(message).toContain(`Not authorized to assume ${ROLE} as ${RUNNER} (AccessDenied).`)
    expect(message).toContain('"AWS": "arn:aws:iam::123456789012:role/gha-runner"')
    expect(message).toContain('"Action": "sts:AssumeRole"')
    expect(message).toMatch(/AccessDenied, HTTP 403, request id req-AccessDenied/)
  })

  test('AccessDenied under mask-aws-account-id: the caller account is hidden too', async () => {
    sts.on(AssumeRoleCommand).rejects(stsError('AccessDenied', 403))
    sts.on(GetCallerIdentityCommand).resolves({ Arn: RUNNER })
    const runtime = new FakeRuntime()
    const message = await failure(chain(PARAMS, runtime, true))
    expect(message).not.toContain('123456789012')
    expect(runtime.secrets).toContain('123456789012')
  })

  test('no credentials at all: says role-chaining needs an identity, before any STS answer', async () => {
    const error = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    })
    sts.on(AssumeRoleCommand).rejects(error)
    const message = await failure(chain())
    expect(message).toMatch(/^role-chaining: the job has no AWS credentials to assume .*deploy/)
    expect(message).toContain('IRSA, EKS Pod Identity, an EC2 instance profile')
  })

  test('a duration above the role maximum: the same advice as on the OIDC path', async () => {
    sts
      .on(AssumeRoleCommand)
      .rejects(
        stsError(
          'ValidationError',
          400,
          'req-v',
          'The requested DurationSeconds exceeds the MaxSessionDuration',
        ),
      )
    const message = await failure(chain())
    expect(message).toContain(`STS AssumeRole for ${ROLE} failed`)
    expect(message).toContain('`role-duration-seconds` (3600) is more than the role')
  })

  test.each([
    ['arn:aws:sts::123456789012:assumed-role/runner/i-1', 'arn:aws:iam::123456789012:role/runner'],
    ['arn:aws-cn:sts::123456789012:assumed-role/r/s', 'arn:aws-cn:iam::123456789012:role/r'],
    ['arn:aws:iam::123456789012:user/ci', 'arn:aws:iam::123456789012:user/ci'],
  ])('roleOfSession(%s) = %s', (arn, role) => {
    expect(roleOfSession(arn)).toBe(role)
  })
})

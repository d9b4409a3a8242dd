import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { mockClient } from 'aws-sdk-client-mock'
import { ActionError, formatFailure } from '../../../../src/lib/errors.js'
import { requestIdTokenEarly } from '../../../../src/phases/auth/oidc.js'
import { assumeRoleWithOidc } from '../../../../src/phases/auth/assume-role.js'
import type { AuthParams } from '../../../../src/phases/auth/index.js'
import { AccountHider } from '../../../../src/lib/masking.js'
import type { RetryPolicy } from '../../../../src/lib/retry.js'
import { FakeRuntime } from '../../../fixtures/fake-runtime.js'
import { fakeJwt } from '../../../fixtures/jwt.js'
import { networkError, stsError } from '../../../fixtures/sts-errors.js'

const ACCOUNT = '123456789012'
const ROLE = `arn:aws:iam::${ACCOUNT}:role/deploy`
const SESSION = 'gha-octo-org.octo-repo-4242-1'
const ASSUMED = `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/${SESSION}`
const BEARER = 'runner-request-bearer-0123456789'
const EXPIRATION = new Date('2030-01-01T01:00:00Z')
const POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, budgetMs: 10_000 }
const CLAIMS = {
  iss: 'https://token.actions.githubusercontent.com',
  sub: 'repo:octo-org/octo-repo:environment:production',
  aud: 'sts.amazonaws.com',
  repository: 'octo-org/octo-repo',
  ref: 'refs/heads/main',
  environment: 'production',
  job_workflow_ref: 'octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main',
}

/** The phase's parameters, and mask-aws-account-id (which the run's AccountHider carries). */
type TestParams = AuthParams & { readonly shouldMaskAccountId: boolean }

const params = (overrides: Partial<TestParams> = {}): TestParams => ({
  region: 'us-east-1',
  roleArn: ROLE,
  isRoleChaining: false,
  audience: 'sts.amazonaws.com',
  sessionName: SESSION,
  durationSeconds: 3600,
  inlineSessionPolicy: undefined,
  managedSessionPolicies: [],
  allowedAccountIds: [],
  shouldMaskAccountId: false,
  idTokenRequest: { url: 'https://runner.example/_apis/idtoken?api-version=2.0', bearer: BEARER },
  ...overrides,
})

/** Every call to the runtime and the outside world, in order, to check masks come first. */
type Event =
  | { kind: 'mask'; value: string }
  | { kind: 'log'; text: string }
  | { kind: 'fetch'; url: string }
  | { kind: 'sts'; token: string }

class OrderedRuntime extends FakeRuntime {
  readonly events: Event[] = []
  override setSecret(secret: string): void {
    super.setSecret(secret)
    this.events.push({ kind: 'mask', value: secret })
  }
  override info(message: string): void {
    super.info(message)
    this.events.push({ kind: 'log', text: message })
  }
  override debug(message: string): void {
    super.debug(message)
    this.events.push({ kind: 'log', text: message })
  }
  override warning(message: string): void {
    super.warning(message)
    this.events.push({ kind: 'log', text: message })
  }
  /** Index of the first event that shows `secret` other than its mask; Infinity when none does. */
  firstExposure(secret: string): number {
    const at = this.events.findIndex((event) => {
      if (event.kind === 'log') return event.text.includes(secret)
      if (event.kind === 'fetch') return event.url.includes(secret)
      if (event.kind === 'sts') return event.token.includes(secret)
      return false
    })
    return at === -1 ? Infinity : at
  }
  maskedAt(secret: string): number {
    return this.events.findIndex((event) => event.kind === 'mask' && event.value === secret)
  }
}

const sts = mockClient(STSClient)
let runtime: OrderedRuntime
let issued: string[]
let fetchCalls: { url: URL; headers: Record<string, string> }[]
/** Answers of the fake token endpoint, in turn; after them, a fresh JWT with CLAIMS. */
let fetchAnswers: (() => Response | Promise<Response>)[]

const fakeFetch: typeof fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : input.toString())
  fetchCalls.push({ url, headers: { ...(init?.headers as Record<string, string>) } })
  runtime.events.push({ kind: 'fetch', url: url.toString() })
  const answer = fetchAnswers.shift()
  if (answer !== undefined) return Promise.resolve().then(answer)
  const token = fakeJwt({ ...CLAIMS, jti: String(issued.length) })
  issued.push(token)
  return Promise.resolve(new Response(JSON.stringify({ count: 1, value: token }), { status: 200 }))
}

const CREDENTIALS = {
  AccessKeyId: 'ASIAEXAMPLEKEYID0001',
  SecretAccessKey: 'secret/Access+Key0123456789abcdefEXAMPLE',
  SessionToken: 'FwoGZXIvYXdzEXAMPLEsessionTOKEN//////////0123456789',
  Expiration: EXPIRATION,
}

/** STS fails with `failures` in turn, then answers with CREDENTIALS; each call is an event. */
function answerSts(...failures: Error[]): void {
  sts.on(AssumeRoleWithWebIdentityCommand).callsFake((input: { WebIdentityToken: string }) => {
    runtime.events.push({ kind: 'sts', token: input.WebIdentityToken })
    const failure = failures.shift()
    if (failure !== undefined) return Promise.reject(failure)
    return Promise.resolve({
      Credentials: CREDENTIALS,
      AssumedRoleUser: { Arn: ASSUMED, AssumedRoleId: 'AROAEXAMPLE:s' },
    })
  })
}

const client = (): STSClient => new STSClient({ region: 'us-east-1' })
const assume = (overrides: Partial<TestParams> = {}) =>
  assumeRoleWithOidc(params(overrides), {
    runtime,
    sts: client(),
    httpGet: fakeFetch,
    accounts: new AccountHider(params(overrides).shouldMaskAccountId, runtime),
    retryPolicy: POLICY,
  })
const failure = async (overrides: Partial<TestParams> = {}): Promise<ActionError> => {
  const error = await assume(overrides).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ActionError)
  return error as ActionError
}
const stsCalls = () => sts.commandCalls(AssumeRoleWithWebIdentityCommand).map((call) => call.args[0].input)

beforeEach(() => {
  sts.reset()
  runtime = new OrderedRuntime()
  issued = []
  fetchCalls = []
  fetchAnswers = []
})

describe('success', () => {
  beforeEach(answerSts)

  test('returns the credentials, account and assumed-role ARN', async () => {
    await expect(assume()).resolves.toEqual({
      credentials: {
        accessKeyId: CREDENTIALS.AccessKeyId,
        secretAccessKey: CREDENTIALS.SecretAccessKey,
        sessionToken: CREDENTIALS.SessionToken,
        expiration: EXPIRATION,
      },
      accountId: ACCOUNT,
      assumedRoleArn: ASSUMED,
      roleArn: ROLE,
      expiration: EXPIRATION,
    })
  })

  test('asks the runner for a token for the audience, with the request bearer', async () => {
    await assume({ audience: 'my-audience' })
    expect(fetchCalls).toHaveLength(1)
    const call = fetchCalls[0]!
    expect(`${call.url.origin}${call.url.pathname}`).toBe('https://runner.example/_apis/idtoken')
    expect(call.url.searchParams.get('api-version')).toBe('2.0')
    expect(call.url.searchParams.get('audience')).toBe('my-audience')
    expect(call.headers.Authorization).toBe(`Bearer ${BEARER}`)
  })

  test('sends STS the token, role, session, duration and session policies', async () => {
    const policy = '{"Version":"2012-10-17","Statement":[]}'
    const managed = ['arn:aws:iam::aws:policy/ReadOnlyAccess', `arn:aws:iam::${ACCOUNT}:policy/limits`]
    await assume({ durationSeconds: 900, inlineSessionPolicy: policy, managedSessionPolicies: managed })
    expect(stsCalls()).toEqual([
      {
        RoleArn: ROLE,
        RoleSessionName: SESSION,
        WebIdentityToken: issued[0],
        DurationSeconds: 900,
        Policy: policy,
        PolicyArns: managed.map((arn) => ({ arn })),
      },
    ])
  })

  test('leaves Policy and PolicyArns out when not given', async () => {
    await assume()
    expect(Object.keys(stsCalls()[0] ?? {}).sort()).toEqual([
      'DurationSeconds',
      'RoleArn',
      'RoleSessionName',
      'WebIdentityToken',
    ])
  })

  test('masks every secret before anything could show it', async () => {
    await assume()
    const secrets = [
      BEARER,
      issued[0]!,
      CREDENTIALS.AccessKeyId,
      CREDENTIALS.SecretAccessKey,
      CREDENTIALS.SessionToken,
    ]
    for (const secret of secrets) {
      expect(runtime.maskedAt(secret)).toBeGreaterThanOrEqual(0)
      expect(runtime.maskedAt(secret)).toBeLessThan(runtime.firstExposure(secret))
    }
    // The JWT is masked before it leaves for STS; the bearer before the token request.
    expect(runtime.maskedAt(issued[0]!)).toBeLessThan(runtime.events.findIndex((e) => e.kind === 'sts'))
    expect(runtime.maskedAt(BEARER)).toBeLessThan(runtime.events.findIndex((e) => e.kind === 'fetch'))
  })

  test('the account id is masked only with mask-aws-account-id, before the first request', async () => {
    await assume()
    expect(runtime.secrets).not.toContain(ACCOUNT)
    runtime = new OrderedRuntime()
    await assume({ shouldMaskAccountId: true })
    expect(runtime.secrets).toContain(ACCOUNT)
    expect(runtime.maskedAt(ACCOUNT)).toBeLessThan(runtime.firstExposure(ACCOUNT))
    expect(runtime.maskedAt(ACCOUNT)).toBeLessThan(runtime.events.findIndex((e) => e.kind === 'fetch'))
  })

  test.each([[[ACCOUNT]], [['111111111111', ACCOUNT]]])(
    'allowed-account-ids %j lets the account through',
    async (allowed) => {
      await expect(assume({ allowedAccountIds: allowed })).resolves.toMatchObject({ accountId: ACCOUNT })
    },
  )
})

describe('an ID token requested early (main starts it before the SDK loads)', () => {
  const early = (overrides: Partial<TestParams> = {}) =>
    requestIdTokenEarly(params(overrides), params(overrides).audience, { httpGet: fakeFetch, runtime })
  const assumeWith = (firstIdToken: Promise<string>, overrides: Partial<TestParams> = {}) =>
    assumeRoleWithOidc(params(overrides), {
      runtime,
      sts: client(),
      httpGet: fakeFetch,
      accounts: new AccountHider(params(overrides).shouldMaskAccountId, runtime),
      retryPolicy: POLICY,
      firstIdToken,
    })

  test('the first attempt uses it: one token request; bearer and token masked before they travel', async () => {
    answerSts()
    await expect(assumeWith(early())).resolves.toMatchObject({ accountId: ACCOUNT })
    expect(fetchCalls).toHaveLength(1)
    expect(stsCalls().map((input) => input.WebIdentityToken)).toEqual(issued)
    expect(runtime.maskedAt(BEARER)).toBeLessThan(runtime.events.findIndex((e) => e.kind === 'fetch'))
    expect(runtime.maskedAt(issued[0]!)).toBeLessThan(runtime.events.findIndex((e) => e.kind === 'sts'))
  })

  test('a retried attempt fetches a fresh token', async () => {
    answerSts(stsError('IDPCommunicationError', 400))
    await expect(assumeWith(early())).resolves.toMatchObject({ accountId: ACCOUNT })
    const tokens = stsCalls().map((input) => input.WebIdentityToken)
    expect(tokens).toEqual(issued)
    expect(tokens).toHaveLength(2)
    expect(tokens[0]).not.toBe(tokens[1])
  })

  test("an early request that failed before the phase awaited it is retried as the phase's own", async () => {
    answerSts()
    fetchAnswers = [() => new Response('{"message":"busy"}', { status: 503 })]
    const first = early()
    await new Promise((resolve) => setImmediate(resolve))
    await expect(assumeWith(first)).resolves.toMatchObject({ accountId: ACCOUNT })
    expect(fetchCalls).toHaveLength(2)
    expect(runtime.sleeps).toHaveLength(1)
  })

  test('no id-token permission: the same explanation, no request made', async () => {
    answerSts()
    const error: unknown = await assumeWith(early({ idTokenRequest: undefined }), {
      idTokenRequest: undefined,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ActionError)
    expect((error as ActionError).hint).toMatch(/permissions:\n\s+id-token: write/)
    expect(fetchCalls).toEqual([])
    expect(stsCalls()).toEqual([])
  })
})

describe('retries', () => {
  test('IDPCommunicationError, then success: a fresh ID token for each attempt', async () => {
    answerSts(stsError('IDPCommunicationError', 400))
    await expect(assume()).resolves.toMatchObject({ accountId: ACCOUNT })
    const tokens = stsCalls().map((input) => input.WebIdentityToken)
    expect(tokens).toEqual(issued)
    expect(tokens).toHaveLength(2)
    expect(tokens[0]).not.toBe(tokens[1])
    expect(fetchCalls).toHaveLength(2)
    expect(runtime.sleeps).toHaveLength(1)
    for (const token of issued) expect(runtime.secrets).toContain(token)
  })

  test.each([
    ['HTTP 503', () => new Response('{"message":"busy"}', { status: 503 })],
    ['HTTP 429', () => new Response('{"message":"slow down"}', { status: 429 })],
    [
      'a network error',
      () => Promise.reject(new TypeError('fetch failed', { cause: networkError('ECONNRESET') })),
    ],
  ])("the runner's token endpoint failing with %s is retried", async (_name, answer) => {
    answerSts()
    fetchAnswers = [answer, answer]
    await expect(assume()).resolves.toMatchObject({ accountId: ACCOUNT })
    expect(fetchCalls).toHaveLength(3)
    expect(stsCalls()).toHaveLength(1)
    expect(runtime.sleeps).toHaveLength(2)
  })

  test.each([
    ['Throttling', 400],
    ['InternalFailure', 500],
  ])('STS %s is retried', async (code, status) => {
    answerSts(stsError(code, status))
    await expect(assume()).resolves.toMatchObject({ assumedRoleArn: ASSUMED })
    expect(stsCalls()).toHaveLength(2)
  })

  test("an unreachable token endpoint: gives up naming the runner's endpoint, not STS", async () => {
    answerSts()
    const unreachable = () =>
      Promise.reject(new TypeError('fetch failed', { cause: networkError('ECONNREFUSED') }))
    fetchAnswers = Array.from({ length: POLICY.maxAttempts }, () => unreachable)
    const error = await failure()
    expect(fetchCalls).toHaveLength(POLICY.maxAttempts)
    expect(stsCalls()).toHaveLength(0)
    expect(error.message).toContain(
      "the runner's OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL) kept failing",
    )
    expect(error.message).not.toContain('STS')
  })

  test('gives up after the policy allows, saying what kept failing', async () => {
    sts.on(AssumeRoleWithWebIdentityCommand).rejects(networkError('ECONNREFUSED'))
    const error = await failure()
    expect(stsCalls()).toHaveLength(POLICY.maxAttempts)
    expect(fetchCalls).toHaveLength(POLICY.maxAttempts)
    expect(error.message).toContain(`Could not assume ${ROLE}: STS kept failing, gave up after 4 attempts`)
    expect(error.message).toContain('ECONNREFUSED')
    expect(error.hint).toContain('re-run')
  })
})

describe('failures that are not retried', () => {
  test('AccessDenied: explained with the claims and a Condition, never the token', async () => {
    sts.on(AssumeRoleWithWebIdentityCommand).rejects(stsError('AccessDenied', 403, 'req-denied-1'))
    const error = await failure()
    expect(stsCalls()).toHaveLength(1)
    expect(runtime.sleeps).toEqual([])
    const text = formatFailure(error)
    expect(text).toContain(`Not authorized to assume ${ROLE}`)
    for (const name of ['sub', 'aud', 'repository', 'ref', 'environment', 'job_workflow_ref'] as const)
      expect(text).toContain(`${name}: ${JSON.stringify(CLAIMS[name])}`)
    expect(text).toContain('"Condition"')
    expect(text).toContain(`"token.actions.githubusercontent.com:sub": "${CLAIMS.sub}"`)
    expect(text).toContain('req-denied-1')
    for (const part of issued[0]!.split('.').slice(1)) expect(text).not.toContain(part)
  })

  test('with mask-aws-account-id, the account in a failure message is already masked', async () => {
    sts.on(AssumeRoleWithWebIdentityCommand).rejects(stsError('AccessDenied', 403))
    const error = await failure({ shouldMaskAccountId: true })
    expect(error.message).toContain(ACCOUNT)
    expect(runtime.secrets).toContain(ACCOUNT)
  })

  test.each([
    ['InvalidIdentityToken', 400, 'identity provider for https://token.actions.githubusercontent.com'],
    ['ExpiredTokenException', 400, 'had expired'],
    ['ValidationError', 400, '`role-session-name`'],
    ['IDPRejectedClaim', 403, "rejected the token's claims"],
    ['MalformedPolicyDocument', 400, '`inline-session-policy`'],
    ['RegionDisabledException', 403, 'not activated'],
  ])('%s fails at once, naming the role and the AWS error, with a fix', async (code, status, fix) => {
    const cause = stsError(code, status)
    sts.on(AssumeRoleWithWebIdentityCommand).rejects(cause)
    const error = await failure()
    expect(stsCalls()).toHaveLength(1)
    expect(fetchCalls).toHaveLength(1)
    expect(runtime.sleeps).toEqual([])
    expect(error.cause).toBe(cause)
    expect(error.message).toContain(ROLE)
    expect(error.message).toContain(cause.name)
    expect(formatFailure(error)).toContain(`request id req-${code}`)
    expect(error.hint).toContain(fix)
  })

  test('InvalidIdentityToken names the audience the provider must list', async () => {
    sts.on(AssumeRoleWithWebIdentityCommand).rejects(stsError('InvalidIdentityToken', 400))
    expect((await failure({ audience: 'my-audience' })).hint).toContain("audiences include 'my-audience'")
  })

  test('a duration above the role maximum says which input to lower', async () => {
    const cause = Object.assign(stsError('ValidationError', 400), {
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    })
    sts.on(AssumeRoleWithWebIdentityCommand).rejects(cause)
    const error = await failure({ durationSeconds: 43200 })
    expect(error.hint).toContain('`role-duration-seconds` (43200)')
    expect(error.hint).toContain('MaxSessionDuration')
  })

  test.each([401, 403, 404])(
    "the runner's token endpoint answering %d fails at once, and is named",
    async (status) => {
      answerSts()
      fetchAnswers = [() => new Response('{"message":"no"}', { status })]
      const error = await failure()
      expect(fetchCalls).toHaveLength(1)
      expect(stsCalls()).toHaveLength(0)
      expect(error.message).toContain(
        "Could not get a GitHub OIDC token from the runner's OIDC token endpoint",
      )
      expect(error.message).toContain(`HTTP ${status}`)
      expect(error.message).not.toContain('STS')
    },
  )

  test.each([
    ['no JSON', 'not json'],
    ['no value', '{"count":1}'],
    ['not a JWT', '{"value":"opaque"}'],
  ])("the runner's token endpoint answering %s fails at once", async (_name, body) => {
    answerSts()
    fetchAnswers = [() => new Response(body, { status: 200 })]
    const error = await failure()
    expect(error.message).toContain('without a JWT')
    expect(fetchCalls).toHaveLength(1)
    expect(stsCalls()).toHaveLength(0)
  })

  test('STS answering without credentials', async () => {
    sts
      .on(AssumeRoleWithWebIdentityCommand)
      .resolves({ AssumedRoleUser: { Arn: ASSUMED, AssumedRoleId: 'x' } })
    expect((await failure()).message).toContain('without credentials')
  })

  test.each([
    [false, `account ${ACCOUNT}`],
    [true, 'account ***'],
  ])(
    'allowed-account-ids without the account fails (mask-aws-account-id %s), naming the lists',
    async (mask, shown) => {
      answerSts()
      const error = await failure({
        allowedAccountIds: ['111111111111', '222222222222'],
        shouldMaskAccountId: mask,
      })
      expect(error.message).toContain(shown)
      expect(error.message).toContain('111111111111, 222222222222')
      expect(error.hint).toContain('allowed-account-ids')
      expect(stsCalls()).toHaveLength(1)
    },
  )

  test('no id-token permission: the YAML, the reusable-workflow and the fork notes; no request made', async () => {
    answerSts()
    const error = await failure({ idTokenRequest: undefined })
    expect(error.message).toContain('ACTIONS_ID_TOKEN_REQUEST_URL')
    expect(error.message).toContain('ACTIONS_ID_TOKEN_REQUEST_TOKEN')
    expect(error.hint).toMatch(/permissions:\n\s+id-token: write/)
    expect(error.hint).toContain('reusable workflow')
    expect(error.hint).toContain('forks')
    expect(fetchCalls).toEqual([])
    expect(stsCalls()).toEqual([])
  })
})

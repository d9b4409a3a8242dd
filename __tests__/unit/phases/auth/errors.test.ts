import { ActionError } from '../../../../src/lib/errors.js'
import { OidcHttpError } from '../../../../src/phases/auth/oidc.js'
import {
  explainAccessDenied,
  explainExhausted,
  isRetryableAuthError,
} from '../../../../src/phases/auth/errors.js'
import type { AuthParams } from '../../../../src/phases/auth/index.js'
import { RetriesExhaustedError } from '../../../../src/lib/retry.js'
import { ServiceTimeoutError } from '../../../../src/lib/service-timeout.js'
import { fakeJwt } from '../../../fixtures/jwt.js'
import { networkError, stsError } from '../../../fixtures/sts-errors.js'

// STS's text, as configure-aws-credentials users report it (#299, #348).
const VERIFICATION_KEY_MESSAGE =
  "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements"

const PARAMS: AuthParams = {
  region: 'eu-west-1',
  roleArn: 'arn:aws:iam::123456789012:role/deploy',
  isRoleChaining: false,
  audience: 'sts.amazonaws.com',
  sessionName: 'gha-octo-org.octo-repo-4242-1',
  durationSeconds: 3600,
  inlineSessionPolicy: undefined,
  managedSessionPolicies: [],
  allowedAccountIds: [],
  idTokenRequest: { url: 'https://runner.example/token', bearer: 'request-bearer' },
}

describe('isRetryableAuthError', () => {
  test.each([
    ['ECONNREFUSED', networkError('ECONNREFUSED')],
    ['ECONNRESET', networkError('ECONNRESET')],
    ['ETIMEDOUT', networkError('ETIMEDOUT')],
    ['EAI_AGAIN', networkError('EAI_AGAIN')],
    ['EPIPE', networkError('EPIPE')],
    ['fetch failed, code in the cause', new TypeError('fetch failed', { cause: networkError('ECONNRESET') })],
    ['fetch failed, no code', new TypeError('fetch failed')],
    // fetch rejects with a DOMException; jest's module realm has its own Error, so build the same shape.
    [
      'fetch timeout',
      Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }),
    ],
    ['aborted fetch', Object.assign(new Error('This operation was aborted'), { name: 'AbortError' })],
    [
      'SDK network error ($metadata without a status)',
      Object.assign(networkError('ECONNREFUSED'), { $metadata: { attempts: 1 } }),
    ],
    ['SDK request timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError', $metadata: {} })],
    [
      'an answer cut short (the SDK adds the status it began with)',
      Object.assign(networkError('ECONNRESET'), { message: 'aborted', $metadata: { httpStatusCode: 200 } }),
    ],
    ['a call cut by its deadline', new ServiceTimeoutError({ service: 'STS', waitedMs: 15_000 })],
    ['IDPCommunicationError', stsError('IDPCommunicationError', 400)],
    [
      'InvalidIdentityToken: the verification key could not be retrieved (STS under load)',
      stsError('InvalidIdentityToken', 400, 'req-1', VERIFICATION_KEY_MESSAGE),
    ],
    ['Throttling (HTTP 400)', stsError('Throttling', 400)],
    ['ThrottlingException', stsError('ThrottlingException', 400)],
    ['RequestLimitExceeded', stsError('RequestLimitExceeded', 400)],
    ['HTTP 429', stsError('SlowDown', 429)],
    ['InternalFailure 500', stsError('InternalFailure', 500)],
    ['ServiceUnavailable 503', stsError('ServiceUnavailable', 503)],
    ['an unnamed 502', stsError('Unknown', 502)],
    ['OIDC endpoint 500', new OidcHttpError(500, 'oops')],
    ['OIDC endpoint 503', new OidcHttpError(503, 'busy')],
    ['OIDC endpoint 429', new OidcHttpError(429, 'slow down')],
  ])('retried: %s', (_name, error) => {
    expect(isRetryableAuthError(error)).toBe(true)
  })

  test.each([
    ['AccessDenied', stsError('AccessDenied', 403)],
    ['InvalidIdentityToken', stsError('InvalidIdentityToken', 400)],
    [
      'InvalidIdentityToken: an audience the provider does not list',
      stsError('InvalidIdentityToken', 400, 'req-2', 'Incorrect token audience'),
    ],
    [
      'InvalidIdentityToken: no such provider',
      stsError(
        'InvalidIdentityToken',
        400,
        'req-3',
        'No OpenIDConnect provider found in your account for https://x',
      ),
    ],
    ['ExpiredToken', stsError('ExpiredTokenException', 400)],
    ['ValidationError', stsError('ValidationError', 400)],
    ['IDPRejectedClaim', stsError('IDPRejectedClaim', 403)],
    ['MalformedPolicyDocument', stsError('MalformedPolicyDocument', 400)],
    ['RegionDisabledException', stsError('RegionDisabledException', 403)],
    ['ActionError', new ActionError('bad input')],
    [
      'ActionError caused by a network error',
      new ActionError('wrapped', { cause: networkError('ECONNRESET') }),
    ],
    ['OIDC endpoint 401', new OidcHttpError(401, 'bad bearer')],
    ['OIDC endpoint 403', new OidcHttpError(403, 'forbidden')],
    ['OIDC endpoint 404', new OidcHttpError(404, 'not found')],
    ['a plain Error', new Error('boom')],
    ['an unknown error code', networkError('EACCES')],
    ['ENOTFOUND: a host that does not exist (a mistyped region)', networkError('ENOTFOUND')],
    ['a string', 'ECONNRESET'],
    ['undefined', undefined],
    ['an object', { code: 'ECONNRESET' }],
  ])('not retried: %s', (_name, error) => {
    expect(isRetryableAuthError(error)).toBe(false)
  })
})

describe('explainAccessDenied', () => {
  const CLAIMS = {
    iss: 'https://token.actions.githubusercontent.com',
    sub: 'repo:octo-org/octo-repo:environment:production',
    aud: 'sts.amazonaws.com',
    repository: 'octo-org/octo-repo',
    ref: 'refs/heads/main',
    environment: 'production',
    job_workflow_ref: 'octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main',
    actor: 'octocat',
  }

  test("shows the token's claims and a trust-policy Condition that matches them, never the token", () => {
    const token = fakeJwt(CLAIMS)
    const cause = stsError('AccessDenied', 403)
    const error = explainAccessDenied(cause, PARAMS, token)
    expect(error).toBeInstanceOf(ActionError)
    expect(error.cause).toBe(cause)
    expect(error.message).toContain(PARAMS.roleArn)
    expect(error.message).toContain('AccessDenied')
    const hint = error.hint ?? ''
    for (const name of ['sub', 'aud', 'repository', 'ref', 'environment', 'job_workflow_ref'] as const)
      expect(hint).toContain(`  ${name}: ${JSON.stringify(CLAIMS[name])}`)
    expect(hint).not.toContain('actor')
    const condition = JSON.parse(hint.slice(hint.indexOf('{'), hint.lastIndexOf('}') + 1)) as unknown
    expect(condition).toEqual({
      Condition: {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        StringLike: { 'token.actions.githubusercontent.com:sub': CLAIMS.sub },
      },
    })
    expect(hint).toContain('oidc-provider/token.actions.githubusercontent.com')
    for (const part of token.split('.')) {
      expect(error.message).not.toContain(part)
      expect(hint).not.toContain(part)
    }
  })

  test('an enterprise issuer with a path keeps the path in the condition keys', () => {
    const token = fakeJwt({ ...CLAIMS, iss: 'https://token.actions.githubusercontent.com/octo-enterprise' })
    const hint = explainAccessDenied(stsError('AccessDenied', 403), PARAMS, token).hint ?? ''
    expect(hint).toContain('"token.actions.githubusercontent.com/octo-enterprise:sub"')
  })

  test('claims that are absent are left out; an undecodable token still gives a template', () => {
    const hint = explainAccessDenied(stsError('AccessDenied', 403), PARAMS, 'not-a-jwt').hint ?? ''
    expect(hint).not.toMatch(/^ {2}sub:/m)
    expect(hint).toContain('"<your OIDC provider>:aud": "sts.amazonaws.com"')
    expect(hint).toContain('repo:<owner>/<repo>:*')
  })
})

describe('explainExhausted', () => {
  test('names STS, the attempts, the last error, and says what to check', () => {
    const last = stsError('IDPCommunicationError', 400)
    const error = explainExhausted(new RetriesExhaustedError(5, last), PARAMS, 'sts')
    expect(error.message).toBe(
      `Could not assume ${PARAMS.roleArn}: STS kept failing, gave up after 5 attempts. Last error: IDPCommunicationErrorException: STS says IDPCommunicationError`,
    )
    expect(error.cause).toBe(last)
    expect(error.hint).toContain('AWS_ENDPOINT_URL_STS')
  })

  test.each([
    ['HTTP 503', new OidcHttpError(503, 'busy')],
    ['a network error', new TypeError('fetch failed', { cause: networkError('ECONNREFUSED') })],
  ])("names the runner's OIDC endpoint when that was what kept failing (%s)", (_name, last) => {
    const error = explainExhausted(new RetriesExhaustedError(3, last), PARAMS, 'token')
    expect(error.message).toContain(
      "the runner's OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL) kept failing, gave up after 3 attempts",
    )
    expect(error.message).not.toContain('STS')
    expect(error.message).toContain(last.message)
    expect(error.hint).toContain('ACTIONS_ID_TOKEN_REQUEST_URL')
  })
})

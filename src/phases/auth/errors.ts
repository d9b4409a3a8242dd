import { ActionError, namedMessageOf } from '../../lib/errors.js'
import { decodeJwtClaims, OidcHttpError } from './oidc.js'
import type { RetriesExhaustedError } from '../../lib/retry.js'
import type { AuthParams } from './types.js'

const RETRYABLE_STS_ERRORS = new Set([
  'IDPCommunicationError',
  'IDPCommunicationErrorException',
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'ServiceUnavailable',
  'InternalFailure',
  'RequestTimeout',
  'TimeoutError',
])
// Not ENOTFOUND: a host name that does not exist (a mistyped region) will not exist in 2 s either.
const RETRYABLE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'])

// What STS answers, intermittently, when it could not fetch the identity provider's signing keys in
// time (many jobs starting at once): the token itself is fine, and a later attempt succeeds.
// https://github.com/aws-actions/configure-aws-credentials/issues/299
const UNREACHABLE_VERIFICATION_KEY = /verification key/i

/**
 * Transient: network errors, HTTP 5xx/429, throttling, IDPCommunicationError, and the
 * InvalidIdentityToken that only says STS could not retrieve the verification key. Everything else
 * (a genuinely invalid token included) fails at once.
 */
export function isRetryableAuthError(error: unknown): boolean {
  if (error instanceof ActionError) return false
  if (error instanceof OidcHttpError) return error.status >= 500 || error.status === 429
  if (!(error instanceof Error)) return false
  if (RETRYABLE_STS_ERRORS.has(error.name)) return true
  if (isInvalidIdentityToken(error)) return UNREACHABLE_VERIFICATION_KEY.test(error.message)
  // Before the status: an answer cut short (ECONNRESET while reading it) carries the status it began with.
  if (isNetworkError(error)) return true
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
  return status !== undefined && (status >= 500 || status === 429)
}

function isInvalidIdentityToken(error: Error): boolean {
  return error.name.replace(/Exception$/, '') === 'InvalidIdentityToken'
}

function isNetworkError(error: Error): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code)) return true
    if (
      e.name === 'AbortError' ||
      e.name === 'TimeoutError' ||
      (e.name === 'TypeError' && e.message === 'fetch failed')
    )
      return true
  }
  return false
}

const SHOWN_CLAIMS = ['sub', 'aud', 'repository', 'ref', 'environment', 'job_workflow_ref'] as const

/** AccessDenied: show the token's non-secret claims and a trust-policy condition that matches them. */
export function explainAccessDenied(error: unknown, params: AuthParams, token: string): ActionError {
  const claims = decodeJwtClaims(token) ?? {}
  const shown = SHOWN_CLAIMS.filter((name) => claims[name] !== undefined).map(
    (name) => `  ${name}: ${JSON.stringify(claims[name])}`,
  )
  const issuer =
    typeof claims.iss === 'string' ? claims.iss.replace(/^https:\/\//, '') : '<your OIDC provider>'
  const condition = {
    Condition: {
      StringEquals: { [`${issuer}:aud`]: claims.aud ?? params.audience },
      StringLike: { [`${issuer}:sub`]: claims.sub ?? 'repo:<owner>/<repo>:*' },
    },
  }
  return new ActionError(
    `Not authorized to assume ${params.roleArn} with this workflow's OIDC token (AccessDenied).`,
    {
      cause: error,
      hint: [
        "The role's trust policy does not accept this token. Its claims (the token itself is never printed):",
        ...shown,
        '',
        `A trust-policy statement (Principal: Federated arn:aws:iam::<account>:oidc-provider/${issuer}, Action: sts:AssumeRoleWithWebIdentity) that matches it:`,
        JSON.stringify(condition, null, 2),
        '',
        "Check too that the identity provider exists in the role's account and that the audience matches the `audience` input.",
      ].join('\n'),
    },
  )
}

/**
 * STS refused the request for a reason retrying cannot fix: say which input or AWS setting to change.
 * `token` is the ID token of AssumeRoleWithWebIdentity ('' for role chaining's AssumeRole).
 */
export function explainStsFailure(
  error: unknown,
  params: AuthParams,
  token: string,
  operation: 'AssumeRoleWithWebIdentity' | 'AssumeRole' = 'AssumeRoleWithWebIdentity',
): ActionError {
  const name = error instanceof Error ? error.name.replace(/Exception$/, '') : ''
  const message = error instanceof Error ? error.message : ''
  return new ActionError(`STS ${operation} for ${params.roleArn} failed: ${describe(error)}`, {
    cause: error,
    hint:
      operation === 'AssumeRole' && !SHARED_HINTS.has(name)
        ? "Check `role-to-assume` and its trust policy, which must allow sts:AssumeRole to the job's current AWS identity (role-chaining)."
        : stsFailureHint(name, message, params, token),
  })
}

// The refusals whose fix is the same for both ways of assuming the role.
const SHARED_HINTS = new Set([
  'MalformedPolicyDocument',
  'PackedPolicyTooLarge',
  'RegionDisabled',
  'ValidationError',
])

function stsFailureHint(name: string, message: string, params: AuthParams, token: string): string {
  const claims = decodeJwtClaims(token) ?? {}
  const issuer = typeof claims.iss === 'string' ? claims.iss : 'https://token.actions.githubusercontent.com'
  switch (name) {
    case 'InvalidIdentityToken':
      return `STS did not accept the token itself. The role's account needs an IAM OIDC identity provider for ${issuer} whose audiences include '${params.audience}' (the \`audience\` input); STS's message above says which part failed.`
    case 'ExpiredToken':
      return "The ID token had expired when STS checked it (it lives a few minutes): re-run the job, and check the runner's clock if it happens again."
    case 'IDPRejectedClaim':
      return "The identity provider rejected the token's claims: check the OIDC provider of the role's account and the role trust policy."
    case 'MalformedPolicyDocument':
    case 'PackedPolicyTooLarge':
      return 'Check `inline-session-policy` (a JSON IAM policy) and `managed-session-policies` (policy ARNs), or leave them empty.'
    case 'RegionDisabled':
      return 'STS is not activated in the region of `aws-region` for this account: activate it in the IAM account settings, or use another region.'
    case 'ValidationError':
      if (message.includes('DurationSeconds'))
        return `\`role-duration-seconds\` (${params.durationSeconds}) is more than the role's maximum session duration: lower it, or raise MaxSessionDuration on the role.`
      return 'Check `role-to-assume`, `role-session-name`, `role-duration-seconds` and the session policies against the message above.'
    default:
      return 'Check the role ARN, the OIDC identity provider of the account and the role trust policy.'
  }
}

/** Which request of an attempt failed: the ID token from the runner, or the STS call. */
export type AuthStep = 'token' | 'sts'

const TOKEN_ENDPOINT = "the runner's OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL)"

export function explainExhausted(
  error: RetriesExhaustedError,
  params: AuthParams,
  step: AuthStep,
): ActionError {
  const last = error.lastError
  const where = step === 'token' ? TOKEN_ENDPOINT : 'STS'
  return new ActionError(
    `Could not assume ${params.roleArn}: ${where} kept failing, ${error.message}. Last error: ${describe(last)}`,
    {
      cause: last,
      hint:
        step === 'token'
          ? 'This is usually transient (a GitHub Actions outage or a runner network problem): re-run the job. On a self-hosted runner, check it can reach ACTIONS_ID_TOKEN_REQUEST_URL (proxy settings).'
          : 'This is usually transient (network, throttling, an AWS outage): re-run the job. If it persists, check the runner can reach STS (proxy, VPC endpoint, AWS_ENDPOINT_URL_STS).',
    },
  )
}

/** A failure of the runner's token endpoint that retrying cannot fix (HTTP 4xx, a malformed URL). */
export function explainTokenFailure(error: unknown): ActionError {
  return new ActionError(`Could not get a GitHub OIDC token from ${TOKEN_ENDPOINT}: ${describe(error)}`, {
    cause: error,
    hint: "The runner hands out the token; a 401/403 means the job's request token was refused. Re-run the job; if it persists, check the job's `permissions: id-token: write` and the runner's health.",
  })
}

function describe(error: unknown): string {
  return namedMessageOf(error)
}

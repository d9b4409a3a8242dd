import { AssumeRoleWithWebIdentityCommand, type STSClient } from '@aws-sdk/client-sts'
import { ActionError } from '../../lib/errors.js'
import { maskSecrets, type AccountHider } from '../../lib/masking.js'
import type { HttpGet } from '../../runner/http-get.js'
import { fetchIdToken, ID_TOKEN_TIMEOUT_MS } from './oidc.js'
import type { AuthParams, AuthResult } from './types.js'
import { sessionPolicies, sessionResult } from './session.js'
import { retry, RetriesExhaustedError, type RetryPolicy } from '../../lib/retry.js'
import type { Runtime } from '../../runner/runtime.js'
import {
  explainAccessDenied,
  explainExhausted,
  explainStsFailure,
  explainTokenFailure,
  isRetryableAuthError,
  type AuthStep,
} from './errors.js'

export interface AuthDeps {
  readonly runtime: Runtime
  readonly sts: Pick<STSClient, 'send'>
  readonly httpGet: HttpGet
  /** Hides the role's account under mask-aws-account-id. */
  readonly accounts: AccountHider
  readonly retryPolicy?: RetryPolicy
  /**
   * The first attempt's ID token, when the caller requested it before loading this phase (its round
   * trip then overlaps loading the SDK). Later attempts fetch a fresh one, as without it.
   */
  readonly firstIdToken?: Promise<string>
}

/** GitHub OIDC token → STS AssumeRoleWithWebIdentity, a fresh token on every attempt. */
export async function assumeRoleWithOidc(params: AuthParams, deps: AuthDeps): Promise<AuthResult> {
  const { runtime } = deps
  maskSecrets(runtime, params.idTokenRequest?.bearer)
  // The role ARN names the account, and every message below quotes the ARN.
  deps.accounts.add(params.roleArn)
  // Where the last attempt got to: which request failed, and the token it had by then.
  const last: { step: AuthStep; token: string } = { step: 'token', token: '' }
  let earlyToken = deps.firstIdToken
  // Each attempt ends within what is left of the budget, however its endpoints behave.
  const attempt = async (_attempt: number, remainingMs: number): Promise<AuthResult> => {
    const deadline = runtime.now() + remainingMs
    last.step = 'token'
    const { idTokenRequest, audience } = params
    const timeoutMs = Math.min(ID_TOKEN_TIMEOUT_MS, remainingMs)
    const token = earlyToken ?? fetchIdToken(idTokenRequest, audience, deps.httpGet, timeoutMs)
    earlyToken = undefined
    last.token = await token
    runtime.setSecret(last.token)
    last.step = 'sts'
    const signal = AbortSignal.timeout(Math.max(1, deadline - runtime.now()))
    return exchangeToken(params, deps, last.token, signal)
  }
  try {
    return await retry(attempt, {
      isRetryable: isRetryableAuthError,
      clock: runtime,
      ...(deps.retryPolicy === undefined ? {} : { policy: deps.retryPolicy }),
      onRetry: (error, attemptNumber, delayMs) => {
        runtime.warning(
          `Attempt ${attemptNumber} failed (${String(error)}); retrying in ${delayMs} ms with a fresh ID token.`,
        )
      },
    })
  } catch (error) {
    if (error instanceof RetriesExhaustedError) throw explainExhausted(error, params, last.step)
    if (error instanceof ActionError) throw error
    if (last.step === 'token') throw explainTokenFailure(error)
    if (isNamed(error, 'AccessDenied')) throw explainAccessDenied(error, params, last.token)
    throw explainStsFailure(error, params, last.token)
  }
}

async function exchangeToken(
  params: AuthParams,
  deps: AuthDeps,
  token: string,
  abortSignal: AbortSignal,
): Promise<AuthResult> {
  const response = await deps.sts.send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: params.roleArn,
      RoleSessionName: params.sessionName,
      WebIdentityToken: token,
      DurationSeconds: params.durationSeconds,
      ...sessionPolicies(params),
    }),
    { abortSignal },
  )
  return sessionResult(response, params, deps, 'AssumeRoleWithWebIdentity')
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name
}

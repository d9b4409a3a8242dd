import { AssumeRoleWithWebIdentityCommand, type STSClient } from '@aws-sdk/client-sts'
import type { AwsCredentials } from '../aws-clients.js'
import { ActionError } from '../errors.js'
import { fetchIdToken, type IdTokenRequest } from '../oidc.js'
import { retry, RetriesExhaustedError, type RetryPolicy } from '../retry.js'
import type { Runtime } from '../runtime.js'
import {
  explainAccessDenied,
  explainExhausted,
  explainStsFailure,
  explainTokenFailure,
  isRetryableAuthError,
  type AuthStep,
} from './auth-errors.js'

export interface AuthParams {
  readonly roleArn: string
  readonly audience: string
  readonly sessionName: string
  readonly durationSeconds: number
  readonly inlineSessionPolicy: string | undefined
  readonly managedSessionPolicies: readonly string[]
  readonly allowedAccountIds: readonly string[]
  readonly shouldMaskAccountId: boolean
  readonly idTokenRequest: IdTokenRequest | undefined
}

export interface AuthDeps {
  readonly runtime: Runtime
  readonly sts: Pick<STSClient, 'send'>
  readonly fetch: typeof fetch
  readonly retryPolicy?: RetryPolicy
  /**
   * The first attempt's ID token, when the caller requested it before loading this phase (its round
   * trip then overlaps loading the SDK). Later attempts fetch a fresh one, as without it.
   */
  readonly firstIdToken?: Promise<string>
}

export interface AuthResult {
  readonly credentials: AwsCredentials
  readonly accountId: string
  /** The assumed-role ARN (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION). */
  readonly assumedRoleArn: string
  readonly roleArn: string
  readonly expiration: Date | undefined
}

/** Phase auth: GitHub OIDC token → STS AssumeRoleWithWebIdentity, a fresh token on every attempt. */
export async function assumeRoleWithOidc(params: AuthParams, deps: AuthDeps): Promise<AuthResult> {
  const { runtime } = deps
  if (params.idTokenRequest !== undefined) runtime.setSecret(params.idTokenRequest.bearer)
  // The role ARN names the account, and every message below quotes the ARN.
  if (params.shouldMaskAccountId) runtime.setSecret(accountIdOfRole(params.roleArn))
  // Where the last attempt got to: which request failed, and the token it had by then.
  const last: { step: AuthStep; token: string } = { step: 'token', token: '' }
  let earlyToken = deps.firstIdToken
  const attempt = async (): Promise<AuthResult> => {
    last.step = 'token'
    const token = earlyToken ?? fetchIdToken(params.idTokenRequest, params.audience, deps.fetch)
    earlyToken = undefined
    last.token = await token
    runtime.setSecret(last.token)
    last.step = 'sts'
    return exchangeToken(params, deps, last.token)
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

async function exchangeToken(params: AuthParams, deps: AuthDeps, token: string): Promise<AuthResult> {
  const response = await deps.sts.send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: params.roleArn,
      RoleSessionName: params.sessionName,
      WebIdentityToken: token,
      DurationSeconds: params.durationSeconds,
      ...(params.inlineSessionPolicy === undefined ? {} : { Policy: params.inlineSessionPolicy }),
      ...(params.managedSessionPolicies.length === 0
        ? {}
        : { PolicyArns: params.managedSessionPolicies.map((arn) => ({ arn })) }),
    }),
  )
  const c = response.Credentials
  if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined || c.SessionToken === undefined) {
    throw new ActionError('STS AssumeRoleWithWebIdentity answered without credentials.')
  }
  for (const secret of [c.AccessKeyId, c.SecretAccessKey, c.SessionToken]) deps.runtime.setSecret(secret)
  const assumedRoleArn = response.AssumedRoleUser?.Arn ?? ''
  const accountId = assumedRoleArn.split(':')[4] ?? accountIdOfRole(params.roleArn)
  if (params.shouldMaskAccountId) deps.runtime.setSecret(accountId)
  checkAllowedAccount(accountId, params)
  return {
    credentials: {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      ...(c.Expiration === undefined ? {} : { expiration: c.Expiration }),
    },
    accountId,
    assumedRoleArn,
    roleArn: params.roleArn,
    expiration: c.Expiration,
  }
}

function checkAllowedAccount(accountId: string, params: AuthParams): void {
  if (params.allowedAccountIds.length === 0 || params.allowedAccountIds.includes(accountId)) return
  throw new ActionError(
    `The assumed role is in account ${params.shouldMaskAccountId ? '***' : accountId}, which 'allowed-account-ids' does not list (${params.allowedAccountIds.join(', ')}).`,
    { hint: "Use a role in one of the allowed accounts, or add the account to 'allowed-account-ids'." },
  )
}

/** The account of a role ARN (arn:aws:iam::ACCOUNT:role/NAME). */
export function accountIdOfRole(roleArn: string): string {
  return roleArn.split(':')[4] ?? ''
}

export function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name
}

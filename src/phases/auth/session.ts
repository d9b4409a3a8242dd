import type { AssumeRoleResponse } from '@aws-sdk/client-sts'
import { ANSWER_HINT, ANSWER_SHAPES, checkAnswer } from '../../lib/answer-shapes.js'
import { ActionError } from '../../lib/errors.js'
import { accountIdOfArn, type AccountHider } from '../../lib/masking.js'
import { credentialsOf } from '../../lib/sts-credentials.js'
import type { Runtime } from '../../runner/runtime.js'
import type { AuthParams, AuthResult } from './types.js'

/**
 * An STS answer (AssumeRoleWithWebIdentity or AssumeRole: the same shape) as phase auth's result:
 * its secrets masked the moment they exist, its account checked against allowed-account-ids.
 */
export function sessionResult(
  response: Pick<AssumeRoleResponse, 'Credentials' | 'AssumedRoleUser'>,
  params: AuthParams,
  deps: { readonly runtime: Runtime; readonly accounts: AccountHider },
  operation: string,
): AuthResult {
  const credentials = credentialsOf(
    response.Credentials,
    deps.runtime,
    () => new ActionError(`STS ${operation} answered without credentials.`, { hint: ANSWER_HINT }),
  )
  const assumedRoleArn = checkAnswer(
    response.AssumedRoleUser?.Arn ?? '',
    ANSWER_SHAPES.assumedRoleArn,
    `AssumedRoleUser.Arn in STS ${operation}'s answer`,
  )
  const accountId = accountIdOfArn(assumedRoleArn) || accountIdOfArn(params.roleArn)
  deps.accounts.add(accountId)
  checkAllowedAccount(accountId, params, deps.accounts)
  return {
    credentials,
    accountId,
    assumedRoleArn,
    roleArn: params.roleArn,
    expiration: credentials.expiration,
  }
}

function checkAllowedAccount(accountId: string, params: AuthParams, accounts: AccountHider): void {
  if (params.allowedAccountIds.length === 0 || params.allowedAccountIds.includes(accountId)) return
  throw new ActionError(
    `The assumed role is in account ${accounts.hide(accountId)}, which 'allowed-account-ids' does not list (${params.allowedAccountIds.join(', ')}).`,
    { hint: "Use a role in one of the allowed accounts, or add the account to 'allowed-account-ids'." },
  )
}

/** Session policies as STS takes them: inline-session-policy and managed-session-policies, when given. */
export function sessionPolicies(params: AuthParams): { Policy?: string; PolicyArns?: { arn: string }[] } {
  return {
    ...(params.inlineSessionPolicy === undefined ? {} : { Policy: params.inlineSessionPolicy }),
    ...(params.managedSessionPolicies.length === 0
      ? {}
      : { PolicyArns: params.managedSessionPolicies.map((arn) => ({ arn })) }),
  }
}

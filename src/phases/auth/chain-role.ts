import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts'
import { CredentialSourceTimeoutError } from '../../lib/ambient-credentials.js'
import { ActionError } from '../../lib/errors.js'
import type { AccountHider } from '../../lib/masking.js'
import { DEFAULT_RETRY_POLICY } from '../../lib/retry.js'
import type { Runtime } from '../../runner/runtime.js'
import { explainStsFailure } from './errors.js'
import { sessionPolicies, sessionResult } from './session.js'
import type { AuthParams, AuthResult } from './types.js'

export interface ChainDeps {
  readonly runtime: Runtime
  /** Signs with the job's current credentials (the SDK's default chain); retries as the SDK does. */
  readonly sts: Pick<STSClient, 'send'>
  readonly accounts: AccountHider
  /** The whole phase, the credentials' resolution included (default: auth's 30 s). */
  readonly budgetMs?: number
}

/**
 * role-chaining: sts:AssumeRole with the credentials the job already has (an instance profile, IRSA,
 * EKS Pod Identity, an earlier step's), as configure-aws-credentials' `role-chaining` does.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
 */
export async function assumeRoleWithCurrentCredentials(
  params: AuthParams,
  deps: ChainDeps,
): Promise<AuthResult> {
  deps.accounts.add(params.roleArn)
  try {
    const response = await deps.sts.send(
      new AssumeRoleCommand({
        RoleArn: params.roleArn,
        RoleSessionName: params.sessionName,
        DurationSeconds: params.durationSeconds,
        ...sessionPolicies(params),
      }),
      { abortSignal: AbortSignal.timeout(deps.budgetMs ?? DEFAULT_RETRY_POLICY.budgetMs) },
    )
    return sessionResult(response, params, deps, 'AssumeRole')
  } catch (error) {
    if (error instanceof ActionError) throw error
    if (error instanceof CredentialSourceTimeoutError) throw stalled(error, params)
    if (error instanceof Error && error.name === 'CredentialsProviderError')
      throw noCredentials(error, params)
    if (error instanceof Error && error.name === 'AccessDenied') throw await accessDenied(error, params, deps)
    throw explainStsFailure(error, params, '', 'AssumeRole')
  }
}

function noCredentials(error: Error, params: AuthParams): ActionError {
  return new ActionError(
    `role-chaining: the job has no AWS credentials to assume ${params.roleArn} with (${error.message}).`,
    {
      cause: error,
      hint: [
        "role-chaining signs sts:AssumeRole with the job's current identity: an earlier configure-aws-credentials or eks-deploy-action step, or the runner's own (IRSA, EKS Pod Identity, an EC2 instance profile).",
        "Give the runner one, or drop 'role-chaining' to assume the role with the job's GitHub OIDC token.",
      ].join('\n'),
    },
  )
}

function stalled(error: CredentialSourceTimeoutError, params: AuthParams): ActionError {
  return new ActionError(
    `role-chaining: the job's current AWS credentials, to assume ${params.roleArn} with, did not arrive: ${error.message}.`,
    {
      cause: error,
      hint: [
        "The runner's credential source took the request and did not answer in time. Check it: on EKS, the eks-pod-identity-agent on the runner's node; on ECS, the container agent; on EC2, the instance's metadata options (IMDSv2 hop limit).",
        "Or drop 'role-chaining' to assume the role with the job's GitHub OIDC token.",
      ].join('\n'),
    },
  )
}

/** AccessDenied: name the identity that asked (GetCallerIdentity) and the trust statement that lets it. */
async function accessDenied(error: Error, params: AuthParams, deps: ChainDeps): Promise<ActionError> {
  const caller = await deps.sts
    .send(new GetCallerIdentityCommand({}))
    .then((answer) => answer.Arn)
    .catch(() => undefined)
  const principal = caller === undefined ? '<the runner role ARN>' : roleOfSession(caller)
  deps.accounts.add(principal)
  const statement = { Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }
  const who = caller ?? "the job's current identity"
  const hint = [
    `The trust policy of ${params.roleArn} must allow it, with a statement such as:`,
    JSON.stringify(statement, null, 2),
    `and the policy of ${principal} must allow sts:AssumeRole on ${params.roleArn}.`,
  ].join('\n')
  return new ActionError(
    deps.accounts.hide(`Not authorized to assume ${params.roleArn} as ${who} (AccessDenied).`),
    { cause: error, hint: deps.accounts.hide(hint) },
  )
}

/** arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION → arn:aws:iam::ACCOUNT:role/ROLE (the principal IAM names). */
export function roleOfSession(arn: string): string {
  const match = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn)
  return match === null ? arn : `arn:${match[1] ?? 'aws'}:iam::${match[2] ?? ''}:role/${match[3] ?? ''}`
}

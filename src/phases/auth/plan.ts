import type { Inputs } from '../../inputs/types.js'
import type { PlanContext } from '../phase.js'
import type { AuthParams } from './types.js'

/** Phase auth's parameters: the role to assume (auth runs only when there is one). */
export function planAuth(
  inputs: Inputs,
  { selected }: Pick<PlanContext, 'selected'>,
): AuthParams | undefined {
  const { auth, context } = inputs
  const roleArn = auth.roleToAssume
  if (!selected.has('auth') || roleArn === undefined) return undefined
  return {
    region: inputs.region,
    roleArn,
    isRoleChaining: auth.isRoleChaining,
    audience: auth.audience,
    sessionName: auth.roleSessionName,
    durationSeconds: auth.roleDurationSeconds,
    inlineSessionPolicy: auth.inlineSessionPolicy,
    managedSessionPolicies: auth.managedSessionPolicies,
    allowedAccountIds: auth.allowedAccountIds,
    idTokenRequest: context.idTokenRequest,
  }
}

import type { Inputs } from '../../inputs/types.js'
import type { AuthParams } from './types.js'

/** Phase auth's parameters: the role to assume (the plan runs auth only when there is one). */
export function planAuth(inputs: Inputs, roleArn: string): AuthParams {
  const { auth, context } = inputs
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

import type { PhaseDeps } from '../phase.js'
import { assumeRoleWithOidc } from './assume-role.js'
import { assumeRoleWithCurrentCredentials } from './chain-role.js'
import type { AuthParams, AuthResult } from './types.js'

export type { AuthParams, AuthResult } from './types.js'

/** What phase auth takes from before it: the ID token the orchestrator requested before this module loaded. */
export interface AuthEarlier {
  readonly idToken?: Promise<string> | undefined
}

/**
 * Phase auth: the job's GitHub OIDC token → STS AssumeRoleWithWebIdentity → session credentials; or,
 * with role-chaining, STS AssumeRole signed by the job's current credentials.
 */
export async function run(params: AuthParams, deps: PhaseDeps, earlier: AuthEarlier): Promise<AuthResult> {
  const { runtime, accounts } = deps
  // The group title shows the role ARN, so its account is masked before the title is printed.
  accounts.add(params.roleArn)
  const how = params.isRoleChaining ? "the job's current credentials (role-chaining)" : 'GitHub OIDC'
  return runtime.group(`Assume ${params.roleArn} with ${how}`, async () => {
    const result = params.isRoleChaining
      ? await assumeRoleWithCurrentCredentials(params, {
          runtime,
          accounts,
          sts: await deps.clients.sts({ region: params.region }),
        })
      : await assumeRoleWithOidc(params, {
          runtime,
          // The OIDC path retries itself, each attempt with a fresh ID token: one SDK attempt per call.
          sts: await deps.clients.sts({ region: params.region, maxAttempts: 1 }),
          httpGet: deps.httpGet,
          accounts,
          ...(earlier.idToken === undefined ? {} : { firstIdToken: earlier.idToken }),
        })
    runtime.info(`Assumed ${result.assumedRoleArn} (account ${accounts.hide(result.accountId)}).`)
    return result
  })
}

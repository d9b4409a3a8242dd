import type { AwsClientFactory } from './aws-clients.js'
import { parseInputs, type Inputs } from './inputs.js'
import type { ReadInput } from './input-readers.js'
import { publishResults, type RunResults } from './outputs.js'
import { planPhases, type Plan } from './plan.js'
import type { RunnerContext } from './runner-context.js'
import type { Runtime } from './runtime.js'
import { PhaseTimer } from './phase-timer.js'
import type { AuthResult } from './phases/auth.js'

export interface MainDeps {
  readonly runtime: Runtime
  readonly readInput: ReadInput
  readonly context: RunnerContext
  readonly clients: AwsClientFactory
  readonly fetch: typeof fetch
}

/**
 * The whole action: inputs → plan → auth → (ecr-login ‖ kubeconfig ‖ image check) → deploy → outputs.
 * Phase modules are imported only when their phase runs, so bad inputs fail before the SDK loads.
 */
export async function run(deps: MainDeps): Promise<void> {
  const inputs = parseInputs(deps.readInput, deps.context)
  const plan = planPhases(inputs)
  const timer = new PhaseTimer(deps.runtime)

  const auth = plan.auth ? await timer.time('auth', () => runAuth(inputs, deps)) : undefined

  const results: RunResults = { inputs, plan, auth, timings: timer.timings }
  await publishResults(results, deps.runtime)
}

async function runAuth(inputs: Inputs, deps: MainDeps): Promise<AuthResult> {
  const { assumeRoleWithOidc, accountIdOfRole } = await import('./phases/auth.js')
  const roleArn = inputs.auth.roleToAssume ?? ''
  // The group title shows the role ARN, so its account is masked before the title is printed.
  if (inputs.auth.shouldMaskAccountId) deps.runtime.setSecret(accountIdOfRole(roleArn))
  return deps.runtime.group(`Assume ${roleArn} with GitHub OIDC`, async () => {
    const sts = await deps.clients.sts({ region: inputs.region, maxAttempts: 1 })
    const result = await assumeRoleWithOidc(
      {
        roleArn,
        audience: inputs.auth.audience,
        sessionName: inputs.auth.roleSessionName,
        durationSeconds: inputs.auth.roleDurationSeconds,
        inlineSessionPolicy: inputs.auth.inlineSessionPolicy,
        managedSessionPolicies: inputs.auth.managedSessionPolicies,
        allowedAccountIds: inputs.auth.allowedAccountIds,
        shouldMaskAccountId: inputs.auth.shouldMaskAccountId,
        idTokenRequest: inputs.context.idTokenRequest,
      },
      { runtime: deps.runtime, sts, fetch: deps.fetch },
    )
    deps.runtime.info(
      `Assumed ${result.assumedRoleArn} (account ${inputs.auth.shouldMaskAccountId ? '***' : result.accountId}).`,
    )
    return result
  })
}

export type { Plan }

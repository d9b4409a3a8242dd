import type { Inputs } from './inputs.js'
import type { Plan } from './plan.js'
import type { PhaseTiming } from './phase-timer.js'
import type { AuthResult } from './phases/auth.js'
import type { DeployResult } from './phases/deploy.js'
import { deployOutputs } from './deploy-report.js'
import type { Runtime } from './runtime.js'
import { renderSummary } from './summary.js'

/** Everything the phases produced; the one input of the outputs, the exported env and the summary. */
export interface RunResults {
  readonly inputs: Inputs
  readonly plan: Plan
  readonly auth: AuthResult | undefined
  readonly deploy: DeployResult | undefined
  readonly timings: readonly PhaseTiming[]
}

/** The step outputs, by name as declared in action.yml. */
export function collectOutputs(results: RunResults): Record<string, string> {
  const outputs: Record<string, string> = {}
  const { auth } = results
  if (auth !== undefined) {
    outputs['aws-account-id'] = auth.accountId
    outputs['aws-role-arn'] = auth.assumedRoleArn
    if (auth.expiration !== undefined) outputs['aws-credentials-expiration'] = auth.expiration.toISOString()
  }
  if (results.deploy !== undefined) Object.assign(outputs, deployOutputs(results.deploy))
  return outputs
}

/** The variables later steps of the job get through GITHUB_ENV. */
export function collectExportedEnv(results: RunResults): Record<string, string> {
  const env: Record<string, string> = {}
  const { auth, inputs } = results
  if (auth !== undefined && inputs.auth.shouldExportCredentials) {
    env.AWS_ACCESS_KEY_ID = auth.credentials.accessKeyId
    env.AWS_SECRET_ACCESS_KEY = auth.credentials.secretAccessKey
    if (auth.credentials.sessionToken !== undefined) env.AWS_SESSION_TOKEN = auth.credentials.sessionToken
    env.AWS_REGION = inputs.region
    env.AWS_DEFAULT_REGION = inputs.region
  }
  return env
}

export async function publishResults(results: RunResults, runtime: Runtime): Promise<void> {
  for (const [name, value] of Object.entries(collectOutputs(results))) runtime.setOutput(name, value)
  for (const [name, value] of Object.entries(collectExportedEnv(results))) runtime.exportVariable(name, value)
  await runtime.appendSummary(renderSummary(results))
}

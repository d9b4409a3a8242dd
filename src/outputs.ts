import type { Inputs } from './inputs.js'
import type { Plan } from './plan.js'
import type { PhaseTiming } from './phase-timer.js'
import type { AuthResult } from './phases/auth.js'
import type { KubeconfigResult } from './phases/kubeconfig.js'
import type { EcrResult } from './ecr-result.js'
import type { DeployResult } from './phases/deploy.js'
import { deployOutputs } from './deploy-report.js'
import type { Runtime } from './runtime.js'
import { renderSummary } from './summary.js'

/** Everything the phases produced; the one input of the outputs, the exported env and the summary. */
export interface RunResults {
  readonly inputs: Inputs
  readonly plan: Plan
  readonly auth: AuthResult | undefined
  readonly kubeconfig: KubeconfigResult | undefined
  readonly ecr: EcrResult | undefined
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
  Object.assign(outputs, collectEcrOutputs(results.ecr), collectKubeconfigOutputs(results.kubeconfig))
  if (results.deploy !== undefined) Object.assign(outputs, deployOutputs(results.deploy))
  return outputs
}

function collectKubeconfigOutputs(kubeconfig: KubeconfigResult | undefined): Record<string, string> {
  if (kubeconfig === undefined) return {}
  return {
    kubeconfig: kubeconfig.path,
    'cluster-endpoint': kubeconfig.endpoint,
    'cluster-arn': kubeconfig.arn,
    'cluster-version': kubeconfig.version,
  }
}

function collectEcrOutputs(ecr: EcrResult | undefined): Record<string, string> {
  if (ecr === undefined) return {}
  const outputs: Record<string, string> = {}
  if (ecr.registry !== undefined) outputs.registry = ecr.registry
  if (ecr.image !== undefined) {
    outputs.image = ecr.image.reference
    outputs['image-tag'] = ecr.image.tag
    if (ecr.image.digest !== undefined) outputs['image-digest'] = ecr.image.digest
  }
  if (ecr.dockerConfigDir !== undefined) outputs['docker-config'] = ecr.dockerConfigDir
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
  if (results.kubeconfig !== undefined && inputs.kubeconfig.shouldExportKubeconfig) {
    env.KUBECONFIG = results.kubeconfig.path
  }
  if (results.ecr?.dockerConfigDir !== undefined) env.DOCKER_CONFIG = results.ecr.dockerConfigDir
  return env
}

export async function publishResults(results: RunResults, runtime: Runtime): Promise<void> {
  for (const [name, value] of Object.entries(collectOutputs(results))) runtime.setOutput(name, value)
  for (const [name, value] of Object.entries(collectExportedEnv(results))) runtime.exportVariable(name, value)
  await runtime.appendSummary(renderSummary(results))
}

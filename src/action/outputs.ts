import * as authReport from '../phases/auth/report.js'
import * as deployReport from '../phases/deploy/report.js'
import * as ecrReport from '../phases/ecr/report.js'
import * as kubeconfigReport from '../phases/kubeconfig/report.js'
import * as teardownReport from '../phases/teardown/report.js'
import * as verifyReport from '../phases/verify/report.js'
import type { RunResults } from './results.js'

/** The step outputs, by name as declared in action.yml: each phase's that ran, in the table's order. */
export function collectOutputs(results: RunResults): Record<string, string> {
  const { auth, ecr, kubeconfig, verify, deploy, teardown } = results
  return {
    ...(auth && authReport.outputsOf(auth)),
    ...(ecr && ecrReport.outputsOf(ecr)),
    ...(kubeconfig && kubeconfigReport.outputsOf(kubeconfig)),
    ...(verify && verifyReport.outputsOf(verify)),
    ...(deploy && deployReport.outputsOf(deploy)),
    ...(teardown && teardownReport.outputsOf(teardown)),
    ...(results.github?.deployment === undefined
      ? {}
      : { 'deployment-id': String(results.github.deployment.id) }),
  }
}

/** The variables later steps of the job get through GITHUB_ENV. */
export function collectExportedEnv(results: RunResults): Record<string, string> {
  const env: Record<string, string> = {}
  const { auth, inputs } = results
  if (auth !== undefined && inputs.auth.shouldExportCredentials) {
    env.AWS_ACCESS_KEY_ID = auth.credentials.accessKeyId
    env.AWS_SECRET_ACCESS_KEY = auth.credentials.secretAccessKey
    if (auth.credentials.sessionToken !== undefined) env.AWS_SESSION_TOKEN = auth.credentials.sessionToken
    // As configure-aws-credentials does: the SDKs and the token plugin read it, so a later step never
    // signs past the session's end, and says the session expired instead of a bare Unauthorized.
    if (auth.credentials.expiration !== undefined) {
      env.AWS_CREDENTIAL_EXPIRATION = auth.credentials.expiration.toISOString()
    }
    env.AWS_REGION = inputs.region
    env.AWS_DEFAULT_REGION = inputs.region
  }
  if (results.kubeconfig !== undefined && inputs.kubeconfig.shouldExportKubeconfig) {
    env.KUBECONFIG = results.kubeconfig.path
  }
  if (results.ecr?.dockerConfigDir !== undefined) env.DOCKER_CONFIG = results.ecr.dockerConfigDir
  return env
}

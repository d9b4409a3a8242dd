import { runInBufferedGroup } from './buffered-group.js'
import type { CleanupRecorder } from './cleanup-recorder.js'
import { resolveStsEndpoint } from './eks-token.js'
import type { Inputs } from './inputs.js'
import type { MainDeps } from './main.js'
import type { AuthResult } from './phases/auth.js'
import type { KubeconfigResult } from './phases/kubeconfig.js'

/**
 * Wires phase kubeconfig to the run: its clients, the STS endpoint the token names, the token
 * plugin's location. The phase module (and the EKS client) load only when the phase runs.
 */
export async function runKubeconfig(
  inputs: Inputs,
  auth: AuthResult | undefined,
  deps: MainDeps,
  cleanup: CleanupRecorder,
): Promise<KubeconfigResult> {
  const { writeClusterKubeconfig } = await import('./phases/kubeconfig.js')
  const { clusterName = '', clusterRoleArn, auth: kubeconfigAuth } = inputs.kubeconfig
  const credentials = auth?.credentials
  // Runs alongside ecr-login: its lines are held and printed as one group when it ends.
  return runInBufferedGroup(deps.runtime, `Kubeconfig for EKS cluster ${clusterName}`, async (runtime) => {
    const eks = await deps.clients.eks({ region: inputs.region, credentials })
    const result = await writeClusterKubeconfig(
      {
        clusterName,
        region: inputs.region,
        auth: kubeconfigAuth,
        clusterRoleArn,
        roleSessionName: inputs.auth.roleSessionName,
        credentials,
        stsEndpoint: resolveStsEndpoint(inputs.context.env, inputs.region),
        runnerTemp: inputs.context.runnerTemp,
        tokenPlugin: deps.tokenPlugin,
      },
      {
        runtime,
        eks,
        sts: () => deps.clients.sts({ region: inputs.region, credentials }),
        resolveAmbientCredentials: () => eks.config.credentials(),
      },
    )
    cleanup.add(result.createdPaths)
    const user = kubeconfigAuth === 'exec' ? 'exec token plugin' : 'static token'
    runtime.info(`Wrote ${result.path} (user: ${user}).`)
    const signsWithJobCredentials = kubeconfigAuth === 'exec' && clusterRoleArn === undefined
    if (signsWithJobCredentials && auth !== undefined && !inputs.auth.shouldExportCredentials) {
      runtime.info(
        'export-credentials is false: later steps that use this kubeconfig must give kubectl/helm AWS credentials themselves.',
      )
    }
    return result
  })
}

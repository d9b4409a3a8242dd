import type { AwsCredentials } from '../../lib/aws-clients.js'
import { runBuffered } from '../../runner/buffered-group.js'
import type { PhaseDeps } from '../phase.js'
import type { KubeconfigParams, KubeconfigResult } from './types.js'
import { writeClusterKubeconfig } from './write.js'

export type { KubeconfigParams, KubeconfigResult } from './types.js'

/** What phase kubeconfig takes from before it: phase auth's credentials (undefined: the default chain). */
export interface KubeconfigEarlier {
  readonly credentials: AwsCredentials | undefined
}

/**
 * Phase kubeconfig: DescribeCluster, then a private kubeconfig whose user runs this action's token
 * plugin. It runs alongside ecr-login, so its log group prints when it ends.
 */
export async function run(
  params: KubeconfigParams,
  deps: PhaseDeps,
  earlier: KubeconfigEarlier,
): Promise<KubeconfigResult> {
  const { credentials } = earlier
  return runBuffered(deps.runtime, (runtime) =>
    runtime.group(`Kubeconfig for EKS cluster ${params.clusterName}`, async () => {
      const eks = await deps.clients.eks({ region: params.region, credentials })
      const result = await writeClusterKubeconfig(
        { ...params, credentials, tokenPlugin: deps.tokenPlugin },
        {
          runtime,
          eks,
          sts: () => deps.clients.sts({ region: params.region, credentials }),
          resolveAmbientCredentials: () => eks.config.credentials(),
        },
      )
      deps.cleanup.add(result.createdPaths)
      runtime.info(
        `Wrote ${result.path} (user: ${params.auth === 'exec' ? 'exec token plugin' : 'static token'}).`,
      )
      const signsWithJobCredentials = params.auth === 'exec' && params.clusterRoleArn === undefined
      if (signsWithJobCredentials && credentials !== undefined && !params.shouldExportCredentials) {
        runtime.info(
          'export-credentials is false: later steps that use this kubeconfig must give kubectl/helm AWS credentials themselves.',
        )
      }
      return result
    }),
  )
}

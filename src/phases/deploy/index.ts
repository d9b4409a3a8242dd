import type { AwsCredentials } from '../../lib/aws-clients.js'
import type { ImageRef } from '../../lib/image-ref.js'
import { isolatedHelmFiles } from './helm/isolation.js'
import { prepareHelmStep } from './helm/step.js'
import type { PhaseDeps } from '../phase.js'
import type { ClusterIdentity } from './helm/unauthorized.js'
import { makeImageNote } from './image-note.js'
import { deployRelease } from './release.js'
import type { DeployParams, DeployResult } from './types.js'

export type { DeployParams, DeployResult } from './types.js'
export type { ClusterIdentity } from './helm/unauthorized.js'

/** What phase deploy takes from the phases before it. */
export interface DeployEarlier {
  /** Phase auth's credentials, which the kubeconfig's token plugin signs with under helm. */
  readonly credentials: AwsCredentials | undefined
  /** Phase ecr-login's image, set as <image-repository-key> and <image-tag-key>. */
  readonly image: ImageRef | undefined
  /** Phase ecr-login's Docker config directory: helm reads registry logins for OCI charts there. */
  readonly dockerConfigDir: string | undefined
  /** Phase kubeconfig's file; without it helm uses the job's KUBECONFIG. */
  readonly kubeconfigPath: string | undefined
  /** The cluster and IAM role the kubeconfig reaches it as, named when the cluster refuses them. */
  readonly cluster: ClusterIdentity | undefined
}

// A request to the API server that takes longer than this is abandoned (the watch polls again).
const KUBE_REQUEST_TIMEOUT_MS = 10_000

/** Phase deploy: helm from the tool cache, then `helm upgrade --install` with automatic rollback, watched. */
export async function run(
  params: DeployParams,
  deps: PhaseDeps,
  earlier: DeployEarlier,
): Promise<DeployResult> {
  const { helmDir, signingEnv } = await prepareHelmStep(params, deps, earlier.credentials)
  return deployRelease(
    {
      ...params.helm,
      spec: params.spec,
      jobEnv: params.jobEnv,
      extraEnv: signingEnv,
      image: earlier.image,
      kubeconfigPath: earlier.kubeconfigPath,
      dockerConfigDir: earlier.dockerConfigDir,
      helmFiles: isolatedHelmFiles(helmDir, params.spec.chart),
      cluster: earlier.cluster,
    },
    {
      runtime: deps.runtime,
      connectKube: async () =>
        (await import('./rollout/kube-client.js')).createKubeClient({
          kubeconfigPath: earlier.kubeconfigPath,
          jobEnv: params.jobEnv,
          execEnv: signingEnv,
          requestTimeoutMs: KUBE_REQUEST_TIMEOUT_MS,
        }),
      ...(earlier.image === undefined ? {} : { describeImage: makeImageNote(deps, earlier.credentials) }),
      time: deps.time,
      record: deps.record,
    },
  )
}

import { resolveStsEndpoint } from '../../eks-token/presign.js'
import type { Inputs } from '../../inputs/types.js'
import type { KubeconfigParams } from './types.js'

/** Phase kubeconfig's parameters: the cluster (the plan runs kubeconfig only when it is named). */
export function planKubeconfig(inputs: Inputs, clusterName: string): KubeconfigParams {
  const { auth, kubeconfig, context } = inputs
  return {
    clusterName,
    region: inputs.region,
    auth: kubeconfig.auth,
    clusterRoleArn: kubeconfig.clusterRoleArn,
    roleSessionName: auth.roleSessionName,
    stsEndpoint: resolveStsEndpoint(context.env, inputs.region),
    runnerTemp: context.runnerTemp,
    shouldExportCredentials: auth.shouldExportCredentials,
  }
}

import { resolveStsEndpoint } from '../../eks-token/presign.js'
import type { Inputs } from '../../inputs/types.js'
import type { PlanContext } from '../phase.js'
import type { KubeconfigParams } from './types.js'

/** Phase kubeconfig's parameters: the cluster (kubeconfig runs only when it is named). */
export function planKubeconfig(
  inputs: Inputs,
  { selected }: Pick<PlanContext, 'selected'>,
): KubeconfigParams | undefined {
  const { auth, kubeconfig, context } = inputs
  const { clusterName } = kubeconfig
  if (!selected.has('kubeconfig') || clusterName === undefined) return undefined
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

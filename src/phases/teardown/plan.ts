import type { Inputs } from '../../inputs/types.js'
import { checkClusterReachable } from '../../kube/reachable.js'
import type { PlanContext } from '../phase.js'
import type { TeardownParams } from './types.js'

/**
 * Phase deploy with `uninstall: true`: the release only (a chart or manifests given too are not used,
 * so one step can serve both events). Without the kubeconfig phase, the job must name a cluster.
 */
export async function planTeardown(
  inputs: Inputs,
  { selected, files }: Pick<PlanContext, 'selected' | 'files'>,
): Promise<TeardownParams | undefined> {
  const { deploy, context } = inputs
  if (!selected.has('deploy') || deploy.release === undefined || !inputs.teardown.shouldUninstall)
    return undefined
  if (!selected.has('kubeconfig')) await checkClusterReachable(inputs, files)
  return {
    helm: {
      helmVersion: deploy.helmVersion,
      helmMirror: deploy.helmMirror,
      os: context.os,
      arch: context.arch,
    },
    region: inputs.region,
    jobEnv: context.env,
    runnerTemp: context.runnerTemp,
    release: deploy.release,
    namespace: deploy.namespace,
    shouldDeleteNamespace: inputs.teardown.shouldDeleteNamespace,
    timeout: deploy.timeout,
    timeoutSeconds: deploy.timeoutSeconds,
  }
}

import path from 'node:path'
import type { Inputs } from '../inputs/types.js'
import { nonEmpty } from '../lib/env.js'
import { ActionError } from '../lib/errors.js'
import type { PlanFiles } from '../runner/plan-files.js'

/**
 * A deploy (or uninstall) without the kubeconfig phase talks to whatever cluster the job's
 * environment names: KUBECONFIG from an earlier step, ~/.kube/config on a self-hosted runner, or the
 * pod's own service account on a runner inside Kubernetes. With none of them helm would try
 * localhost:8080 after every AWS call; this fails at once instead.
 */
export async function checkClusterReachable(inputs: Inputs, files: PlanFiles): Promise<void> {
  const { env } = inputs.context
  if (nonEmpty(env, 'KUBECONFIG') !== undefined || nonEmpty(env, 'KUBERNETES_SERVICE_HOST') !== undefined)
    return
  const home = nonEmpty(env, 'HOME') ?? nonEmpty(env, 'USERPROFILE')
  if (home !== undefined && (await files.kind(path.join(home, '.kube', 'config'))) === 'file') return
  const phase = inputs.teardown.shouldUninstall ? 'deploy (uninstall: true)' : 'deploy'
  const why =
    inputs.kubeconfig.clusterName === undefined
      ? "input 'cluster-name' is empty"
      : "input 'phases' leaves out kubeconfig"
  const fix =
    inputs.kubeconfig.clusterName === undefined
      ? 'set cluster-name (or run after a step that exports KUBECONFIG)'
      : 'add kubeconfig to phases (or run after a step that exports KUBECONFIG)'
  throw new ActionError(
    `Phase ${phase} has no cluster to talk to: ${why}, and the job has no KUBECONFIG (nor ~/.kube/config): ${fix}.`,
    {
      hint: 'cluster-name: my-cluster makes the action write a kubeconfig for the EKS cluster (phase kubeconfig). To deploy to a cluster an earlier step set up, export KUBECONFIG in that step.',
    },
  )
}

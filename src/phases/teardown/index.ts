import type { AwsCredentials } from '../../lib/aws-clients.js'
import { setUpHelmInGroup } from '../../helm/cli.js'
import { buildHelmEnv } from '../../helm/env.js'
import { isolatedHelmFiles } from '../../helm/isolation.js'
import { prepareHelmStep } from '../../helm/step.js'
import { kubeConnection } from '../../kube/connect.js'
import type { PhaseDeps } from '../phase.js'
import type { TeardownParams, TeardownResult } from './types.js'
import { tearDown } from './uninstall.js'

export type { TeardownParams, TeardownResult } from './types.js'

/** What the teardown takes from the phases before it. */
export interface TeardownEarlier {
  readonly credentials: AwsCredentials | undefined
  /** Phase kubeconfig's file; without it helm uses the job's KUBECONFIG. */
  readonly kubeconfigPath: string | undefined
}

/** Phase deploy with `uninstall: true`: `helm uninstall --wait`, then (delete-namespace) the namespace. */
export async function run(
  params: TeardownParams,
  deps: PhaseDeps,
  earlier: TeardownEarlier,
): Promise<TeardownResult> {
  const { helmDir, signingEnv } = await prepareHelmStep(params, deps, earlier.credentials)
  const env = buildHelmEnv({
    jobEnv: params.jobEnv,
    extraEnv: signingEnv,
    kubeconfigPath: earlier.kubeconfigPath,
    // No chart to pull: helm's registry file is the step's own, as for a local chart.
    helmFiles: isolatedHelmFiles(helmDir, { kind: 'path', path: '' }),
  })
  const helm = await deps.time('helm setup', () => setUpHelmInGroup(params.helm, env, deps.runtime))
  return tearDown(helm, params, {
    time: deps.time,
    connectKube: kubeConnection({
      kubeconfigPath: earlier.kubeconfigPath,
      jobEnv: params.jobEnv,
      execEnv: signingEnv,
    }),
  })
}

import type { AwsCredentials } from '../../lib/aws-clients.js'
import { makePrivateDir } from '../../lib/private-file.js'
import { buildSigningEnv } from '../../lib/signing-env.js'
import { setUpHelm } from '../deploy/helm/cli.js'
import { buildHelmEnv } from '../deploy/helm/env.js'
import { isolatedHelmFiles } from '../deploy/helm/isolation.js'
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

const KUBE_REQUEST_TIMEOUT_MS = 10_000

/** Phase deploy with `uninstall: true`: `helm uninstall --wait`, then (delete-namespace) the namespace. */
export async function run(
  params: TeardownParams,
  deps: PhaseDeps,
  earlier: TeardownEarlier,
): Promise<TeardownResult> {
  const { runtime } = deps
  const helmDir = await makePrivateDir(params.runnerTemp, 'eks-helm-')
  deps.cleanup.add([helmDir])
  const signingEnv = buildSigningEnv({
    env: params.jobEnv,
    credentials: earlier.credentials,
    region: params.region,
  })
  const env = buildHelmEnv({
    jobEnv: params.jobEnv,
    extraEnv: signingEnv,
    kubeconfigPath: earlier.kubeconfigPath,
    helmFiles: isolatedHelmFiles(helmDir, { kind: 'path', path: '' }),
  })
  const label = params.helm.helmVersion.kind === 'system' ? 'from the PATH' : params.helm.helmVersion.version
  const helm = await deps.time('helm setup', () =>
    runtime.group(`Set up helm ${label}`, () => setUpHelm(params.helm, env, runtime)),
  )
  return tearDown(helm, params, {
    time: deps.time,
    connectKube: async () =>
      (await import('../deploy/rollout/kube-client.js')).createKubeClient({
        kubeconfigPath: earlier.kubeconfigPath,
        jobEnv: params.jobEnv,
        execEnv: signingEnv,
        requestTimeoutMs: KUBE_REQUEST_TIMEOUT_MS,
      }),
  })
}

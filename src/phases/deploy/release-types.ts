import type { ActionError } from '../../lib/errors.js'
import type { ImageRef } from '../../lib/image-ref.js'
import type { Runtime } from '../../runner/runtime.js'
import type { PhaseDeps } from '../phase.js'
import type { ReleaseSpec } from '../../helm/args.js'
import type { HelmSetup, HelmTimeouts } from '../../helm/cli.js'
import type { HelmEnvParams } from '../../helm/env.js'
import type { ClusterIdentity } from '../../helm/unauthorized.js'
import type { DiagnosticsDeps } from './rollout/diagnose.js'
import type { KubeApi, LeaseApi } from '../../kube/kube-api.js'
import type { LeaseMemory, LockParams } from './lock/index.js'
import type { DeployHeadStart } from './deploy-start.js'
import type { KubeconfigAuth, VerifyInputs } from '../../inputs/types.js'
import type { VerifyTools } from './verified.js'
import type { ChartToDeploy } from './chart-pin.js'

/** What deployRelease (release.ts) takes: its parameters and its dependencies. */

/** The plan's parameters with what the earlier phases produced, as deployRelease needs them. */
export interface DeployReleaseParams extends HelmSetup, HelmEnvParams {
  readonly spec: ReleaseSpec
  /** The image of the ecr-login phase, set as <image-repository-key> and <image-tag-key>. */
  readonly image?: ImageRef | undefined
  /** The image is already in the chart (pinned into plain manifests): no image values. */
  readonly isImagePinned?: boolean
  /** The release takes over objects kubectl apply created (plain manifests): helm's flags for that. */
  readonly isAdopting?: boolean
  /** The kubeconfig phase's cluster and IAM role, named when the cluster refuses them (HTTP 401/403). */
  readonly cluster?: ClusterIdentity | undefined
  /** The checks after a successful rollout; undefined: none asked. */
  readonly verify?: VerifyInputs | undefined
  /** The release lock (lock: true or required); undefined with lock: false and in a dry run. */
  readonly lock?: LockParams | undefined
  /** An oci:// chart's digest, read while helm is set up (chart-pin.ts): helm deploys that. */
  readonly chartPin?: Promise<ChartToDeploy | ActionError> | undefined
  /** The step's private helm directory (helm started ahead keeps its gate there). */
  readonly helmDir?: string | undefined
  /** How the kubeconfig phase's file authenticates (helm is started ahead only with its token plugin). */
  readonly kubeconfigAuth?: KubeconfigAuth | undefined
}

export interface DeployDeps {
  readonly runtime: Runtime
  /** The Kubernetes API as helm's identity; made only for a pre-flight, a rollout watch or the lock. */
  readonly connectKube: () => Promise<KubeApi>
  /** The same client's Leases, for the release lock. */
  readonly connectLeases?: () => Promise<KubeApi & LeaseApi>
  /** Keeps a held lock in the post step's state until it is given up. */
  readonly leaseMemory?: LeaseMemory
  /** What ECR says about an image the cluster cannot pull; undefined without an image of this run. */
  readonly describeImage?: DiagnosticsDeps['describeImage']
  /** Writes that must come right before helm's, after the pre-flight (adopting objects); not in a dry run. */
  readonly beforeUpgrade?: () => Promise<ActionError | undefined>
  /** The parts of the deploy on the job summary's timeline. */
  readonly time: PhaseDeps['time']
  readonly record: PhaseDeps['record']
  /** The defaults in a run; tests give short ones. */
  readonly timeouts?: HelmTimeouts
  /** helm and the render, started with the step (head-start.ts); without it, both start here. */
  readonly headStart?: Pick<DeployHeadStart, 'helm' | 'rendered' | 'printLog'>
  /** What verification uses, given when it is asked for. */
  readonly verifyTools?: VerifyTools
}

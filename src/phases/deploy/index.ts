import type { KubeconfigAuth } from '../../inputs/types.js'
import type { ChartRef } from '../../inputs/types.js'
import type { AwsCredentials } from '../../lib/aws-clients.js'
import type { ImageRef } from '../../lib/image-ref.js'
import { isolatedHelmFiles } from '../../helm/isolation.js'
import { buildSigningEnv } from '../../lib/signing-env.js'
import { prepareHelmStep } from '../../helm/step.js'
import type { DeployHeadStart } from './deploy-start.js'
import type { PhaseDeps } from '../phase.js'
import type { ClusterIdentity } from '../../helm/unauthorized.js'
import { makeImageNote } from './image-note.js'
import type { ManifestChart } from './manifests/index.js'
import { deployRelease } from './release.js'
import { leaseMemory } from './lock-memory.js'
import type { VerifyTools } from './verified.js'
import type { KubeApi } from '../../kube/kube-api.js'
import { kubeConnection } from '../../kube/connect.js'
import type { DeployParams, DeployResult } from './types.js'
import { pinChart, type VerifiedChart } from './chart-pin.js'
import { ActionError } from '../../lib/errors.js'
import { printable } from '../../lib/printable.js'
import { failed } from './release-end.js'
import { writeKeyring, type ChartProvenance } from './provenance.js'

export type { ChartSource, DeployParams, DeployResult } from './types.js'
export type { VerifiedChart } from './chart-pin.js'
export type { ClusterIdentity } from '../../helm/unauthorized.js'
export { startDeploy, type DeployHeadStart } from './deploy-start.js'

/** What phase deploy takes from the phases before it. */
export interface DeployEarlier {
  /** Phase auth's credentials, which the kubeconfig's token plugin signs with under helm. */
  readonly credentials: AwsCredentials | undefined
  /** Phase ecr-login's image: set as <image-repository-key> and <image-tag-key>, or pinned into manifests. */
  readonly image: ImageRef | undefined
  /** Phase ecr-login's Docker config directory: helm reads registry logins for OCI charts there. */
  readonly dockerConfigDir: string | undefined
  /** Phase kubeconfig's file; without it helm uses the job's KUBECONFIG. */
  readonly kubeconfigPath: string | undefined
  /** How phase kubeconfig's file authenticates: its token plugin (exec) or a static token. */
  readonly kubeconfigAuth?: KubeconfigAuth | undefined
  /**
   * Phase kubeconfig's cluster, and the IAM roles its tokens may be signed as (cluster-role-arn, else
   * phase auth's role), named when the cluster refuses them.
   */
  readonly cluster: ClusterRoles | undefined
  /** What the deploy started with the step (startDeploy), if it did. */
  readonly headStart?: DeployHeadStart | undefined
  /** Phase verify's oci:// chart (verify-chart), pinned and verified: deployed as it is. */
  readonly chart?: VerifiedChart | undefined
}

/** The cluster the kubeconfig reaches, and the roles its tokens may be signed as. */
export interface ClusterRoles {
  readonly clusterName: string
  readonly clusterRoleArn: string | undefined
  readonly authRoleArn: string | undefined
}

/**
 * Phase deploy: plain manifests made into a chart (after ECR: the image is pinned into them); helm from
 * the tool cache, then `helm upgrade --install` with automatic rollback, watched.
 */
export async function run(
  params: DeployParams,
  deps: PhaseDeps,
  earlier: DeployEarlier,
): Promise<DeployResult> {
  const { headStart } = earlier
  // Its account is masked before anything of the deploy is printed.
  const cluster = clusterIdentity(params, deps, earlier.cluster)
  const { helmDir, signingEnv } =
    headStart === undefined
      ? await prepareHelmStep(params, deps, earlier.credentials)
      : {
          helmDir: await headStart.helmDir,
          signingEnv: buildSigningEnv({
            env: params.jobEnv,
            credentials: earlier.credentials,
            region: params.region,
          }),
        }
  // One client for the whole phase: the manifests' ownership check, the pre-flight and the watch.
  const connectKube = kubeConnection({
    kubeconfigPath: earlier.kubeconfigPath,
    jobEnv: params.jobEnv,
    execEnv: signingEnv,
  })
  const { chart, manifests } = await resolveChart(params, deps, earlier.image, connectKube)
  const signed = await checkProvenance(params, headStart, { helmDir, runtime: deps.runtime })
  if (signed.refusal !== undefined) return signed.refusal
  const spec = {
    ...params.spec,
    chart,
    ...(signed.keyringFile === undefined ? {} : { keyringFile: signed.keyringFile }),
  }
  const chartPin = pinChart(
    {
      chart,
      chartVersion: spec.chartVersion,
      helmArgs: spec.helmArgs,
      dockerConfigDir: earlier.dockerConfigDir,
      jobEnv: params.jobEnv,
      verified: earlier.chart,
    },
    deps.runtime,
  )
  chartPin.catch(() => undefined)
  const result = await deployRelease(
    {
      ...params.helm,
      spec,
      jobEnv: params.jobEnv,
      extraEnv: signingEnv,
      image: earlier.image,
      isImagePinned: manifests !== undefined,
      isAdopting: (manifests?.report.adopted.length ?? 0) > 0,
      kubeconfigPath: earlier.kubeconfigPath,
      kubeconfigAuth: earlier.kubeconfigAuth,
      helmDir,
      dockerConfigDir: earlier.dockerConfigDir,
      helmFiles: isolatedHelmFiles(helmDir, chart),
      cluster,
      verify: params.verify,
      lock: params.lock,
      chartPin,
    },
    {
      runtime: deps.runtime,
      connectLeases: connectKube,
      leaseMemory: leaseMemory(deps, { kubeconfigPath: earlier.kubeconfigPath, helmDir, signingEnv }),
      ...(params.verify === undefined
        ? {}
        : { verifyTools: verifyTools(deps, params.region, earlier.credentials) }),
      ...(headStart === undefined ? {} : { headStart }),
      connectKube,
      ...(earlier.image === undefined ? {} : { describeImage: makeImageNote(deps, earlier.credentials) }),
      ...(manifests?.adopt === undefined ? {} : { beforeUpgrade: manifests.adopt }),
      time: deps.time,
      record: deps.record,
    },
  )
  const withProvenance =
    signed.provenance === undefined ? result : { ...result, chartProvenance: signed.provenance }
  if (manifests === undefined) return withProvenance
  const { withManifestReport } = await import('./manifests/index.js')
  return withManifestReport(withProvenance, manifests, deps.runtime)
}

/**
 * chart-keyring: the keyring helm reads (written with the step), and the head start's check of the
 * chart's .prov awaited before anything is written (the lock, the namespace, helm's upgrade). Without
 * a head start, helm upgrade --verify alone checks it.
 */
async function checkProvenance(
  params: DeployParams,
  headStart: DeployHeadStart | undefined,
  { helmDir, runtime }: { readonly helmDir: string; readonly runtime: PhaseDeps['runtime'] },
): Promise<{ keyringFile?: string; provenance?: ChartProvenance; refusal?: DeployResult }> {
  const { keyring, spec } = params
  if (keyring === undefined) return {}
  const check = headStart?.provenance
  if (check === undefined) return { keyringFile: await writeKeyring(helmDir, keyring) }
  const checked = await check.checked
  const keyringFile = await check.keyringFile
  if (checked === undefined || headStart === undefined) return { keyringFile }
  await headStart.printLog()
  if (!(checked instanceof ActionError)) {
    runtime.info(
      `Chart ${checked.chart} verified with chart-keyring (${keyring.source}): signed by ${printable(checked.signedBy, 200)}, key ${checked.fingerprint}, ${checked.hash}.`,
    )
    return { keyringFile, provenance: checked }
  }
  const helm = await headStart.helm
  const base = {
    helmVersion: helm.version.text,
    release: spec.release,
    namespace: spec.namespace,
    isDryRun: spec.isDryRun,
  }
  return { keyringFile, refusal: failed(base, [], checked) }
}

/** CloudWatch with the phase's credentials (loaded only for verify-alarms), and the runner's fetch. */
function verifyTools(deps: PhaseDeps, region: string, credentials: AwsCredentials | undefined): VerifyTools {
  return {
    alarmReader: async () => {
      const { cloudWatchAlarmReader } = await import('./verify/alarms-client.js')
      return cloudWatchAlarmReader(await deps.clients.cloudwatch({ region, credentials }))
    },
    fetch: (url, init) => fetch(url, init),
  }
}

/** The IAM role the kubeconfig's tokens are signed as, for a refusal (HTTP 401/403) to name. */
function clusterIdentity(
  params: DeployParams,
  deps: PhaseDeps,
  cluster: ClusterRoles | undefined,
): ClusterIdentity | undefined {
  if (cluster === undefined) return undefined
  const roleArn = cluster.clusterRoleArn ?? cluster.authRoleArn
  deps.accounts.add(roleArn)
  return {
    clusterName: cluster.clusterName,
    region: params.region,
    roleArn: roleArn === undefined ? undefined : deps.accounts.hide(roleArn),
  }
}

/** The chart to deploy: as given, or made of the plain manifests. */
async function resolveChart(
  params: DeployParams,
  deps: PhaseDeps,
  image: ImageRef | undefined,
  connectKube: () => Promise<KubeApi>,
): Promise<{ readonly chart: ChartRef; readonly manifests?: ManifestChart }> {
  const { source, spec } = params
  switch (source.kind) {
    case 'chart':
      return { chart: source.chart }
    case 'manifests': {
      const { prepareManifestChart } = await import('./manifests/index.js')
      const made = await prepareManifestChart(
        {
          manifests: source.manifests,
          release: spec.release,
          namespace: spec.namespace,
          image,
          runnerTemp: params.runnerTemp,
          isDryRun: spec.isDryRun,
        },
        { runtime: deps.runtime, cleanup: deps.cleanup, connectKube },
      )
      return { chart: made.chart, manifests: made }
    }
  }
}

import { promises as fs } from 'node:fs'
import path from 'node:path'
import { DescribeClusterCommand, type Cluster, type EKSClient } from '@aws-sdk/client-eks'
import type { STSClient } from '@aws-sdk/client-sts'
import type { AwsCredentials } from '../../lib/aws-clients.js'
import { encodeCredentialsFile } from '../../eks-token/credentials-file.js'
import { createEksToken } from '../../eks-token/presign.js'
import { ANSWER_SHAPES, checkAnswer, type AnswerShape } from '../../lib/answer-shapes.js'
import { ActionError } from '../../lib/errors.js'
import type { TokenPluginCommand } from '../../eks-token/plugin-command.js'
import { renderKubeconfig, type KubeconfigUser } from './render.js'
import type { KubeconfigParams, KubeconfigResult } from './types.js'
import { makePrivateDir, writePrivateFile } from '../../lib/private-file.js'
import type { Runtime } from '../../runner/runtime.js'
import { assumeClusterRole } from './cluster-role.js'
import { clusterNotFound, clusterNotUsable, describeFailed, USABLE_STATUSES } from './errors.js'

/** The plan's parameters, with what the run adds: the credentials and where the token plugin is. */
export interface WriteKubeconfigParams extends KubeconfigParams {
  /** The auth phase's credentials; undefined when auth was skipped (ambient credentials). */
  readonly credentials: AwsCredentials | undefined
  readonly tokenPlugin: TokenPluginCommand
}

export interface KubeconfigDeps {
  readonly runtime: Runtime
  readonly eks: Pick<EKSClient, 'send'>
  /** STS signing with the first credentials; asked for only when cluster-role-arn is set. */
  readonly sts: () => Promise<Pick<STSClient, 'send'>>
  /** The default chain's credentials, resolved: a static token needs concrete keys to sign with. */
  readonly resolveAmbientCredentials: () => Promise<AwsCredentials>
}

/** DescribeCluster, then a private kubeconfig whose user signs EKS tokens in Node. */
export async function writeClusterKubeconfig(
  params: WriteKubeconfigParams,
  deps: KubeconfigDeps,
): Promise<KubeconfigResult> {
  const [cluster, clusterRole] = await Promise.all([
    describeUsableCluster(params, deps),
    params.clusterRoleArn === undefined
      ? undefined
      : assumeClusterRole({ ...params, clusterRoleArn: params.clusterRoleArn }, deps),
  ])
  if (params.auth === 'exec') await checkTokenPlugin(params.tokenPlugin)
  const dir = await makePrivateDir(params.runnerTemp, 'eks-kubeconfig-')
  try {
    const user = await kubeconfigUser(params, deps, { dir, clusterRole })
    const file = path.join(dir, 'kubeconfig')
    await writePrivateFile(file, renderKubeconfig({ ...cluster, clusterName: params.clusterName, user }))
    const { endpoint, arn, version } = cluster
    return {
      path: file,
      clusterName: params.clusterName,
      endpoint,
      arn,
      version,
      auth: params.auth,
      createdPaths: [dir],
    }
  } catch (error) {
    await fs.rm(dir, { recursive: true, force: true })
    throw error
  }
}

interface UsableCluster {
  readonly endpoint: string
  readonly certificateAuthorityData: string
  readonly arn: string
  readonly version: string
}

async function describeUsableCluster(
  params: WriteKubeconfigParams,
  deps: KubeconfigDeps,
): Promise<UsableCluster> {
  const { clusterName, region } = params
  let cluster: Cluster | undefined
  try {
    cluster = (await deps.eks.send(new DescribeClusterCommand({ name: clusterName }))).cluster
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') {
      throw await clusterNotFound(error, params, deps.eks)
    }
    throw describeFailed(error, params)
  }
  const status = cluster?.status ?? 'UNKNOWN'
  if (!USABLE_STATUSES.includes(status)) throw clusterNotUsable(clusterName, region, status)
  const endpoint = cluster?.endpoint
  const certificateAuthorityData = cluster?.certificateAuthority?.data
  if (endpoint === undefined || certificateAuthorityData === undefined) {
    throw new ActionError(`EKS cluster '${clusterName}' in ${region} has no API endpoint or CA data yet.`, {
      hint: 'Wait until the cluster is ACTIVE and run the step again.',
    })
  }
  const checked = checkClusterAnswer({
    endpoint,
    certificateAuthorityData,
    arn: cluster?.arn ?? '',
    version: cluster?.version ?? '',
  })
  deps.runtime.info(
    `Cluster ${clusterName}: ${status}, Kubernetes ${checked.version || '?'}, endpoint ${checked.endpoint}`,
  )
  return checked
}

/** What DescribeCluster said, in the shapes EKS documents, before it reaches the log, outputs or kubeconfig. */
function checkClusterAnswer(cluster: UsableCluster): UsableCluster {
  const field = (name: string) => `cluster.${name} in EKS DescribeCluster's answer`
  const optional = (value: string, shape: AnswerShape, name: string) =>
    value === '' ? value : checkAnswer(value, shape, field(name))
  return {
    endpoint: checkAnswer(cluster.endpoint, ANSWER_SHAPES.clusterEndpoint, field('endpoint')),
    certificateAuthorityData: checkAnswer(
      cluster.certificateAuthorityData,
      ANSWER_SHAPES.base64,
      field('certificateAuthority.data'),
    ),
    arn: optional(cluster.arn, ANSWER_SHAPES.clusterArn, 'arn'),
    version: optional(cluster.version, ANSWER_SHAPES.kubernetesVersion, 'version'),
  }
}

async function kubeconfigUser(
  params: WriteKubeconfigParams,
  deps: KubeconfigDeps,
  made: { readonly dir: string; readonly clusterRole: AwsCredentials | undefined },
): Promise<KubeconfigUser> {
  switch (params.auth) {
    case 'exec': {
      if (made.clusterRole === undefined) {
        return { kind: 'exec', command: params.tokenPlugin, region: params.region }
      }
      const credentialsFile = path.join(made.dir, 'cluster-role-credentials.json')
      await writePrivateFile(credentialsFile, encodeCredentialsFile(made.clusterRole))
      return { kind: 'exec', command: params.tokenPlugin, region: params.region, credentialsFile }
    }
    case 'token': {
      const credentials = made.clusterRole ?? params.credentials ?? (await ambientCredentials(deps))
      const { token, expiration } = createEksToken({
        credentials,
        region: params.region,
        clusterName: params.clusterName,
        stsEndpoint: params.stsEndpoint,
        now: new Date(deps.runtime.now()),
      })
      deps.runtime.setSecret(token)
      deps.runtime.info(`Static EKS token, valid until ${expiration.toISOString()} (kubeconfig-auth: token).`)
      return { kind: 'token', token }
    }
  }
}

async function ambientCredentials(deps: KubeconfigDeps): Promise<AwsCredentials> {
  const credentials = await deps.resolveAmbientCredentials()
  for (const secret of [credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken]) {
    if (secret !== undefined) deps.runtime.setSecret(secret)
  }
  return credentials
}

async function checkTokenPlugin(command: TokenPluginCommand): Promise<void> {
  try {
    await fs.access(command.scriptPath)
  } catch {
    throw new ActionError(`The kubeconfig token plugin is missing: ${command.scriptPath} does not exist.`, {
      hint: "The action's dist/ is incomplete: use a released version of the action, or run `npm run bundle`.",
    })
  }
}

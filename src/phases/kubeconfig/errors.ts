import { ListClustersCommand, type EKSClient } from '@aws-sdk/client-eks'
import { ActionError, describeAwsError, messageOf } from '../../lib/errors.js'

/** The statuses in which the API server answers: UPDATING is a version or config change in flight. */
export const USABLE_STATUSES: readonly string[] = ['ACTIVE', 'UPDATING']

const STATUS_HINTS: Readonly<Record<string, string>> = {
  CREATING:
    'The cluster is still being created (10-15 minutes). Run this step after it is ACTIVE, e.g. after `aws eks wait cluster-active --name <cluster>`.',
  PENDING: 'The cluster is pending creation. Run this step after it is ACTIVE.',
  DELETING: 'The cluster is being deleted: check that cluster-name names the cluster you mean to deploy to.',
  FAILED: 'The cluster failed to create or update: see its health issues in the EKS console.',
}

export function clusterNotUsable(clusterName: string, region: string, status: string): ActionError {
  return new ActionError(
    `EKS cluster '${clusterName}' in ${region} is ${status}, not ACTIVE: its API server cannot take a deployment.`,
    { hint: STATUS_HINTS[status] ?? 'Wait until the cluster is ACTIVE and run the step again.' },
  )
}

/**
 * DescribeCluster said ResourceNotFoundException: name what the caller can see in that region
 * (ListClusters, when the role may call it), since a wrong region is the usual cause.
 */
export async function clusterNotFound(
  error: unknown,
  params: { readonly clusterName: string; readonly region: string },
  eks: Pick<EKSClient, 'send'>,
): Promise<ActionError> {
  const { clusterName, region } = params
  const fix = `Fix 'cluster-name', or set 'aws-region' to the region the cluster is in.`
  let seen: string
  try {
    const clusters = (await eks.send(new ListClustersCommand({ maxResults: 100 }))).clusters ?? []
    seen =
      clusters.length === 0
        ? `The role sees no EKS cluster in ${region}: the cluster is probably in another region or account.`
        : `Clusters the role sees in ${region}: ${clusters.join(', ')}.`
  } catch (listError) {
    seen = `(Could not list the clusters in ${region}: ${describeAwsError(listError) ?? String(listError)}; eks:ListClusters lets the action name them.)`
  }
  return new ActionError(`EKS cluster '${clusterName}' was not found in ${region}.`, {
    cause: error,
    hint: `${seen}\n${fix}`,
  })
}

export function describeFailed(
  error: unknown,
  params: { readonly clusterName: string; readonly region: string },
): ActionError {
  const name = error instanceof Error ? error.name : 'Error'
  const hint =
    name === 'AccessDeniedException'
      ? `The role needs eks:DescribeCluster on arn:aws:eks:${params.region}:<account>:cluster/${params.clusterName}.`
      : 'Check the region, the network path to the EKS API and the role permissions.'
  return new ActionError(
    `EKS DescribeCluster for '${params.clusterName}' in ${params.region} failed: ${awsFacts(error)}`,
    { cause: error, hint },
  )
}

export function clusterRoleFailed(error: unknown, clusterRoleArn: string): ActionError {
  const name = error instanceof Error ? error.name : 'Error'
  const hint =
    name === 'AccessDenied'
      ? `The first role needs sts:AssumeRole on ${clusterRoleArn}, and the trust policy of ${clusterRoleArn} must allow the first role as principal.`
      : 'Check cluster-role-arn and that STS is reachable.'
  return new ActionError(`STS AssumeRole of cluster-role-arn ${clusterRoleArn} failed: ${awsFacts(error)}`, {
    cause: error,
    hint,
  })
}

/** "Name, HTTP status, request id: message": the cause's facts in the message itself. */
function awsFacts(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error'
  const message = messageOf(error)
  return `${describeAwsError(error) ?? name}: ${message}`
}

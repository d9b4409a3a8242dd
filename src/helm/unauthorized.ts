import { ActionError } from '../lib/errors.js'

/** Who helm reaches the cluster as, when the kubeconfig phase wrote its kubeconfig. */
export interface ClusterIdentity {
  readonly clusterName: string
  readonly region: string
  /**
   * The IAM role the EKS tokens are signed as, `arn:aws:iam::<account>:role/<name>` (cluster-role-arn,
   * else role-to-assume), its account shown as *** under mask-aws-account-id; undefined when the job's
   * own credentials sign (auth skipped), whose principal the action never learns.
   */
  readonly roleArn: string | undefined
}

// An HTTP 401 from the API server, as helm and kubectl print it: client-go's text for a 401 without
// a Status body (helm 3 "Kubernetes cluster unreachable: ...", helm 4 lower-cases the prefix),
// kubectl's, and a 401 Status whose message is only "Unauthorized". A registry's "401 Unauthorized"
// (an OCI chart pull) is not one of these.
const UNAUTHORIZED = [
  /the server has asked for the client to provide credentials/,
  /You must be logged in to the server/,
  /(?:^|: )Unauthorized\s*$/m,
]

/** Whether helm failed because the Kubernetes API server refused its credentials (HTTP 401). */
export function isUnauthorized(stderr: string): boolean {
  return UNAUTHORIZED.some((pattern) => pattern.test(stderr))
}

// https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html and access-policies.html
const POLICY = 'arn:aws:eks::aws:cluster-access-policy'

function accessEntryHint(cluster: ClusterIdentity, principalArn: string, namespace: string): string {
  const where = `--cluster-name ${cluster.clusterName} --region ${cluster.region} --principal-arn ${principalArn}`
  return [
    'EKS lets an IAM principal into the cluster only through an access entry. With credentials that administer the cluster, run once:',
    `  aws eks create-access-entry ${where}`,
    `  aws eks associate-access-policy ${where} \\`,
    `    --policy-arn ${POLICY}/AmazonEKSClusterAdminPolicy --access-scope type=cluster`,
    `To allow only the release's namespace, associate ${POLICY}/AmazonEKSAdminPolicy with --access-scope type=namespace,namespaces=${namespace} instead (then create the namespace once beforehand: the action does not ask helm to create a namespace that exists).`,
    "On an older cluster whose authentication mode is CONFIG_MAP (no access entries), map the role in the aws-auth ConfigMap of kube-system (mapRoles: rolearn, username, groups), or switch the cluster's authentication mode to API_AND_CONFIG_MAP.",
  ].join('\n')
}

/**
 * The step's error for a 401: which cluster refused which IAM principal, and the access entry that
 * lets it in. EKS answers 401 for a valid token whose principal it does not map to a Kubernetes user.
 */
export function explainUnauthorized(params: {
  readonly cluster: ClusterIdentity | undefined
  readonly namespace: string
  /** What helm printed (lastHelmError). */
  readonly helmError: string
}): ActionError {
  const { cluster, namespace, helmError } = params
  if (cluster === undefined) {
    return new ActionError(
      `The Kubernetes API server refused the credentials of the job's KUBECONFIG (HTTP 401 Unauthorized). helm said: ${helmError}`,
      {
        hint: [
          "The kubeconfig's user is not accepted: an expired token, or an identity the cluster does not know.",
          "For EKS, set 'cluster-name' so this action writes the kubeconfig and names the IAM principal; that principal needs an EKS access entry (aws eks create-access-entry and aws eks associate-access-policy).",
        ].join('\n'),
      },
    )
  }
  const { roleArn } = cluster
  const who = roleArn === undefined ? "the IAM principal of the job's AWS credentials" : `IAM role ${roleArn}`
  const message = `EKS cluster ${cluster.clusterName} refused ${who} (HTTP 401 Unauthorized): the cluster did not accept it as a Kubernetes user, most likely because it has no EKS access entry. helm said: ${helmError}`
  const hint =
    roleArn === undefined
      ? [
          accessEntryHint(cluster, '<principal-arn>', namespace),
          '`aws sts get-caller-identity` names the principal; for an assumed role, give the role ARN arn:aws:iam::<account>:role/<name>, not the assumed-role session ARN it prints.',
        ].join('\n')
      : [
          accessEntryHint(cluster, roleArn, namespace),
          'The access entry takes the role ARN as above, not the assumed-role session ARN (arn:aws:sts::<account>:assumed-role/<role>/<session>).',
        ].join('\n')
  return new ActionError(message, { hint })
}

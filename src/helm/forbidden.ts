import { ActionError } from '../lib/errors.js'
import type { ClusterIdentity } from './unauthorized.js'

/** What Kubernetes RBAC refused (HTTP 403), as helm prints the API server's message. */
export interface Refusal {
  readonly user: string
  readonly verb: string
  readonly resource: string
  /** Undefined at the cluster scope. */
  readonly namespace: string | undefined
}

// The API server's Forbidden status message, which helm passes on:
// `namespaces is forbidden: User "x" cannot create resource "namespaces" in API group "" at the cluster scope`
const FORBIDDEN =
  /is forbidden: User "([^"]*)" cannot (\w+) resource "([^"]*)"(?: in API group "[^"]*")?(?: in the namespace "([^"]*)")?/

/** The first RBAC refusal helm printed, if that is why it failed. */
export function findRefusal(stderr: string): Refusal | undefined {
  const match = FORBIDDEN.exec(stderr)
  if (match === null) return undefined
  return { user: match[1] ?? '', verb: match[2] ?? '', resource: match[3] ?? '', namespace: match[4] }
}

// https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html
const POLICY = 'arn:aws:eks::aws:cluster-access-policy'

/**
 * The step's error for a 403: the cluster knows the principal (it has an access entry or an
 * aws-auth mapping) but its Kubernetes permissions do not cover what the release needs.
 */
export function explainForbidden(params: {
  readonly cluster: ClusterIdentity | undefined
  readonly namespace: string
  readonly refusal: Refusal
  readonly helmError: string
}): ActionError {
  const { cluster, refusal } = params
  const who =
    cluster?.roleArn === undefined ? 'The identity of the kubeconfig' : `IAM role ${cluster.roleArn}`
  const where = refusal.namespace === undefined ? 'at the cluster scope' : `in namespace ${refusal.namespace}`
  const hint = [
    `The principal is authenticated but not authorized: its EKS access policy (or the RBAC bindings of its Kubernetes groups) does not allow "${refusal.verb}" on "${refusal.resource}" ${where}.`,
    ...(refusal.resource === 'namespaces' ? namespaceHint(params) : grantHint(params)),
  ]
  return new ActionError(
    `${who} reached the cluster as Kubernetes user "${refusal.user}", but RBAC forbids it to ${refusal.verb} ${refusal.resource} ${where} (HTTP 403 Forbidden). helm said: ${params.helmError}`,
    { hint: hint.join('\n') },
  )
}

function associate(cluster: ClusterIdentity | undefined, policy: string, scope: string): string[] {
  const principal = cluster?.roleArn ?? '<principal-arn>'
  const target =
    cluster === undefined ? '' : ` --cluster-name ${cluster.clusterName} --region ${cluster.region}`
  return [
    `  aws eks associate-access-policy${target} --principal-arn ${principal} \\`,
    `    --policy-arn ${POLICY}/${policy} --access-scope ${scope}`,
  ]
}

// Roles and RoleBindings are in AmazonEKSAdminPolicy (Kubernetes' admin role), not in the Edit policy.
const RBAC_RESOURCES = new Set(['roles', 'rolebindings'])

/** A namespaced object (or a cluster-scoped kind the chart renders): the policy that covers it. */
function grantHint(params: Parameters<typeof explainForbidden>[0]): string[] {
  const { cluster, namespace, refusal } = params
  const policy = RBAC_RESOURCES.has(refusal.resource) ? 'AmazonEKSAdminPolicy' : 'AmazonEKSEditPolicy'
  return [
    `Give it a policy that covers the release, e.g. for the namespace only:`,
    ...associate(cluster, policy, `type=namespace,namespaces=${namespace}`),
    `or ${POLICY}/AmazonEKSClusterAdminPolicy with --access-scope type=cluster.`,
  ]
}

/**
 * Creating a namespace (Helm 3) or applying one (Helm 4, also when it exists) is a cluster-scope right,
 * which no namespace-scoped policy gives: the namespace is created once, or the policy is cluster-wide.
 */
function namespaceHint(params: Parameters<typeof explainForbidden>[0]): string[] {
  const { cluster, namespace } = params
  return [
    `Creating a namespace is a cluster-scope right that no namespace-scoped access policy gives. Either create ${namespace} once with an identity that may (kubectl create namespace ${namespace}): the action does not ask helm to create a namespace that exists, so create-namespace can stay true;`,
    `or associate the cluster-scoped policy:`,
    ...associate(cluster, 'AmazonEKSClusterAdminPolicy', 'type=cluster'),
    `or bind the user to a ClusterRole with "create" and "patch" on "namespaces".`,
  ]
}

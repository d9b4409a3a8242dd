import { ActionError, messageOf } from '../../lib/errors.js'
import type { Runtime } from '../../runner/runtime.js'
import type { ReleaseSpec } from '../../helm/args.js'
import type { ClusterIdentity } from '../../helm/unauthorized.js'
import { KubeApiError, type KubeApi } from '../../kube/kube-api.js'

/**
 * Whether the release's namespace exists, as the deploying identity sees it. `unreadable`: the API
 * server refused the GET (HTTP 403), which it decides before looking: for a namespace-scoped identity
 * a namespace that does not exist is unreadable too (no RoleBinding can be in it). `unknown`: the API
 * could not be asked (why says what happened).
 */
export type NamespaceLookup =
  | { readonly state: 'exists' | 'missing' }
  | { readonly state: 'unreadable' | 'unknown'; readonly why: string }

/**
 * One GET of the namespace. Kubernetes authorizes a request for the namespace object against the
 * namespace itself, so a RoleBinding in it (AmazonEKSAdminPolicy or AmazonEKSEditPolicy scoped to the
 * namespace) allows it: no cluster-scope right is needed to learn that it exists. Never rejects.
 */
export async function lookUpNamespace(
  connect: () => Promise<KubeApi>,
  namespace: string,
): Promise<NamespaceLookup> {
  try {
    const kube = await connect()
    return { state: (await kube.namespaceExists(namespace)) ? 'exists' : 'missing' }
  } catch (error) {
    const state = error instanceof KubeApiError && error.status === 403 ? 'unreadable' : 'unknown'
    return { state, why: messageOf(error) }
  }
}

/**
 * Whether helm gets --create-namespace: only for a namespace that is not known to exist. Helm 4 applies
 * the namespace server-side (PATCH) and Helm 3 creates it (POST) whenever the flag is given, even when
 * it exists, and both are cluster-scope rights that a namespace-scoped identity lacks.
 */
function shouldHelmCreateNamespace(shouldCreateNamespace: boolean, lookup: NamespaceLookup): boolean {
  return shouldCreateNamespace && lookup.state !== 'exists'
}

/**
 * The release spec with --create-namespace only for a namespace not known to exist, or the error for
 * a missing namespace that create-namespace: false leaves to the user.
 */
export function decideNamespace(
  params: { readonly spec: ReleaseSpec; readonly cluster?: ClusterIdentity | undefined },
  namespace: NamespaceLookup,
  runtime: Pick<Runtime, 'debug'>,
): ReleaseSpec | ActionError {
  const { spec } = params
  if (namespace.state === 'missing' && !spec.shouldCreateNamespace)
    return missingNamespaceError(spec.namespace, params.cluster)
  const shouldCreateNamespace = shouldHelmCreateNamespace(spec.shouldCreateNamespace, namespace)
  if (namespace.state === 'unknown' || namespace.state === 'unreadable')
    runtime.debug(
      `Whether namespace ${spec.namespace} exists is unknown (${namespace.why}): ${shouldCreateNamespace ? 'helm gets --create-namespace, as create-namespace: true asks' : 'helm runs as create-namespace: false says'}.`,
    )
  else
    runtime.debug(
      `Namespace ${spec.namespace} ${namespace.state === 'exists' ? 'exists: helm is not asked to create it' : 'does not exist: helm creates it (--create-namespace)'}.`,
    )
  return { ...spec, shouldCreateNamespace }
}

// https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html
const POLICY = 'arn:aws:eks::aws:cluster-access-policy'

/** How to get a namespace when this identity may not create one: once by hand, or a cluster-scope grant. */
function createNamespaceHint(namespace: string, cluster: ClusterIdentity | undefined): string {
  const principal = cluster?.roleArn ?? '<principal-arn>'
  const target =
    cluster === undefined ? '' : ` --cluster-name ${cluster.clusterName} --region ${cluster.region}`
  return [
    `Create the namespace once, with an identity that may (the action then only deploys into it; create-namespace can stay true):`,
    `  kubectl create namespace ${namespace}`,
    `Or let this identity create namespaces, a cluster-scope right: associate the cluster-scoped policy`,
    `  aws eks associate-access-policy${target} --principal-arn ${principal} \\`,
    `    --policy-arn ${POLICY}/AmazonEKSClusterAdminPolicy --access-scope type=cluster`,
    `or bind it to a ClusterRole with "create" on "namespaces".`,
  ].join('\n')
}

/** create-namespace: false and the namespace is not there: helm would fail on its first write. */
function missingNamespaceError(namespace: string, cluster: ClusterIdentity | undefined): ActionError {
  return new ActionError(
    `Namespace ${namespace} does not exist and create-namespace is false. Nothing was changed: helm did not run.`,
    {
      hint: [
        createNamespaceHint(namespace, cluster),
        `Or set create-namespace: true (the default) for an identity that may create namespaces.`,
      ].join('\n'),
    },
  )
}

/**
 * The namespace is missing (or unreadable: missing, or outside what the identity may see) and the
 * pre-flight found that this identity may not create it.
 */
export function uncreatableNamespaceError(params: {
  readonly namespace: string
  readonly state: 'missing' | 'unreadable'
  readonly cluster: ClusterIdentity | undefined
  /** `Kubernetes user "x" (IAM role ...)` or `The deploying identity (...)`. */
  readonly who: string
  /** Verbs on namespaces that were denied (create; Helm 4 also patch). */
  readonly verbs: readonly string[]
}): ActionError {
  const { namespace, cluster, who } = params
  const missing =
    params.state === 'missing'
      ? 'does not exist'
      : 'does not exist (or this identity may not even read it: the API server refused the GET)'
  return new ActionError(
    `Namespace ${namespace} ${missing} and this identity may not create namespaces: ${who} may not ${params.verbs.join(', ')} namespaces at the cluster scope. Create it once (kubectl create namespace ${namespace}; create-namespace can then stay true: the action does not ask helm to create a namespace that exists), or grant a cluster-scoped policy (AmazonEKSClusterAdminPolicy / a ClusterRole with create on namespaces). Nothing was changed: helm did not run (access pre-flight).`,
    { hint: createNamespaceHint(namespace, cluster) },
  )
}

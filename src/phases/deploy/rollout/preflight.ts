import { ActionError } from '../../../lib/errors.js'
import type { ClusterIdentity } from '../../../helm/unauthorized.js'
import type { AccessAnswer, KindProbe, KubeApi } from '../../../kube/kube-api.js'
import { uncreatableNamespaceError, type NamespaceLookup } from '../namespace.js'
import { accessQuestions, resourceName, type HelmRequests, type KindsByResource } from './access-questions.js'

export interface PreflightParams extends HelmRequests {
  readonly release: string
  /** Whether the namespace exists (the deploy's lookup): a missing one that may not be created is explained as such. */
  readonly namespaceState: NamespaceLookup['state']
  readonly cluster: ClusterIdentity | undefined
}

export interface PreflightResult {
  readonly questions: number
  readonly denied: readonly AccessAnswer[]
}

/**
 * Asks the API server, as the deploying identity, whether it may do what this release needs, before
 * helm writes anything (SelfSubjectAccessReview, concurrently, one per verb and resource).
 */
export async function checkAccess(params: PreflightParams, kube: KubeApi): Promise<PreflightResult> {
  const { questions, kinds } = await accessQuestions(params, kube)
  const answers = await kube.reviewAccess(questions)
  const denied = answers.filter((answer) => !answer.isAllowed)
  if (denied.length > 0) throw await explainDenied(params, denied, kube, kinds)
  return { questions: questions.length, denied }
}

// https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html
const POLICY = 'arn:aws:eks::aws:cluster-access-policy'

async function explainDenied(
  params: PreflightParams,
  denied: readonly AccessAnswer[],
  kube: KubeApi,
  kinds: KindsByResource,
): Promise<ActionError> {
  const { cluster, release, namespace } = params
  const user = await kube.whoAmI(probeFor(denied, kinds)).catch(() => undefined)
  const who = user === undefined ? 'The deploying identity' : `Kubernetes user "${user}"`
  const iam = cluster?.roleArn === undefined ? '' : ` (IAM role ${cluster.roleArn})`
  const namespaceVerbs = denied.filter((answer) => answer.resource === 'namespaces').map((a) => a.verb)
  // Rights in a namespace that does not exist yet cannot be granted by a RoleBinding there: the
  // namespace is what to fix first.
  const state = params.namespaceState
  if ((state === 'missing' || state === 'unreadable') && namespaceVerbs.length > 0)
    return uncreatableNamespaceError({
      namespace,
      state,
      cluster,
      who: `${who}${iam}`,
      verbs: namespaceVerbs,
    })
  const lacking = groupByResource(denied)
    .map(({ resource, verbs, scope }) => `${verbs.join(', ')} ${resource} ${scope}`)
    .join('; ')
  const unreadable =
    state === 'unreadable' ? ` Namespace ${namespace} may not exist: this identity may not read it.` : ''
  const message = `${who}${iam} may not do what release ${release} needs: ${lacking}.${unreadable} Nothing was changed: helm did not run (access pre-flight).`
  return new ActionError(message, { hint: grantHint(params, denied) })
}

/**
 * A list the identity may not make is sure to be refused again, with the user's name in the message.
 * Only a denied list is tried: an allowed one would read the objects (Secrets, say) for nothing.
 */
function probeFor(denied: readonly AccessAnswer[], kinds: KindsByResource): KindProbe | undefined {
  const list = denied.find((answer) => answer.verb === 'list')
  const kind = list === undefined ? undefined : kinds.get(resourceName(list))
  return kind === undefined || list === undefined ? undefined : { ...kind, namespace: list.namespace }
}

function groupByResource(denied: readonly AccessAnswer[]) {
  const byResource = new Map<string, { resource: string; verbs: string[]; scope: string }>()
  for (const answer of denied) {
    const resource = resourceName(answer)
    const scope = answer.namespace === undefined ? 'at the cluster scope' : `in namespace ${answer.namespace}`
    const entry = byResource.get(`${resource} ${scope}`) ?? { resource, verbs: [], scope }
    entry.verbs.push(answer.verb)
    byResource.set(`${resource} ${scope}`, entry)
  }
  return [...byResource.values()]
}

/** The access policy to associate (EKS access entries), or the RBAC Role that grants what is missing. */
function grantHint(params: PreflightParams, denied: readonly AccessAnswer[]): string {
  const { cluster, namespace } = params
  const isClusterScope = denied.some((answer) => answer.namespace === undefined)
  const needsRbac = denied.some((answer) => answer.group === 'rbac.authorization.k8s.io')
  const principal = cluster?.roleArn ?? '<principal-arn>'
  const target =
    cluster === undefined ? '' : ` --cluster-name ${cluster.clusterName} --region ${cluster.region}`
  const policy = isClusterScope
    ? 'AmazonEKSClusterAdminPolicy'
    : needsRbac
      ? 'AmazonEKSAdminPolicy'
      : 'AmazonEKSEditPolicy'
  const scope = isClusterScope ? 'type=cluster' : `type=namespace,namespaces=${namespace}`
  const rules = groupByResource(denied.filter((answer) => answer.namespace !== undefined)).map(
    ({ resource, verbs }) => {
      const [name = resource, ...group] = resource.split('.')
      return `  - apiGroups: ["${group.join('.')}"]\n    resources: ["${name}"]\n    verbs: [${verbs.map((v) => `"${v}"`).join(', ')}]`
    },
  )
  return [
    `On EKS, associate an access policy that covers the release with the principal's access entry:`,
    `  aws eks associate-access-policy${target} --principal-arn ${principal} \\`,
    `    --policy-arn ${POLICY}/${policy} --access-scope ${scope}`,
    ...(rules.length === 0
      ? []
      : [
          `Or grant exactly what is missing with an RBAC Role in ${namespace}, bound to the user or one of its groups:`,
          'rules:',
          ...rules,
        ]),
    ...(denied.some((answer) => answer.resource === 'namespaces')
      ? [
          `Creating a namespace is a cluster-scope right: or create ${namespace} once beforehand (kubectl create namespace ${namespace}): the action then does not ask helm to create it, and create-namespace can stay true.`,
        ]
      : []),
    'preflight: false skips this check (helm then fails on the first refused request, after writing a failed revision).',
  ].join('\n')
}

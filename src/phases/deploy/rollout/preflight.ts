import { ActionError } from '../../../lib/errors.js'
import type { ClusterIdentity } from '../../../helm/unauthorized.js'
import type { AccessAnswer, AccessQuestion, KindProbe, KubeApi } from '../../../kube/kube-api.js'
import type { RenderedObject } from './rendered.js'

export interface PreflightParams {
  readonly release: string
  readonly namespace: string
  readonly objects: readonly RenderedObject[]
  /** create-namespace: helm creates the namespace when it does not exist (a cluster-scope right). */
  readonly shouldCreateNamespace: boolean
  /** helm waits for readiness: it lists and watches what it applied. */
  readonly isWaiting: boolean
  readonly cluster: ClusterIdentity | undefined
}

export interface PreflightResult {
  readonly questions: number
  readonly denied: readonly AccessAnswer[]
}

// Helm keeps each revision in a Secret of the release's namespace (its default storage driver): it
// lists them for the history, reads the last, creates the new one and updates the old one's status.
const STORAGE_VERBS = ['get', 'list', 'create', 'update'] as const
// An upgrade reads each object, creates the new ones and patches the others (Helm 3's three-way merge;
// Helm 4's server-side apply is a patch too); waiting lists and watches them.
const OBJECT_VERBS = ['get', 'create', 'patch'] as const
const WAIT_VERBS = ['list', 'watch'] as const
// Hooks are created for the hook and deleted by their delete policy.
const HOOK_VERBS = ['get', 'create', 'delete'] as const

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

/** The kind behind each resource, to list one the user may not read and learn its name from the refusal. */
type KindsByResource = ReadonlyMap<string, Omit<KindProbe, 'namespace'>>

async function accessQuestions(
  params: PreflightParams,
  kube: KubeApi,
): Promise<{ questions: AccessQuestion[]; kinds: KindsByResource }> {
  const { namespace } = params
  const kinds = new Map<string, Omit<KindProbe, 'namespace'>>([
    ['secrets', { apiVersion: 'v1', kind: 'Secret' }],
  ])
  const questions: AccessQuestion[] = STORAGE_VERBS.map((verb) => ({
    verb,
    group: '',
    resource: 'secrets',
    namespace,
  }))
  const distinct = uniqueBy(
    params.objects,
    (o) => `${o.apiVersion}/${o.kind}/${String(o.isHook)}/${o.namespace ?? ''}`,
  )
  const resources = await Promise.all(
    distinct.map(async (object) => ({
      object,
      found: await kube.findResource(object.apiVersion, object.kind),
    })),
  )
  for (const { object, found } of resources) {
    // A kind the cluster does not serve fails helm with "no matches for kind": not an access question.
    if (found === undefined) continue
    kinds.set(resourceName(found), { apiVersion: object.apiVersion, kind: object.kind })
    const where = found.isNamespaced ? (object.namespace ?? namespace) : undefined
    const verbs = object.isHook ? HOOK_VERBS : [...OBJECT_VERBS, ...(params.isWaiting ? WAIT_VERBS : [])]
    for (const verb of verbs)
      questions.push({ verb, group: found.group, resource: found.resource, namespace: where })
  }
  if (params.shouldCreateNamespace && !(await kube.namespaceExists(namespace)))
    questions.push({ verb: 'create', group: '', resource: 'namespaces', namespace: undefined })
  return {
    questions: uniqueBy(questions, (q) => `${q.verb} ${q.group} ${q.resource} ${q.namespace ?? ''}`),
    kinds,
  }
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>()
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item)
  return [...seen.values()]
}

/** `deployments.apps`, `secrets`: a resource as RBAC rules and kubectl name it. */
function resourceName(question: Pick<AccessQuestion, 'group' | 'resource'>): string {
  return question.group === '' ? question.resource : `${question.resource}.${question.group}`
}

// https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html
const POLICY = 'arn:aws:eks::aws:cluster-access-policy'

async function explainDenied(
  params: PreflightParams,
  denied: readonly AccessAnswer[],
  kube: KubeApi,
  kinds: KindsByResource,
): Promise<ActionError> {
  const { cluster, release } = params
  const user = await kube.whoAmI(probeFor(denied, kinds)).catch(() => undefined)
  const who = user === undefined ? 'The deploying identity' : `Kubernetes user "${user}"`
  const iam = cluster?.roleArn === undefined ? '' : ` (IAM role ${cluster.roleArn})`
  const lacking = groupByResource(denied)
    .map(({ resource, verbs, scope }) => `${verbs.join(', ')} ${resource} ${scope}`)
    .join('; ')
  const message = `${who}${iam} may not do what release ${release} needs: ${lacking}. Nothing was changed: helm did not run (access pre-flight).`
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
          `Creating a namespace is a cluster-scope right: or create ${namespace} beforehand and set create-namespace: false.`,
        ]
      : []),
    'preflight: false skips this check (helm then fails on the first refused request, after writing a failed revision).',
  ].join('\n')
}

import type { AccessQuestion, KindProbe, KubeApi } from '../../../kube/kube-api.js'
import type { RenderedObject } from './rendered.js'

/** What helm will send for this release, as far as the pre-flight can know it beforehand. */
export interface HelmRequests {
  readonly namespace: string
  readonly objects: readonly RenderedObject[]
  /** The helm that runs: Helm 4 applies server-side, Helm 3 creates and patches. */
  readonly helmMajor: number
  /** The release has no revision yet: `upgrade --install` installs. */
  readonly isInstall: boolean
  /** helm gets --create-namespace (it is used by an install only). */
  readonly shouldCreateNamespace: boolean
  /** helm waits for readiness. */
  readonly isWaiting: boolean
  /** Automatic rollback: a failed install is uninstalled, a failed upgrade rolled back. */
  readonly isAtomic: boolean
  /** The history is at history-max: helm deletes the oldest revision's Secret. */
  readonly isPruning: boolean
}

/** The kind behind each resource, to list one the user may not read and learn its name from the refusal. */
export type KindsByResource = ReadonlyMap<string, Omit<KindProbe, 'namespace'>>

// Helm keeps each revision in a Secret of the release's namespace (its default storage driver): it
// lists them for the history, reads the last, creates the new one and updates the old one's status.
// It deletes the oldest beyond history-max, and a failed install's when it uninstalls it.
const STORAGE_VERBS = ['get', 'list', 'create', 'update'] as const
// Each object is read first (helm's ownership check). Helm 3 creates a new object and patches an
// existing one (three-way merge); Helm 4 applies server-side, a PATCH that the API server also
// authorizes as `create` when the object does not exist yet. Either may meet both.
const OBJECT_VERBS = ['get', 'create', 'patch'] as const
// Automatic rollback deletes what the failed revision added (all of it for a failed install).
const ROLLBACK_VERBS = ['delete'] as const
// Helm 4 waits with kstatus watchers (list, then watch, of each kind); Helm 3 polls each object (get).
const WAIT_VERBS: Readonly<Record<3 | 4, readonly string[]>> = { 3: [], 4: ['list', 'watch'] }
// Hooks are deleted (before-hook-creation), created and watched until done (Helm 4: list and watch).
const HOOK_VERBS: Readonly<Record<3 | 4, readonly string[]>> = {
  3: ['get', 'create', 'delete', 'watch'],
  4: ['get', 'create', 'delete', 'list', 'watch'],
}
// Readiness of a Deployment is read from its ReplicaSets (Helm 3's deploymentutil and Helm 4's
// kstatus reader list them); Helm 4's reader also lists the pods of Deployments and StatefulSets.
const WAIT_LISTS: Readonly<Record<3 | 4, Readonly<Record<string, readonly string[]>>>> = {
  3: { Deployment: ['replicasets.apps'] },
  4: { Deployment: ['replicasets.apps', 'pods'], StatefulSet: ['pods'] },
}
// Helm 3 creates the namespace (POST); Helm 4 applies it server-side (PATCH, and create when missing).
const NAMESPACE_VERBS: Readonly<Record<3 | 4, readonly string[]>> = { 3: ['create'], 4: ['create', 'patch'] }

const KINDS_OF: Readonly<Record<string, Omit<KindProbe, 'namespace'>>> = {
  secrets: { apiVersion: 'v1', kind: 'Secret' },
  pods: { apiVersion: 'v1', kind: 'Pod' },
  'replicasets.apps': { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
}

/** `deployments.apps`, `secrets`: a resource as RBAC rules and kubectl name it. */
export function resourceName(question: Pick<AccessQuestion, 'group' | 'resource'>): string {
  return question.group === '' ? question.resource : `${question.resource}.${question.group}`
}

/** One SelfSubjectAccessReview per verb and resource that helm's requests need, without repeats. */
export async function accessQuestions(
  params: HelmRequests,
  kube: Pick<KubeApi, 'findResource'>,
): Promise<{ questions: AccessQuestion[]; kinds: KindsByResource }> {
  const { namespace } = params
  const major = params.helmMajor >= 4 ? 4 : 3
  const kinds = new Map<string, Omit<KindProbe, 'namespace'>>(Object.entries(KINDS_OF))
  const ask = (verbs: readonly string[], resource: string, where: string | undefined): AccessQuestion[] => {
    const [name = resource, ...group] = resource.split('.')
    return verbs.map((verb) => ({ verb, group: group.join('.'), resource: name, namespace: where }))
  }
  const rollback = params.isAtomic ? ROLLBACK_VERBS : []
  const questions = ask(
    [...STORAGE_VERBS, ...(params.isPruning || (params.isAtomic && params.isInstall) ? ['delete'] : [])],
    'secrets',
    namespace,
  )
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
    const name = resourceName(found)
    kinds.set(name, { apiVersion: object.apiVersion, kind: object.kind })
    const where = found.isNamespaced ? (object.namespace ?? namespace) : undefined
    if (object.isHook) {
      questions.push(...ask(HOOK_VERBS[major], name, where))
      continue
    }
    const waits = params.isWaiting ? WAIT_VERBS[major] : []
    questions.push(...ask([...OBJECT_VERBS, ...rollback, ...waits], name, where))
    if (params.isWaiting)
      for (const listed of WAIT_LISTS[major][object.kind] ?? [])
        questions.push(...ask(['list'], listed, where))
  }
  if (params.shouldCreateNamespace && params.isInstall)
    questions.push(...ask(NAMESPACE_VERBS[major], 'namespaces', undefined))
  return { questions: uniqueBy(questions, questionKey), kinds }
}

const questionKey = (q: AccessQuestion): string => `${q.verb} ${q.group} ${q.resource} ${q.namespace ?? ''}`

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>()
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item)
  return [...seen.values()]
}

import { mapLimited } from '../../../lib/map-limited.js'
import { ActionError, messageOf } from '../../../lib/errors.js'
import type { KubeApi, ObjectLabels, ObjectRef } from '../../../kube/kube-api.js'
import { isClusterScoped } from './scope.js'
import { describeObject, type ManifestObject } from './types.js'

// What helm 3.2+ (and 4) checks before it takes over an object that exists: these three, set to the
// release. https://github.com/helm/helm/pull/7649
const RELEASE_NAME = 'meta.helm.sh/release-name'
const RELEASE_NAMESPACE = 'meta.helm.sh/release-namespace'
const MANAGED_BY = 'app.kubernetes.io/managed-by'

export type Ownership =
  | { readonly kind: 'absent' }
  | { readonly kind: 'release' }
  /** Exists without a release, made by kubectl (its marks show it): helm may take it over once marked. */
  | { readonly kind: 'unowned' }
  /** Exists without a release, and nothing shows kubectl made it (an operator's, a controller's): never taken. */
  | { readonly kind: 'foreign'; readonly managers: readonly string[] }
  | { readonly kind: 'other'; readonly release: string; readonly namespace: string }

/** What `kubectl apply` (client-side) leaves on every object it applies. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'

/**
 * The field managers kubectl records when it makes (or wholly replaces) an object, as kubectl 1.20 writes
 * them on the lab: `kubectl create` → kubectl-create, `kubectl apply` → kubectl-client-side-apply,
 * `kubectl apply --server-side` → kubectl. Managers that only change an object (kubectl-patch,
 * kubectl-edit, kubectl-label, kubectl-annotate, kubectl-scale) show a person touched it, not who made it.
 */
const KUBECTL_MAKERS: ReadonlySet<string> = new Set([
  'kubectl',
  'kubectl-client-side-apply',
  'kubectl-create',
  'kubectl-replace',
])

/** Whether kubectl made the object: its last-applied annotation, or a manager of KUBECTL_MAKERS. */
function madeByKubectl(live: ObjectLabels): boolean {
  if ((live.annotations[LAST_APPLIED] ?? '') !== '') return true
  return (live.managers ?? []).some((manager) => KUBECTL_MAKERS.has(manager))
}

/** Whose an object is, from its labels, annotations and field managers in the cluster. Pure. */
export function ownershipOf(
  live: ObjectLabels | undefined,
  release: { readonly name: string; readonly namespace: string },
): Ownership {
  if (live === undefined) return { kind: 'absent' }
  const owner = live.annotations[RELEASE_NAME]
  const ownerNamespace = live.annotations[RELEASE_NAMESPACE] ?? ''
  if (
    owner !== undefined &&
    owner !== '' &&
    (owner !== release.name || ownerNamespace !== release.namespace)
  ) {
    return { kind: 'other', release: owner, namespace: ownerNamespace }
  }
  if (owner === release.name && live.labels[MANAGED_BY] === 'Helm') return { kind: 'release' }
  return madeByKubectl(live) ? { kind: 'unowned' } : { kind: 'foreign', managers: live.managers ?? [] }
}

/** The marks that make helm take an object into the release (and nothing else of it changes). */
function releaseMarks(release: { readonly name: string; readonly namespace: string }): ObjectLabels {
  return {
    labels: { [MANAGED_BY]: 'Helm' },
    annotations: { [RELEASE_NAME]: release.name, [RELEASE_NAMESPACE]: release.namespace },
  }
}

export interface OwnershipCheck {
  /** The objects that exist without the release's marks, made by kubectl in the release's namespace: to adopt. */
  readonly unowned: readonly ManifestObject[]
  /** Cluster-scoped objects of the manifests (`ClusterRole/x`): listed before they are applied. */
  readonly clusterScoped: readonly string[]
  /** Objects whose ownership could not be read (the reason): helm finds out itself. */
  readonly unknown: readonly string[]
}

interface Checked {
  readonly object: ManifestObject
  readonly isCluster: boolean
  readonly ownership?: Ownership
  readonly failure?: string
}

/**
 * Reads every object's scope (discovery, else the known list) and ownership (a few at a time). Refused,
 * all named at once: an object of another release (taking it would take it from that release); an
 * existing cluster-scoped object the release does not own (an operator's ClusterRole is never taken
 * over, whoever made it); an existing object that nothing shows kubectl made.
 */
export async function checkOwnership(
  objects: readonly ManifestObject[],
  release: { readonly name: string; readonly namespace: string },
  kube: KubeApi,
): Promise<OwnershipCheck> {
  const checked = await mapLimited(objects, 8, async (object): Promise<Checked> => {
    const found = await kube.findResource(object.apiVersion, object.kind).catch(() => undefined)
    const isCluster = isClusterScoped(object, found?.isNamespaced)
    try {
      const live = await kube.readLabels(objectRef(object, release.namespace))
      return { object, isCluster, ownership: ownershipOf(live, release) }
    } catch (error) {
      return { object, isCluster, failure: messageOf(error) }
    }
  })
  const refused = checked.flatMap((entry) => refusal(entry, release))
  if (refused.length > 0) {
    throw new ActionError(
      `The manifests hold ${refused.length} object${refused.length > 1 ? 's' : ''} that release '${release.name}' does not own and may not take: ${refused.join('; ')}.`,
      {
        hint: `A release takes over only namespaced objects in its namespace ('${release.namespace}') that kubectl made (kubectl apply's last-applied annotation, or a kubectl field manager), never a cluster-scoped one nor another release's. Remove those objects from the manifests, or give them another name; an object of another release goes with \`helm uninstall <release> -n <namespace>\`.`,
      },
    )
  }
  return {
    unowned: checked.flatMap(({ object, ownership }) => (ownership?.kind === 'unowned' ? [object] : [])),
    clusterScoped: checked.flatMap(({ object, isCluster }) => (isCluster ? [describeObject(object)] : [])),
    unknown: checked.flatMap(({ object, failure }) =>
      failure === undefined ? [] : [`${describeObject(object)}: ${failure}`],
    ),
  }
}

function refusal(entry: Checked, release: { readonly name: string }): string[] {
  const { object, ownership, isCluster } = entry
  const where = `${describeObject(object)} (${object.source})`
  switch (ownership?.kind) {
    case 'other':
      return [`${where} belongs to release '${ownership.release}' in namespace '${ownership.namespace}'`]
    case 'unowned':
      return isCluster
        ? [
            `${where} is cluster-scoped and exists without release '${release.name}' (kubectl made it): never taken over`,
          ]
        : []
    case 'foreign': {
      const managers =
        ownership.managers.length > 0
          ? ` (field managers: ${[...new Set(ownership.managers)].join(', ')})`
          : ''
      return [
        `${where} ${isCluster ? 'is cluster-scoped and ' : ''}exists, and nothing shows kubectl made it${managers}: never taken over`,
      ]
    }
    case 'absent':
    case 'release':
    case undefined:
      return []
  }
}

/** Marks each object as the release's, so that helm takes it over instead of refusing it. */
export async function adoptObjects(
  objects: readonly ManifestObject[],
  release: { readonly name: string; readonly namespace: string },
  kube: KubeApi,
): Promise<void> {
  await mapLimited(objects, 8, (object) =>
    kube.patchLabels(objectRef(object, release.namespace), releaseMarks(release)),
  )
}

/** An object of the manifests as the API names it: objects without a namespace are the release's. */
function objectRef(object: ManifestObject, namespace: string): ObjectRef {
  const { apiVersion, kind, name } = object
  return { apiVersion, kind, name, namespace: object.namespace ?? namespace }
}

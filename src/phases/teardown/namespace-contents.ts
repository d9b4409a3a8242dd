import type { LiveObject, NamespaceApi } from '../../kube/kube-api.js'

// What delete-namespace looks at before it deletes: the namespace goes only when it holds nothing but
// the release. Helm keeps a release's record in Secrets (driver secret, Helm 3 and 4's default) or
// ConfigMaps (driver configmap; Helm 2's Tiller wrote ConfigMaps labelled OWNER=TILLER).

/** The kinds listed: those people put in a namespace, and helm's storage. */
const LISTED_KINDS: readonly (readonly [apiVersion: string, kind: string])[] = [
  ['v1', 'Secret'],
  ['v1', 'ConfigMap'],
  ['v1', 'ServiceAccount'],
  ['v1', 'Service'],
  ['v1', 'PersistentVolumeClaim'],
  ['v1', 'Pod'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet'],
  ['apps/v1', 'ReplicaSet'],
  ['batch/v1', 'Job'],
  ['networking.k8s.io/v1', 'Ingress'],
  ['networking.k8s.io/v1', 'NetworkPolicy'],
  ['rbac.authorization.k8s.io/v1', 'Role'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
  ['autoscaling/v1', 'HorizontalPodAutoscaler'],
  ['policy/v1', 'PodDisruptionBudget'],
]

export interface NamespaceContents {
  /** Other helm releases (`api (Secret storage)`), of any storage driver. */
  readonly releases: readonly string[]
  /** Objects helm did not make for this release (`ConfigMap/settings`). */
  readonly others: readonly string[]
}

/** A helm release record, and the release it belongs to; undefined for any other object. */
function releaseRecord(object: LiveObject): string | undefined {
  const { labels } = object
  if (object.kind === 'Secret' && labels.owner === 'helm') return labels.name
  if (object.kind === 'ConfigMap' && (labels.owner === 'helm' || labels.OWNER === 'TILLER'))
    return labels.name ?? labels.NAME
  return undefined
}

/** Made by Kubernetes itself in every namespace, or removed with its owner: never a reason to keep it. */
function isKubernetesOwn(object: LiveObject): boolean {
  if (object.isOwned) return true
  if (object.kind === 'ConfigMap' && object.name === 'kube-root-ca.crt') return true
  if (object.kind === 'ServiceAccount' && object.name === 'default') return true
  return (
    object.kind === 'Secret' &&
    object.type === 'kubernetes.io/service-account-token' &&
    object.annotations['kubernetes.io/service-account.name'] === 'default'
  )
}

/** What else the namespace holds besides `release` (still terminating objects of it do not count). Pure. */
function otherContents(objects: readonly LiveObject[], release: string): NamespaceContents {
  const releases = new Set<string>()
  const others: string[] = []
  for (const object of objects) {
    const record = releaseRecord(object)
    if (record !== undefined) {
      if (record !== release) releases.add(`${record} (${object.kind} storage)`)
      continue
    }
    if (isKubernetesOwn(object)) continue
    if (object.annotations['meta.helm.sh/release-name'] === release) continue
    const helmMade = object.labels['app.kubernetes.io/managed-by'] === 'Helm'
    const owner = object.annotations['meta.helm.sh/release-name']
    if (helmMade && owner !== undefined && owner !== '')
      releases.add(`${owner} (its ${object.kind}/${object.name})`)
    else others.push(`${object.kind}/${object.name}`)
  }
  return { releases: [...releases].sort(), others: others.sort() }
}

/** Lists the namespace, kind by kind (a kind the cluster does not serve counts as empty). */
export async function readNamespaceContents(
  kube: NamespaceApi,
  namespace: string,
  release: string,
): Promise<NamespaceContents> {
  const lists = await Promise.all(
    LISTED_KINDS.map(([apiVersion, kind]) =>
      kube.listObjects(apiVersion, kind, namespace).catch((error: unknown) => {
        if ((error as { status?: unknown }).status === 404) return []
        throw error
      }),
    ),
  )
  return otherContents(lists.flat(), release)
}

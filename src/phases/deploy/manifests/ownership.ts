import { ActionError, messageOf } from '../../../lib/errors.js'
import type { KubeApi, ObjectLabels, ObjectRef } from '../../../kube/kube-api.js'
import { describeObject, type ManifestObject } from './types.js'

// What helm 3.2+ (and 4) checks before it takes over an object that exists: these three, set to the
// release. https://github.com/helm/helm/pull/7649
const RELEASE_NAME = 'meta.helm.sh/release-name'
const RELEASE_NAMESPACE = 'meta.helm.sh/release-namespace'
const MANAGED_BY = 'app.kubernetes.io/managed-by'

export type Ownership =
  | { readonly kind: 'absent' }
  | { readonly kind: 'release' }
  /** Exists without this release's marks (made by kubectl apply): helm may take it over once marked. */
  | { readonly kind: 'unowned' }
  | { readonly kind: 'other'; readonly release: string; readonly namespace: string }

/** Whose an object is, from its labels and annotations in the cluster. Pure. */
export function ownershipOf(
  live: ObjectLabels | undefined,
  release: { readonly name: string; readonly namespace: string },
): Ownership {
  if (live === undefined) return { kind: 'absent' }
  const owner = live.annotations[RELEASE_NAME]
  const ownerNamespace = live.annotations[RELEASE_NAMESPACE] ?? ''
  if (owner === undefined || owner === '') return { kind: 'unowned' }
  if (owner !== release.name || ownerNamespace !== release.namespace) {
    return { kind: 'other', release: owner, namespace: ownerNamespace }
  }
  return live.labels[MANAGED_BY] === 'Helm' ? { kind: 'release' } : { kind: 'unowned' }
}

/** The marks that make helm take an object into the release (and nothing else of it changes). */
function releaseMarks(release: { readonly name: string; readonly namespace: string }): ObjectLabels {
  return {
    labels: { [MANAGED_BY]: 'Helm' },
    annotations: { [RELEASE_NAME]: release.name, [RELEASE_NAMESPACE]: release.namespace },
  }
}

export interface OwnershipCheck {
  /** The objects that exist without the release's marks: to adopt. */
  readonly unowned: readonly ManifestObject[]
  /** Objects whose ownership could not be read (the reason): helm finds out itself. */
  readonly unknown: readonly string[]
}

/**
 * Reads every object's ownership (a few at a time). An object of another release is refused: taking
 * it would take it from that release, whose next upgrade would then fight this one over it.
 */
export async function checkOwnership(
  objects: readonly ManifestObject[],
  release: { readonly name: string; readonly namespace: string },
  kube: KubeApi,
): Promise<OwnershipCheck> {
  const checked = await mapLimited(objects, 8, async (object) => {
    try {
      return {
        object,
        ownership: ownershipOf(await kube.readLabels(objectRef(object, release.namespace)), release),
      }
    } catch (error) {
      return { object, failure: messageOf(error) }
    }
  })
  const taken = checked.flatMap(({ object, ownership }) =>
    ownership?.kind === 'other'
      ? [
          `${describeObject(object)} (${object.source}) belongs to release '${ownership.release}' in namespace '${ownership.namespace}'`,
        ]
      : [],
  )
  if (taken.length > 0) {
    throw new ActionError(`The manifests hold objects of another Helm release: ${taken.join('; ')}.`, {
      hint: `Release '${release.name}' (namespace '${release.namespace}') does not take objects from another release: remove them from the manifests, or uninstall the other release first (\`helm uninstall <release> -n <namespace>\`).`,
    })
  }
  return {
    unowned: checked.flatMap(({ object, ownership }) => (ownership?.kind === 'unowned' ? [object] : [])),
    unknown: checked.flatMap(({ object, failure }) =>
      failure === undefined ? [] : [`${describeObject(object)}: ${failure}`],
    ),
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

/** `fn` over the items, at most `limit` at a time, the results in the items' order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++)
      results[index] = await fn(items[index] as T)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

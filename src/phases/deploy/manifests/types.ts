import type { ObjectRef } from '../../../kube/kube-api.js'
import type { PinnedImage } from './pin.js'

/** One Kubernetes object of the manifests, exactly as written. */
export interface ManifestObject extends ObjectRef {
  /** As written; undefined: the release's namespace (or a cluster-scoped object). */
  readonly namespace: string | undefined
  /** The document's own text (no `---`), which becomes part of a template of the chart. */
  readonly text: string
  /** Where it was written, for messages: `k8s/web.yaml, document 2`. */
  readonly source: string
}

export interface ManifestFile {
  /** As the log shows it: relative to the checkout (GITHUB_WORKSPACE), with `/`. */
  readonly name: string
  readonly objects: readonly ManifestObject[]
}

/** The plain manifests of input `manifests`, read and checked by the plan, in a fixed order. */
export interface ManifestSet {
  readonly files: readonly ManifestFile[]
  /** The version of the chart made of them, after the commit: SemVer 2 (`0.0.0-g0123abc`). */
  readonly chartVersion: string
}

/** What the manifests became, for the outputs and the summary. */
export interface ManifestReport {
  readonly files: number
  readonly objects: number
  readonly pinned: readonly PinnedImage[]
  /** Objects that existed without a release (kubectl apply) and are taken into it (`Deployment/web`). */
  readonly adopted: readonly string[]
  /** Cluster-scoped objects of the manifests (`ClusterRole/reader`), applied outside the namespace. */
  readonly clusterScoped: readonly string[]
}

/** `Deployment/web` (with the namespace when it names one), as messages name an object. */
export function describeObject(object: Pick<ManifestObject, 'kind' | 'name' | 'namespace'>): string {
  return `${object.kind}/${object.namespace === undefined ? '' : `${object.namespace}/`}${object.name}`
}

import { parseAllDocuments } from 'yaml'
import { isObject, text } from '../../../helm/result.js'
import type { ObjectRef } from '../../../kube/kube-api.js'
import { WORKLOAD_KINDS, type WorkloadKind, type WorkloadRef } from './workloads.js'

/** One object of the release as helm renders it. */
export interface RenderedObject extends ObjectRef {
  /** As written in the manifest; undefined: the release's namespace (or cluster-scoped). */
  readonly namespace: string | undefined
  readonly isHook: boolean
  /** The object as rendered, for the field ownership pre-flight's dry-run apply; never a Secret's. */
  readonly body?: Readonly<Record<string, unknown>>
}

/**
 * The objects of `helm upgrade --dry-run=server --hide-secret --output json`: the manifest's documents
 * and the hooks' (helm keeps hooks apart, under `hooks[].manifest`). Secret data never gets here:
 * --hide-secret leaves Secrets out of the output. Pure.
 */
export function renderedObjects(dryRunJson: string): RenderedObject[] {
  const release: unknown = JSON.parse(dryRunJson)
  if (!isObject(release)) return []
  const hooks = Array.isArray(release.hooks) ? release.hooks.filter(isObject) : []
  return [
    ...objectsOf(text(release.manifest), false),
    ...hooks.flatMap((hook) => objectsOf(text(hook.manifest), true)),
  ]
}

/** The objects of `helm template` (one YAML stream; hooks are the documents with a helm.sh/hook annotation). Pure. */
export function templateObjects(yaml: string): RenderedObject[] {
  return objectsOf(yaml, undefined)
}

/** `isHook` undefined: read from each object's helm.sh/hook annotation. */
function objectsOf(manifest: string, isHook: boolean | undefined): RenderedObject[] {
  return parseAllDocuments(manifest)
    .map((document) => document.toJS() as unknown)
    .filter(isObject)
    .flatMap((object) => {
      const metadata = isObject(object.metadata) ? object.metadata : {}
      const kind = text(object.kind)
      const name = text(metadata.name)
      if (kind === '' || name === '') return []
      const namespace = text(metadata.namespace)
      const annotations = isObject(metadata.annotations) ? metadata.annotations : {}
      return [
        {
          apiVersion: text(object.apiVersion),
          kind,
          name,
          namespace: namespace === '' ? undefined : namespace,
          isHook: isHook ?? text(annotations['helm.sh/hook']) !== '',
          ...(kind === 'Secret' ? {} : { body: object }),
        },
      ]
    })
}

/** The workloads whose rollout helm waits for: Deployments, StatefulSets, DaemonSets, Jobs (hooks too). */
export function workloadRefs(objects: readonly RenderedObject[]): WorkloadRef[] {
  return objects
    .filter((object): object is RenderedObject & { kind: WorkloadKind } =>
      (WORKLOAD_KINDS as readonly string[]).includes(object.kind),
    )
    .map(({ kind, name, isHook }) => ({ kind, name, isHook }))
}

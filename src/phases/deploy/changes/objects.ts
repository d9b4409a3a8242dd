import { parseAllDocuments, stringify } from 'yaml'
import { isObject, text } from '../../../helm/result.js'
import { redactStrings, type Fingerprint } from './supplied.js'

export type { Fingerprint } from './supplied.js'

/** Turns a Secret value into something that compares equal when the value does, and reveals nothing. */

/** One object of a release manifest, ready to compare. */
export interface ManifestObject {
  /** The API group ('' for core): an object keeps its identity across apiVersion changes. */
  readonly group: string
  readonly kind: string
  readonly name: string
  /** '' for a cluster-scoped kind. */
  readonly namespace: string
  /**
   * The object as YAML (sorted keys, server-set fields out, user-supplied values redacted); a Secret
   * without `data` and `stringData`.
   */
  readonly yaml: string
  /** Each leaf's path (`spec.replicas`, `spec.template.spec.containers.0.image`) with its value's fingerprint. */
  readonly fields: ReadonlyMap<string, string>
  /** A Secret's keys and the fingerprints of their values; undefined for other kinds. */
  readonly secretData: ReadonlyMap<string, string> | undefined
}

export const objectKey = (o: Pick<ManifestObject, 'group' | 'kind' | 'namespace' | 'name'>): string =>
  `${o.group}/${o.kind}/${o.namespace}/${o.name}`

// Kinds without a namespace (a chart rarely renders others); any other kind is in the release's namespace.
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'CSIDriver',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'PodSecurityPolicy',
])

// What the API server writes into an object: never a change of the chart.
const SERVER_METADATA = [
  'managedFields',
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'selfLink',
]
const SERVER_ANNOTATIONS = [
  'deployment.kubernetes.io/revision',
  'kubectl.kubernetes.io/last-applied-configuration',
]

/**
 * The objects of a manifest (`helm get manifest`, or the `manifest` of a dry run's JSON). A Secret's
 * `data` and `stringData` are replaced by fingerprints of each value the moment it is read, so no
 * Secret value lives on in what this returns. A YAML error is reported by position only: its usual
 * message quotes the source line, which may be Secret data. Every other string passes through
 * `redact` (user-supplied values: see supplied.ts). The items of a `List` (`v1/List`, `ConfigMapList`)
 * are objects of their own, as kubectl and helm apply them. Pure.
 */
export function parseManifest(
  manifest: string,
  namespace: string,
  fingerprint: Fingerprint,
  redact: (text: string) => string = (value) => value,
): ManifestObject[] {
  const documents = parseAllDocuments(manifest)
  const objects: ManifestObject[] = []
  for (const document of documents) {
    const error = document.errors[0]
    if (error !== undefined) {
      const line = error.linePos?.[0].line
      throw new Error(
        `helm's manifest is not valid YAML (${error.code}${line === undefined ? '' : ` at line ${line}`})`,
      )
    }
    for (const body of listItems(document.toJS())) {
      const object = toManifestObject(body, namespace, fingerprint, redact)
      if (object !== undefined) objects.push(object)
    }
  }
  return objects
}

/** The object, or the items of a List kind (nested Lists too). */
function listItems(body: unknown): Record<string, unknown>[] {
  if (!isObject(body)) return []
  if (text(body.kind).endsWith('List') && Array.isArray(body.items))
    return (body.items as unknown[]).flatMap(listItems)
  return [body]
}

function toManifestObject(
  body: Record<string, unknown>,
  releaseNamespace: string,
  fingerprint: Fingerprint,
  redact: (text: string) => string,
): ManifestObject | undefined {
  const metadata = isObject(body.metadata) ? body.metadata : {}
  const kind = text(body.kind)
  const name = text(metadata.name)
  if (kind === '' || name === '') return undefined
  const apiVersion = text(body.apiVersion)
  const group = apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : ''
  const namespace = CLUSTER_SCOPED.has(kind) ? '' : text(metadata.namespace) || releaseNamespace
  const secretData = kind === 'Secret' && group === '' ? takeSecretData(body, fingerprint) : undefined
  const shown = redactStrings(withoutServerFields(body), redact)
  return {
    group,
    kind,
    name: redact(name),
    namespace,
    yaml: stringify(shown, { sortMapEntries: true }),
    fields: leafFingerprints(shown, '', fingerprint),
    secretData,
  }
}

/** Removes `data` and `stringData` from a Secret; returns each key with its value's fingerprint. */
function takeSecretData(body: Record<string, unknown>, fingerprint: Fingerprint): Map<string, string> {
  const keys = new Map<string, string>()
  const read = (field: 'data' | 'stringData', encoding: BufferEncoding): void => {
    const values = body[field]
    Reflect.deleteProperty(body, field)
    if (!isObject(values)) return
    for (const [key, value] of Object.entries(values)) {
      const raw = typeof value === 'string' ? value : JSON.stringify(value)
      keys.set(key, fingerprint(Buffer.from(raw, encoding)))
    }
  }
  // The API server merges stringData over data: a key in both takes the stringData value.
  read('data', 'base64')
  read('stringData', 'utf8')
  return keys
}

/** The object without status, server-written metadata and the namespace (part of its identity). */
function withoutServerFields(body: Record<string, unknown>): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...body }
  Reflect.deleteProperty(rest, 'status')
  if (!isObject(rest.metadata)) return rest
  const metadata: Record<string, unknown> = { ...rest.metadata }
  for (const field of [...SERVER_METADATA, 'namespace']) Reflect.deleteProperty(metadata, field)
  if (isObject(metadata.annotations)) {
    const annotations = { ...metadata.annotations }
    for (const name of SERVER_ANNOTATIONS) Reflect.deleteProperty(annotations, name)
    if (Object.keys(annotations).length === 0) Reflect.deleteProperty(metadata, 'annotations')
    else metadata.annotations = annotations
  }
  return { ...rest, metadata }
}

/** Leaves by path, maps and lists walked; each value's fingerprint (of its JSON: 1 and "1" differ). */
function leafFingerprints(value: unknown, prefix: string, fingerprint: Fingerprint): Map<string, string> {
  const children: [string, unknown][] = Array.isArray(value)
    ? value.map((child, index) => [String(index), child as unknown])
    : isObject(value)
      ? Object.entries(value)
      : []
  if (children.length === 0)
    return new Map(prefix === '' ? [] : [[prefix, fingerprint(Buffer.from(JSON.stringify(value), 'utf8'))]])
  const fields = new Map<string, string>()
  for (const [key, child] of children)
    for (const [path, leaf] of leafFingerprints(child, prefix === '' ? key : `${prefix}.${key}`, fingerprint))
      fields.set(path, leaf)
  return fields
}

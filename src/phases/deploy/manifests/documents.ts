import { isAlias, isMap, isScalar, parseAllDocuments, visit, type Document } from 'yaml'
import { isObject, text } from '../../../helm/result.js'
import type { ManifestObject } from './types.js'

/** The Kubernetes objects of one file, or what is wrong with its documents (each problem names one). */
export interface ParsedFile {
  readonly objects: readonly ManifestObject[]
  readonly problems: readonly string[]
}

/**
 * Splits a YAML stream into its objects, keeping each document's text as written: helm parses the
 * templates with go-yaml (YAML 1.1: `0755` is octal, `on` a boolean), so a document re-serialized by
 * a YAML 1.2 library could change meaning. The documents are read as YAML 1.1, as go-yaml reads them
 * (merge keys `<<`, `on`/`yes` booleans), so every check sees the object helm applies; merge keys and
 * aliases at the top of an object or in its metadata are refused: the identity (kind, name, namespace)
 * and the marks the action adds must be written out plainly. Empty and comment-only documents are
 * skipped, as kubectl does.
 */
export function parseManifestFile(name: string, source: string): ParsedFile {
  const objects: ManifestObject[] = []
  const problems: string[] = []
  const yaml = source.replace(/^\uFEFF/, '')
  parseAllDocuments(yaml, { version: '1.1' }).forEach((document, index) => {
    const where = `${name}, document ${index + 1}`
    const error = document.errors[0]
    if (error !== undefined) {
      problems.push(`${where}: ${error.message.split('\n')[0] ?? ''}`)
      return
    }
    const indirect = indirectIdentity(document)
    if (indirect !== undefined) {
      problems.push(`${where}: ${indirect}`)
      return
    }
    const value: unknown = document.toJS({ maxAliasCount: 1000 })
    if (value === null || value === undefined) return
    const object = readObject(value)
    if (typeof object === 'string') problems.push(`${where}: ${object}`)
    else objects.push({ ...object, text: documentText(yaml, document), source: where })
  })
  return { objects, problems }
}

/**
 * Why the object's top level or metadata is not written out plainly (a merge key `<<` or an alias
 * `*name`), or undefined. go-yaml resolves both; a reader that did not could see another namespace
 * than the cluster does, and the `keep` annotation could not be added where helm reads it.
 */
function indirectIdentity(document: Document): string | undefined {
  const top = document.contents
  if (isAlias(top)) return 'is an alias (*name): write the object out.'
  if (!isMap(top)) return undefined
  for (const pair of top.items) {
    const key = isScalar(pair.key) && typeof pair.key.value === 'string' ? pair.key.value : ''
    if (isMergeKey(pair.key)) return `has a YAML merge key (<<) at the top of the object: ${WRITE_OUT}`
    if (isAlias(pair.value) && ['apiVersion', 'kind', 'metadata'].includes(key))
      return `has a YAML alias (*name) as its ${key}: ${WRITE_OUT}`
  }
  const metadata = top.get('metadata', true)
  if (!isMap(metadata)) return undefined
  let found: string | undefined
  visit(metadata, {
    Pair: (_, pair) => {
      if (!isMergeKey(pair.key)) return undefined
      found = `has a YAML merge key (<<) in metadata: ${WRITE_OUT}`
      return visit.BREAK
    },
    Alias: () => {
      found = `has a YAML alias (*name) in metadata: ${WRITE_OUT}`
      return visit.BREAK
    },
  })
  return found
}

/** `<<` as a key: a string in YAML 1.2, the merge key (a symbol) where merge keys are read. */
function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false
  const { value } = key
  return value === '<<' || (typeof value === 'symbol' && value.description === '<<')
}

const WRITE_OUT =
  'write the keys and values out. helm reads YAML as go-yaml does and resolves merge keys and aliases, so the identity (kind, name, namespace) and the annotations the action adds must be written plainly to be checked.'

type ObjectHead = Omit<ManifestObject, 'text' | 'source'>

/** The object's identity, or why the document is not one Kubernetes object. */
function readObject(value: unknown): ObjectHead | string {
  const metadata = isObject(value) && isObject(value.metadata) ? value.metadata : {}
  if (!isObject(value) || text(value.apiVersion) === '' || text(value.kind) === '') {
    return 'is not a Kubernetes object: a mapping with apiVersion, kind and metadata.name.'
  }
  const kind = text(value.kind)
  if (kind === 'List' || (kind.endsWith('List') && Array.isArray(value.items))) {
    return `is a ${kind}: write its items as separate documents (separated by ---), which helm applies one by one.`
  }
  const name = text(metadata.name)
  if (name === '') {
    return `${kind} has no metadata.name (a string): helm needs a fixed name for every object (generateName is not supported).`
  }
  const namespace = text(metadata.namespace)
  if (metadata.namespace !== undefined && metadata.namespace !== null && namespace === '') {
    return `${kind}/${name}: metadata.namespace must be a string.`
  }
  return {
    apiVersion: text(value.apiVersion),
    kind,
    name,
    namespace: namespace === '' ? undefined : namespace,
  }
}

/**
 * The document's content as written, without its `---` and `...` markers and comments before it. The
 * first line is padded to its column, so an indented block mapping keeps its shape.
 */
function documentText(source: string, document: Document): string {
  const range = document.contents?.range ?? [0, 0, 0]
  const lineStart = source.lastIndexOf('\n', range[0] - 1) + 1
  const body = ' '.repeat(range[0] - lineStart) + source.slice(range[0], range[2])
  return body.endsWith('\n') ? body : `${body}\n`
}

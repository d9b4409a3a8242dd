import { parseAllDocuments, type Document } from 'yaml'
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
 * a YAML 1.2 library could change meaning. Empty and comment-only documents are skipped, as kubectl does.
 */
export function parseManifestFile(name: string, source: string): ParsedFile {
  const objects: ManifestObject[] = []
  const problems: string[] = []
  const yaml = source.replace(/^\uFEFF/, '')
  parseAllDocuments(yaml).forEach((document, index) => {
    const where = `${name}, document ${index + 1}`
    const error = document.errors[0]
    if (error !== undefined) {
      problems.push(`${where}: ${error.message.split('\n')[0] ?? ''}`)
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

import { isObject } from '../../../helm/result.js'
import type { ManagedFieldsEntry } from '../../../kube/field-api.js'

/**
 * Field paths as the API server writes them in a conflict: `.spec.replicas`,
 * `.spec.template.spec.containers[name="app"].image`, `.ports[containerPort=8080,protocol="TCP"]`.
 */

/** A FieldsV1 key (`f:replicas`, `k:{"name":"app"}`, `v:"x"`, `i:0`) as a path step. */
function stepOf(key: string): string | undefined {
  const tag = key.slice(0, 2)
  const rest = key.slice(2)
  switch (tag) {
    case 'f:':
      return `.${rest}`
    case 'k:': {
      const keys = JSON.parse(rest) as Record<string, unknown>
      const parts = Object.entries(keys).map(([name, value]) => `${name}=${JSON.stringify(value)}`)
      return `[${parts.join(',')}]`
    }
    case 'v:':
      return `[=${rest}]`
    case 'i:':
      return `[${rest}]`
    default:
      return undefined
  }
}

/** Every field a managedFields entry owns (its leaves, and list elements it owns as a whole). */
export function ownedPaths(fieldsV1: unknown, prefix = ''): string[] {
  if (!isObject(fieldsV1)) return []
  const entries = Object.entries(fieldsV1)
  const paths: string[] = []
  for (const [key, child] of entries) {
    if (key === '.') {
      paths.push(prefix)
      continue
    }
    const step = stepOf(key)
    if (step === undefined) continue
    const below = ownedPaths(child, `${prefix}${step}`)
    paths.push(...(below.length === 0 ? [`${prefix}${step}`] : below))
  }
  return paths
}

export interface FieldOwner {
  readonly manager: string
  readonly operation: string
  readonly since: string
}

/** The managers of an object, each path to its owners (several managers may share a field). */
export class FieldOwners {
  private readonly owners = new Map<string, FieldOwner[]>()

  constructor(readonly entries: readonly ManagedFieldsEntry[]) {
    for (const entry of entries) {
      const owner = { manager: entry.manager, operation: entry.operation, since: entry.time ?? '' }
      for (const path of ownedPaths(entry.fieldsV1))
        this.owners.set(path, [...(this.owners.get(path) ?? []), owner])
    }
  }

  /** Who owns the path, or the nearest element or map above it that is owned whole. */
  of(path: string): FieldOwner[] {
    for (let at = path; at !== ''; at = parentOf(at)) {
      const found = this.owners.get(at)
      if (found !== undefined) return found
    }
    return []
  }

  /** The paths each manager owns (for the fields another manager added). */
  paths(): IterableIterator<[string, FieldOwner[]]> {
    return this.owners.entries()
  }
}

/** `.a.b[name="x"].c` → `.a.b[name="x"]` → `.a.b` → `.a` → ''. */
function parentOf(path: string): string {
  const match = /(\.[^.[]+|\[[^\]]*\])$/.exec(path)
  return match === null ? '' : path.slice(0, match.index)
}

/** The jsonpath kubectl reads a field with: `[name="app"]` becomes `[?(@.name=="app")]`. */
export function jsonPathOf(field: string): string {
  return `{${field.replace(/\[([^=\]]+)=("[^"]*"|[^,\]]*)\]/g, '[?(@.$1==$2)]')}}`
}

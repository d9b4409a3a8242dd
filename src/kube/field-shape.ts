import type { ApplyConflict, LiveFields, ManagedFieldsEntry } from './field-api.js'

/** A managedFields entry as a client gives it: client-node's has a Date, plain JSON a string. */
interface ManagedFieldsIn {
  readonly manager?: string
  readonly operation?: string
  readonly apiVersion?: string
  readonly time?: unknown
  readonly fieldsV1?: unknown
}

/** The object as plain data (client-node returns model instances), its managedFields apart. */
export function toLive(item: {
  readonly metadata?: { readonly managedFields?: readonly ManagedFieldsIn[] }
}): LiveFields {
  const managedFields = item.metadata?.managedFields ?? []
  const plain = JSON.parse(JSON.stringify(item)) as Record<string, unknown> & {
    metadata?: Record<string, unknown>
  }
  const metadata = { ...plain.metadata }
  delete metadata.managedFields
  return { object: { ...plain, metadata }, managedFields: managedFields.map(toEntry) }
}

function toEntry(entry: ManagedFieldsIn): ManagedFieldsEntry {
  const time = entry.time
  return {
    manager: entry.manager ?? '',
    operation: entry.operation ?? '',
    apiVersion: entry.apiVersion ?? '',
    time: time instanceof Date ? time.toISOString().replace('.000Z', 'Z') : (time as string | undefined),
    fieldsV1: entry.fieldsV1,
  }
}

/**
 * The conflicts of a 409 answer to an apply: `details.causes[]` of reason FieldManagerConflict, each
 * `{message: 'conflict with "kubectl-set" using apps/v1', field: '.spec...'}`. Undefined for anything else.
 */
export function conflictsOf(error: unknown): ApplyConflict[] | undefined {
  if ((error as { code?: unknown }).code !== 409) return undefined
  const body = (error as { body?: unknown }).body
  let status: unknown
  try {
    status = typeof body === 'string' ? JSON.parse(body) : body
  } catch {
    return undefined
  }
  const causes = (status as { details?: { causes?: unknown } } | undefined)?.details?.causes
  if (!Array.isArray(causes)) return undefined
  return causes.flatMap((cause: { reason?: unknown; message?: unknown; field?: unknown }) => {
    if (cause.reason !== 'FieldManagerConflict' || typeof cause.field !== 'string') return []
    const manager = /conflict with "([^"]*)"/.exec(String(cause.message))?.[1] ?? String(cause.message)
    return [{ field: cause.field, manager }]
  })
}

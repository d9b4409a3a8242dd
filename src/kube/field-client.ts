import type * as K8s from '@kubernetes/client-node'
import type { ApplyConflict, Autoscaler, FieldApi, LiveFields, ManagedFieldsEntry } from './field-api.js'
import { retrying, toKubeError } from './kube-error.js'
import { makeObjectApi } from './object-api.js'

/** The FieldApi over client-node's KubernetesObjectApi (any kind, found through discovery). */
export class ClientNodeFields implements FieldApi {
  private readonly objects: K8s.KubernetesObjectApi

  constructor(
    private readonly k8s: typeof K8s,
    kc: K8s.KubeConfig,
    timeoutMs: number,
  ) {
    this.objects = makeObjectApi(k8s, kc, timeoutMs)
  }

  async listLive(
    apiVersion: string,
    kind: string,
    namespace: string,
  ): Promise<ReadonlyMap<string, LiveFields>> {
    const list = await retrying(() => this.objects.list(apiVersion, kind, namespace)).catch(
      (error: unknown) => {
        throw toKubeError(`list ${kind} in namespace ${namespace}`, error)
      },
    )
    return new Map(list.items.map((item) => [item.metadata?.name ?? '', toLive(item)]))
  }

  async applyDryRun(
    body: Readonly<Record<string, unknown>>,
    fieldManager: string,
  ): Promise<readonly ApplyConflict[]> {
    try {
      await retrying(() =>
        this.objects.patch(
          body,
          undefined,
          'All',
          fieldManager,
          false,
          this.k8s.PatchStrategy.ServerSideApply,
        ),
      )
      return []
    } catch (error) {
      const conflicts = conflictsOf(error)
      if (conflicts !== undefined) return conflicts
      throw toKubeError(`dry-run apply ${String(body.kind)}`, error)
    }
  }

  async listAutoscalers(namespace: string): Promise<readonly Autoscaler[]> {
    const list = await retrying(() =>
      this.objects.list('autoscaling/v1', 'HorizontalPodAutoscaler', namespace),
    ).catch((error: unknown) => {
      throw toKubeError(`list HorizontalPodAutoscalers in namespace ${namespace}`, error)
    })
    return list.items.map((item) => {
      const target = (item as { spec?: { scaleTargetRef?: { kind?: string; name?: string } } }).spec
        ?.scaleTargetRef
      return {
        name: item.metadata?.name ?? '',
        targetKind: target?.kind ?? '',
        targetName: target?.name ?? '',
      }
    })
  }
}

/** The object as plain data (client-node returns model instances), its managedFields apart. */
function toLive(item: K8s.KubernetesObject): LiveFields {
  const managedFields = item.metadata?.managedFields ?? []
  const plain = JSON.parse(JSON.stringify(item)) as Record<string, unknown> & {
    metadata?: Record<string, unknown>
  }
  const metadata = { ...plain.metadata }
  delete metadata.managedFields
  return { object: { ...plain, metadata }, managedFields: managedFields.map(toEntry) }
}

function toEntry(entry: K8s.V1ManagedFieldsEntry): ManagedFieldsEntry {
  const time = entry.time as unknown
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

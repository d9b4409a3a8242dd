import type * as K8s from '@kubernetes/client-node'
import type { ObjectRef } from './object-ref.js'
import type { ApplyConflict, Autoscaler, FieldApi, LiveFields, ManagedFieldsEntry } from './field-api.js'
import { toKubeError } from './kube-error.js'
import { KubeApiError } from './kube-api.js'
import { makeObjectApi, objectSpec } from './object-api.js'

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

  async readLive(object: ObjectRef): Promise<LiveFields | undefined> {
    try {
      const live: Record<string, unknown> & K8s.KubernetesObject = await this.objects.read(objectSpec(object))
      const managedFields = live.metadata?.managedFields ?? []
      // The object as plain data (client-node returns model instances): what the drift compares.
      const metadata = JSON.parse(JSON.stringify(live.metadata ?? {})) as Record<string, unknown>
      delete metadata.managedFields
      const plain = JSON.parse(JSON.stringify(live)) as Record<string, unknown>
      return { object: { ...plain, metadata }, managedFields: managedFields.map(toEntry) }
    } catch (error) {
      const failure = toKubeError(`read ${object.kind} ${object.name}`, error)
      if (failure instanceof KubeApiError && failure.status === 404) return undefined
      throw failure
    }
  }

  async applyDryRun(
    body: Readonly<Record<string, unknown>>,
    fieldManager: string,
  ): Promise<readonly ApplyConflict[]> {
    try {
      await this.objects.patch(
        body,
        undefined,
        'All',
        fieldManager,
        false,
        this.k8s.PatchStrategy.ServerSideApply,
      )
      return []
    } catch (error) {
      const conflicts = conflictsOf(error)
      if (conflicts !== undefined) return conflicts
      throw toKubeError(`dry-run apply ${String(body.kind)}`, error)
    }
  }

  async listAutoscalers(namespace: string): Promise<readonly Autoscaler[]> {
    const list = await this.objects
      .list('autoscaling/v1', 'HorizontalPodAutoscaler', namespace)
      .catch((error: unknown) => {
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

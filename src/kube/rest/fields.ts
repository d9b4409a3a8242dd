import type { ApplyConflict, Autoscaler, FieldApi, LiveFields } from '../field-api.js'
import { conflictsOf, toLive } from '../field-shape.js'
import { statusError, type RestTransport } from './transport.js'
import type { RestDiscovery } from './discovery.js'

/** FieldApi over the REST client: the same requests as client-node's KubernetesObjectApi makes. */
export class RestFields implements FieldApi {
  constructor(
    private readonly rest: RestTransport,
    private readonly discovery: RestDiscovery,
  ) {}

  async listLive(
    apiVersion: string,
    kind: string,
    namespace: string,
  ): Promise<ReadonlyMap<string, LiveFields>> {
    const what = `list ${kind} in namespace ${namespace}`
    const path = await this.discovery.path(apiVersion, kind, namespace)
    const list = await this.rest.json<{
      items?: { metadata?: { name?: string; managedFields?: never[] } }[]
    }>(what, { method: 'GET', path })
    return new Map((list.items ?? []).map((item) => [item.metadata?.name ?? '', toLive(item)]))
  }

  async applyDryRun(
    body: Readonly<Record<string, unknown>>,
    fieldManager: string,
  ): Promise<readonly ApplyConflict[]> {
    const what = `dry-run apply ${String(body.kind)}`
    const metadata = (body.metadata ?? {}) as { name?: string; namespace?: string }
    const path = await this.discovery.path(
      String(body.apiVersion),
      String(body.kind),
      metadata.namespace,
      metadata.name,
    )
    const answer = await this.rest.exchange(what, {
      method: 'PATCH',
      path,
      query: { dryRun: 'All', fieldManager, force: false },
      body,
      contentType: 'application/apply-patch+yaml',
    })
    if (answer.status < 400) return []
    const conflicts = conflictsOf({ code: answer.status, body: answer.text })
    if (conflicts !== undefined) return conflicts
    throw statusError(what, answer)
  }

  async listAutoscalers(namespace: string): Promise<readonly Autoscaler[]> {
    const list = await this.rest.json<{
      items?: { metadata?: { name?: string }; spec?: { scaleTargetRef?: { kind?: string; name?: string } } }[]
    }>(`list HorizontalPodAutoscalers in namespace ${namespace}`, {
      method: 'GET',
      path: `/apis/autoscaling/v1/namespaces/${encodeURIComponent(namespace)}/horizontalpodautoscalers`,
    })
    return (list.items ?? []).map((item) => ({
      name: item.metadata?.name ?? '',
      targetKind: item.spec?.scaleTargetRef?.kind ?? '',
      targetName: item.spec?.scaleTargetRef?.name ?? '',
    }))
  }
}

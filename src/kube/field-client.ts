import type * as K8s from '@kubernetes/client-node'
import type { ApplyConflict, Autoscaler, FieldApi, LiveFields } from './field-api.js'
import { conflictsOf, toLive } from './field-shape.js'
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

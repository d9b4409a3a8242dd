import type * as K8s from '@kubernetes/client-node'

/** client-node's KubernetesObjectApi does discovery (cached) but keeps it protected: a subclass exposes it. */
export class Discovery {
  private constructor(private readonly api: K8s.KubernetesObjectApi & { lookup: Discovery['lookup'] }) {}

  static make(k8s: typeof K8s, kc: K8s.KubeConfig): Discovery {
    class ObjectDiscovery extends k8s.KubernetesObjectApi {
      lookup(apiVersion: string, kind: string): Promise<K8s.V1APIResource | undefined> {
        return this.resource(apiVersion, kind)
      }
    }
    const base = k8s.KubernetesObjectApi.makeApiClient(kc) as unknown as { configuration: K8s.Configuration }
    return new Discovery(new ObjectDiscovery(base.configuration))
  }

  lookup(apiVersion: string, kind: string): Promise<K8s.V1APIResource | undefined> {
    return this.api.lookup(apiVersion, kind)
  }

  list(apiVersion: string, kind: string, namespace: string | undefined): Promise<unknown> {
    return this.api.list(apiVersion, kind, namespace)
  }
}

import type { KubeApi, LeaseApi, NamespaceApi } from './kube-api.js'
import type { KubeClientParams } from './kube-client.js'

// A request to the API server that takes longer than this is abandoned (the watch polls again).
const KUBE_REQUEST_TIMEOUT_MS = 10_000

/**
 * How a phase reaches the cluster: the client (and @kubernetes/client-node, a large module) loads on
 * the first call only, and every later call of the phase shares that one client.
 */
export function kubeConnection(
  params: Omit<KubeClientParams, 'requestTimeoutMs'>,
): () => Promise<KubeApi & NamespaceApi & LeaseApi> {
  let kube: Promise<KubeApi & NamespaceApi & LeaseApi> | undefined
  return () =>
    (kube ??= import('./kube-client.js').then((client) =>
      client.createKubeClient({ ...params, requestTimeoutMs: KUBE_REQUEST_TIMEOUT_MS }),
    ))
}

import type { KubeClientParams } from './kube-client.js'
import type { KubeClient } from './worker-protocol.js'
import { bundledScript, loadInProcess, startKubeWorker } from './worker-client.js'

// A request to the API server that takes longer than this is abandoned (the watch polls again).
const KUBE_REQUEST_TIMEOUT_MS = 10_000

/**
 * How a phase reaches the cluster: the client (and @kubernetes/client-node, a large module) loads on
 * the first call only, in the Kubernetes thread when the bundle runs (worker-client.ts), and every
 * later call of the phase shares that one client.
 */
export function kubeConnection(
  params: Omit<KubeClientParams, 'requestTimeoutMs'>,
): () => Promise<KubeClient> {
  let kube: Promise<KubeClient> | undefined
  return () => (kube ??= connect({ ...params, requestTimeoutMs: KUBE_REQUEST_TIMEOUT_MS }))
}

async function connect(params: KubeClientParams): Promise<KubeClient> {
  const worker = startKubeWorker()
  // The thread's own bundle sits in dist/kube-worker/: it is told where this action's token plugin is.
  if (worker !== undefined)
    return worker.connect({ ...params, ownTokenScript: params.ownTokenScript ?? bundledScript('token') })
  return (await loadInProcess()).createKubeClient(params)
}

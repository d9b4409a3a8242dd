import type { KubeClientParams } from './kube-client.js'
import { RestKube } from './rest/client.js'
import { restTarget } from './rest/target.js'
import type { KubeClient } from './worker-protocol.js'
import { bundledScript, loadInProcess, startKubeWorker } from './worker-client.js'

// A request to the API server that takes longer than this is abandoned (the watch polls again).
const KUBE_REQUEST_TIMEOUT_MS = 10_000

/**
 * How a phase reaches the cluster, made on the first call and shared by every later call of the phase:
 * - the kubeconfig this action wrote (or one with a bearer token): plain JSON requests (rest/), with the
 *   token made in-process;
 * - any other kubeconfig: @kubernetes/client-node, which knows every kind of kubeconfig, loaded in the
 *   Kubernetes thread when the bundle runs (worker-client.ts).
 */
export function kubeConnection(
  params: Omit<KubeClientParams, 'requestTimeoutMs'>,
): () => Promise<KubeClient> {
  let kube: Promise<KubeClient> | undefined
  return () => (kube ??= connect({ ...params, requestTimeoutMs: KUBE_REQUEST_TIMEOUT_MS }))
}

async function connect(params: KubeClientParams): Promise<KubeClient> {
  // The token plugin the kubeconfig phase names: dist/token/ beside this bundle.
  const withOwn = { ...params, ownTokenScript: params.ownTokenScript ?? bundledScript('token') }
  const target = await restTarget(withOwn)
  if (target !== undefined) return new RestKube(target, params.requestTimeoutMs)
  const worker = startKubeWorker()
  if (worker !== undefined) return worker.connect(withOwn)
  return (await loadInProcess()).createKubeClient(params)
}

/**
 * Starts loading client-node (its thread, else, in the sources under test, its module here) at the
 * step's start, for a job whose kubeconfig will be client-node's: not when the kubeconfig phase writes
 * one, nor for a kubeconfig the plain client serves.
 */
export async function startKube(
  params: Omit<KubeClientParams, 'requestTimeoutMs'> & { willWrite: boolean },
): Promise<void> {
  if (params.willWrite) return
  if ((await restTarget({ ...params, ownTokenScript: bundledScript('token') })) !== undefined) return
  if (startKubeWorker() === undefined) await (await loadInProcess()).loadKubeModule()
}

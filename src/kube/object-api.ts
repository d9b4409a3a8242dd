import type * as K8s from '@kubernetes/client-node'
import type { ObjectRef } from './kube-api.js'

/**
 * client-node's KubernetesObjectApi (any kind, found through discovery), each request aborted after
 * `timeoutMs`: its methods take no per-call options, so the abort signal is set by a middleware,
 * fresh for every request.
 */
export function makeObjectApi(
  k8s: typeof K8s,
  kc: K8s.KubeConfig,
  timeoutMs: number,
): K8s.KubernetesObjectApi {
  const server = kc.getCurrentCluster()?.server ?? ''
  const configuration = k8s.createConfiguration({
    baseServer: new k8s.ServerConfiguration(server, {}),
    authMethods: { default: kc },
    promiseMiddleware: [
      {
        pre: (context) => {
          context.setSignal(AbortSignal.timeout(timeoutMs))
          return Promise.resolve(context)
        },
        post: (response) => Promise.resolve(response),
      },
    ],
  })
  return new k8s.KubernetesObjectApi(configuration)
}

/** The object as client-node's KubernetesObjectApi names it (its path comes from discovery). */
export function objectSpec(object: ObjectRef): {
  apiVersion: string
  kind: string
  metadata: { name: string; namespace?: string }
} {
  const { apiVersion, kind, name, namespace } = object
  return { apiVersion, kind, metadata: { name, ...(namespace === undefined ? {} : { namespace }) } }
}

import type * as K8s from '@kubernetes/client-node'
import { KubeApiError, type LeaseApi, type LeaseRecord, type LeaseWrite } from './kube-api.js'
import { retrying, toKubeError } from './kube-error.js'
import { leaseBody, leaseRecord } from './shapes.js'

/** Leases over client-node's CoordinationV1Api, with the same kubeconfig (and token) as the rest of the client. */
export function makeLeaseApi(k8s: typeof K8s, kc: K8s.KubeConfig, timeoutMs: number): LeaseApi {
  const api = kc.makeApiClient(k8s.CoordinationV1Api)
  const options = (): K8s.ConfigurationOptions => {
    const signal = AbortSignal.timeout(timeoutMs)
    return {
      middlewareMergeStrategy: 'append',
      middleware: [
        {
          pre: (context) => {
            context.setSignal(signal)
            return new k8s.Observable(Promise.resolve(context))
          },
          post: (response) => new k8s.Observable(Promise.resolve(response)),
        },
      ],
    }
  }
  const call = async (what: string, request: () => Promise<K8s.V1Lease>): Promise<LeaseRecord> => {
    try {
      return leaseRecord(await retrying(request))
    } catch (error) {
      throw toKubeError(what, error)
    }
  }
  return {
    async readLease(namespace, name) {
      try {
        return await call(`read Lease ${name}`, () => api.readNamespacedLease({ name, namespace }, options()))
      } catch (error) {
        if (error instanceof KubeApiError && error.status === 404) return undefined
        throw error
      }
    },
    createLease: (lease) =>
      call(`create Lease ${lease.name}`, () =>
        api.createNamespacedLease({ namespace: lease.namespace, body: bodyOf(k8s, lease) }, options()),
      ),
    replaceLease: (lease, resourceVersion) =>
      call(`update Lease ${lease.name}`, () =>
        api.replaceNamespacedLease(
          {
            name: lease.name,
            namespace: lease.namespace,
            body: bodyOf(k8s, lease, resourceVersion),
          },
          options(),
        ),
      ),
  }
}

function bodyOf(k8s: typeof K8s, lease: LeaseWrite, resourceVersion?: string): K8s.V1Lease {
  // Kubernetes reads MicroTime only with six fractional digits: client-node's V1MicroTime writes them.
  return leaseBody(lease, new k8s.V1MicroTime(lease.nowMs), resourceVersion)
}

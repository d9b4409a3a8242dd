/* eslint-disable @typescript-eslint/no-unsafe-class-instance-assignment --
   client-node's request bodies are model classes of plain fields; its API serializes any object of their
   shape, and its own examples pass object literals. */
import type * as K8s from '@kubernetes/client-node'
import { KubeApiError, type LeaseApi, type LeaseRecord, type LeaseWrite } from './kube-api.js'
import { retrying, toKubeError } from './kube-error.js'

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
      return recordOf(await retrying(request))
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
  const now = new k8s.V1MicroTime(lease.nowMs)
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: lease.name,
      namespace: lease.namespace,
      annotations: { ...lease.annotations },
      ...(resourceVersion === undefined ? {} : { resourceVersion }),
    },
    spec: {
      ...(lease.holder === undefined ? {} : { holderIdentity: lease.holder }),
      leaseDurationSeconds: lease.durationSeconds,
      leaseTransitions: lease.transitions,
      ...(lease.holder !== undefined && lease.isNewHolder ? { acquireTime: now } : {}),
      renewTime: now,
    },
  }
}

function recordOf(lease: K8s.V1Lease): LeaseRecord {
  const holder = lease.spec?.holderIdentity
  return {
    name: lease.metadata?.name ?? '',
    namespace: lease.metadata?.namespace ?? '',
    holder: holder === '' ? undefined : holder,
    durationSeconds: lease.spec?.leaseDurationSeconds ?? 0,
    transitions: lease.spec?.leaseTransitions ?? 0,
    annotations: lease.metadata?.annotations ?? {},
    resourceVersion: lease.metadata?.resourceVersion ?? '',
  }
}

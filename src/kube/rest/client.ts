import type { KubeEvent, NamespaceSnapshot, ProgressiveObject } from '../kube-objects.js'
import {
  KubeApiError,
  type AccessAnswer,
  type AccessQuestion,
  type ApiResource,
  type HelmRecord,
  type KindProbe,
  type LeaseRecord,
  type LeaseWrite,
  type LiveObject,
  type ObjectLabels,
  type ObjectRef,
} from '../kube-api.js'
import {
  accessAnswer,
  accessReviewBody,
  helmRecordsOf,
  leaseBody,
  leaseRecord,
  liveObject,
  objectLabels,
  ReviewCache,
  userInForbidden,
} from '../shapes.js'
import type { KubeClient } from '../worker-protocol.js'
import { RestDiscovery } from './discovery.js'
import { RestFields } from './fields.js'
import { RestTransport, type RestTarget } from './transport.js'

type List<T> = { readonly items?: readonly T[] }
const ns = (namespace: string): string => `/namespaces/${encodeURIComponent(namespace)}`
const LEASES = '/apis/coordination.k8s.io/v1'

/**
 * The KubeClient as plain JSON requests to the API server, for the kubeconfig this action wrote (or one
 * with a bearer token): every request the deploy makes is a simple read, list, create, replace or patch,
 * and @kubernetes/client-node (a thousand generated classes, about a second of CPU to load) is not
 * needed for them. Any other kubeconfig is client-node's (kube/connect.ts). The same requests, answers
 * and errors as client-node's client: both pass __tests__/unit/kube/kube-client.test.ts.
 */
export class RestKube implements KubeClient {
  readonly fields: RestFields
  private readonly rest: RestTransport
  private readonly discovery: RestDiscovery
  private readonly reviews = new ReviewCache()

  constructor(target: RestTarget, timeoutMs: number) {
    this.rest = new RestTransport(target, timeoutMs)
    this.discovery = new RestDiscovery(this.rest)
    this.fields = new RestFields(this.rest, this.discovery)
  }

  private async list<T>(what: string, path: string, query?: Record<string, string>): Promise<T[]> {
    const list = await this.rest.json<List<T>>(what, {
      method: 'GET',
      path,
      ...(query === undefined ? {} : { query }),
    })
    return [...(list.items ?? [])]
  }

  async snapshot(
    namespace: string,
    options?: { readonly isProgressive?: boolean },
  ): Promise<NamespaceSnapshot> {
    const apps = `/apis/apps/v1${ns(namespace)}`
    const progressive = options?.isProgressive === true ? this.progressive(namespace) : undefined
    const [deployments, statefulSets, daemonSets, replicaSets, jobs, pods] = await Promise.all([
      this.list<never>('list deployments', `${apps}/deployments`),
      this.list<never>('list statefulsets', `${apps}/statefulsets`),
      this.list<never>('list daemonsets', `${apps}/daemonsets`),
      this.list<never>('list replicasets', `${apps}/replicasets`),
      this.list<never>('list jobs', `/apis/batch/v1${ns(namespace)}/jobs`),
      this.list<never>('list pods', `/api/v1${ns(namespace)}/pods`),
    ])
    return { deployments, statefulSets, daemonSets, replicaSets, jobs, pods, ...(await progressive) }
  }

  /** Argo Rollouts and Flagger Canaries; a kind the cluster does not serve (no CRD) lists as none. */
  private async progressive(namespace: string): Promise<Partial<NamespaceSnapshot>> {
    const list = async (apiVersion: string, kind: string) =>
      this.list<ProgressiveObject>(
        `list ${kind}`,
        await this.discovery.path(apiVersion, kind, namespace),
      ).catch(() => [])
    const [rollouts, canaries] = await Promise.all([
      list('argoproj.io/v1alpha1', 'Rollout'),
      list('flagger.app/v1beta1', 'Canary'),
    ])
    return { rollouts, canaries }
  }

  events(namespace: string): Promise<readonly KubeEvent[]> {
    return this.list<KubeEvent>('list events', `/api/v1${ns(namespace)}/events`)
  }

  podLog(
    namespace: string,
    pod: string,
    options: { readonly container: string; readonly tailLines: number; readonly previous: boolean },
  ): Promise<string> {
    return this.rest.text(`read the log of ${pod}`, {
      method: 'GET',
      path: `/api/v1${ns(namespace)}/pods/${encodeURIComponent(pod)}/log`,
      query: options,
    })
  }

  reviewAccess(questions: readonly AccessQuestion[]): Promise<readonly AccessAnswer[]> {
    return this.reviews.ask(questions, async (question) =>
      accessAnswer(
        question,
        await this.rest.json('create a SelfSubjectAccessReview', {
          method: 'POST',
          path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
          body: accessReviewBody(question),
        }),
      ),
    )
  }

  async findResource(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    const found = await this.discovery.lookup(apiVersion, kind)
    if (found === undefined) return undefined
    const group = apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : ''
    return { group, resource: found.name, isNamespaced: found.isNamespaced }
  }

  async namespaceExists(namespace: string): Promise<boolean> {
    try {
      await this.rest.text(`read namespace ${namespace}`, { method: 'GET', path: `/api/v1${ns(namespace)}` })
      return true
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return false
      throw error
    }
  }

  async listObjects(apiVersion: string, kind: string, namespace: string): Promise<readonly LiveObject[]> {
    const path = await this.discovery.path(apiVersion, kind, namespace)
    const items = await this.list<never>(`list ${kind} in namespace ${namespace}`, path)
    return items.map((item) => liveObject(kind, item))
  }

  async readHelmRecords(namespace: string, release: string): Promise<readonly HelmRecord[]> {
    const secrets = await this.list<never>(
      `list the records of release ${release}`,
      `/api/v1${ns(namespace)}/secrets`,
      {
        labelSelector: `owner=helm,name=${release}`,
      },
    )
    return helmRecordsOf(secrets)
  }

  async deleteNamespace(namespace: string): Promise<void> {
    await this.rest.text(`delete namespace ${namespace}`, {
      method: 'DELETE',
      path: `/api/v1${ns(namespace)}`,
      isOnce: true,
    })
  }

  async whoAmI(probe: KindProbe | undefined): Promise<string | undefined> {
    try {
      const review = await this.rest.json<{ status?: { userInfo?: { username?: string } } }>(
        'create a SelfSubjectReview',
        {
          method: 'POST',
          path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
          body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
        },
      )
      const name = review.status?.userInfo?.username
      if (name !== undefined) return name
    } catch {
      // Kubernetes before 1.28 has no SelfSubjectReview: a refused read names the user instead.
    }
    if (probe === undefined) return undefined
    try {
      await this.list('list', await this.discovery.path(probe.apiVersion, probe.kind, probe.namespace))
      return undefined
    } catch (error) {
      return error instanceof Error ? userInForbidden(error.message) : undefined
    }
  }

  async readLabels(object: ObjectRef): Promise<ObjectLabels | undefined> {
    try {
      const path = await this.discovery.path(object.apiVersion, object.kind, object.namespace, object.name)
      const { metadata } = await this.rest.json<{ metadata?: never }>(`read ${object.kind} ${object.name}`, {
        method: 'GET',
        path,
      })
      return objectLabels(metadata)
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return undefined
      throw error
    }
  }

  async patchLabels(object: ObjectRef, change: ObjectLabels): Promise<void> {
    const path = await this.discovery.path(object.apiVersion, object.kind, object.namespace, object.name)
    await this.rest.text(`patch ${object.kind} ${object.name}`, {
      method: 'PATCH',
      path,
      query: { fieldManager: 'eks-deploy-action' },
      body: { metadata: { labels: change.labels, annotations: change.annotations } },
      contentType: 'application/merge-patch+json',
    })
  }

  async readLease(namespace: string, name: string): Promise<LeaseRecord | undefined> {
    try {
      return leaseRecord(
        await this.rest.json(`read Lease ${name}`, {
          method: 'GET',
          path: `${LEASES}${ns(namespace)}/leases/${encodeURIComponent(name)}`,
        }),
      )
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return undefined
      throw error
    }
  }

  async createLease(lease: LeaseWrite): Promise<LeaseRecord> {
    return leaseRecord(
      await this.rest.json(`create Lease ${lease.name}`, {
        method: 'POST',
        path: `${LEASES}${ns(lease.namespace)}/leases`,
        body: leaseBody(lease, microTime(lease.nowMs)),
      }),
    )
  }

  async replaceLease(lease: LeaseWrite, resourceVersion: string): Promise<LeaseRecord> {
    return leaseRecord(
      await this.rest.json(`update Lease ${lease.name}`, {
        method: 'PUT',
        path: `${LEASES}${ns(lease.namespace)}/leases/${encodeURIComponent(lease.name)}`,
        body: leaseBody(lease, microTime(lease.nowMs), resourceVersion),
      }),
    )
  }
}

/** Kubernetes reads a MicroTime only with six fractional digits. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z')
}

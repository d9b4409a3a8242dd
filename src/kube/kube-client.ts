/* eslint-disable @typescript-eslint/no-unsafe-class-instance-assignment --
   client-node's request bodies are model classes of plain fields; its API serializes any object of their
   shape, and its own examples pass object literals. */
import type * as K8s from '@kubernetes/client-node'
import type { KubeEvent, NamespaceSnapshot, ProgressiveObject } from './kube-objects.js'
import {
  KubeApiError,
  type AccessAnswer,
  type AccessQuestion,
  type ApiResource,
  type KindProbe,
  type HelmRecord,
  type KubeApi,
  type LeaseApi,
  type LiveObject,
  type ObjectLabels,
  type ObjectRef,
  type NamespaceApi,
} from './kube-api.js'
import { Discovery } from './discovery.js'
import { makeObjectApi, objectSpec } from './object-api.js'
import { loadKubeConfig, loadKubeModule, type KubeConfigParams } from './kube-config.js'
import { retrying, toKubeError } from './kube-error.js'
import { ClientNodeFields } from './field-client.js'
import type { FieldApi } from './field-api.js'
import { makeLeaseApi } from './lease-client.js'
import {
  accessAnswer,
  accessReviewBody,
  helmRecordsOf,
  liveObject,
  objectLabels,
  ReviewCache,
  userInForbidden,
} from './shapes.js'

export interface KubeClientParams extends KubeConfigParams {
  /** Each request is aborted after this long, so a silent API server cannot hang the deploy. */
  readonly requestTimeoutMs: number
}

/**
 * The KubeApi over @kubernetes/client-node, the Kubernetes client of the JavaScript ecosystem. It is
 * imported here, lazily, so only a deploy that watches its rollout or checks its access loads it
 * (1.4.0: the last major that runs on Node 20; 2.x needs Node 22). Its exec-credential support runs
 * the kubeconfig's token plugin and caches the token until it expires, like kubectl.
 */
export async function createKubeClient(params: KubeClientParams): Promise<KubeApi & NamespaceApi & LeaseApi> {
  const k8s = await loadKubeModule()
  const kc = await loadKubeConfig(k8s, params)
  return Object.assign(
    new ClientNodeKube(k8s, kc, params.requestTimeoutMs),
    makeLeaseApi(k8s, kc, params.requestTimeoutMs),
  )
}

class ClientNodeKube implements KubeApi, NamespaceApi {
  private readonly core: K8s.CoreV1Api
  private readonly apps: K8s.AppsV1Api
  private readonly batch: K8s.BatchV1Api
  private readonly authz: K8s.AuthorizationV1Api
  private readonly discovery: Discovery

  constructor(
    private readonly k8s: typeof K8s,
    kc: K8s.KubeConfig,
    private readonly timeoutMs: number,
  ) {
    this.core = kc.makeApiClient(k8s.CoreV1Api)
    this.apps = kc.makeApiClient(k8s.AppsV1Api)
    this.batch = kc.makeApiClient(k8s.BatchV1Api)
    this.authz = kc.makeApiClient(k8s.AuthorizationV1Api)
    this.discovery = Discovery.make(k8s, kc)
    this.authn = kc.makeApiClient(k8s.AuthenticationV1Api)
    this.objects = makeObjectApi(k8s, kc, timeoutMs)
    this.fields = new ClientNodeFields(k8s, kc, timeoutMs)
  }

  readonly fields: FieldApi

  private readonly authn: K8s.AuthenticationV1Api
  private readonly objects: K8s.KubernetesObjectApi

  /** A fresh abort signal per request (client-node has no timeout setting of its own). */
  private options(): K8s.ConfigurationOptions {
    const { Observable } = this.k8s
    const signal = AbortSignal.timeout(this.timeoutMs)
    return {
      middlewareMergeStrategy: 'append',
      middleware: [
        {
          pre: (context) => {
            context.setSignal(signal)
            return new Observable(Promise.resolve(context))
          },
          post: (response) => new Observable(Promise.resolve(response)),
        },
      ],
    }
  }

  /** `once`: never sent again (a second delete of a namespace already terminating is refused, HTTP 409). */
  private async call<T>(
    what: string,
    request: (options: K8s.ConfigurationOptions) => Promise<T>,
    { once = false } = {},
  ): Promise<T> {
    try {
      const send = () => request(this.options())
      return await (once ? send() : retrying(send))
    } catch (error) {
      throw toKubeError(what, error)
    }
  }

  async snapshot(
    namespace: string,
    options?: { readonly isProgressive?: boolean },
  ): Promise<NamespaceSnapshot> {
    const q = { namespace }
    const progressive = options?.isProgressive === true ? this.progressive(namespace) : undefined
    const [deployments, statefulSets, daemonSets, replicaSets, jobs, pods] = await Promise.all([
      this.call('list deployments', (o) => this.apps.listNamespacedDeployment(q, o)),
      this.call('list statefulsets', (o) => this.apps.listNamespacedStatefulSet(q, o)),
      this.call('list daemonsets', (o) => this.apps.listNamespacedDaemonSet(q, o)),
      this.call('list replicasets', (o) => this.apps.listNamespacedReplicaSet(q, o)),
      this.call('list jobs', (o) => this.batch.listNamespacedJob(q, o)),
      this.call('list pods', (o) => this.core.listNamespacedPod(q, o)),
    ])
    return {
      deployments: deployments.items,
      statefulSets: statefulSets.items,
      daemonSets: daemonSets.items,
      replicaSets: replicaSets.items,
      jobs: jobs.items,
      pods: pods.items,
      ...(await progressive),
    }
  }

  /** Argo Rollouts and Flagger Canaries; a kind the cluster does not serve (no CRD) lists as none. */
  private async progressive(namespace: string): Promise<Partial<NamespaceSnapshot>> {
    const list = (apiVersion: string, kind: string) =>
      this.objects
        .list(apiVersion, kind, namespace)
        .then((answer) => answer.items as ProgressiveObject[])
        .catch(() => [])
    const [rollouts, canaries] = await Promise.all([
      list('argoproj.io/v1alpha1', 'Rollout'),
      list('flagger.app/v1beta1', 'Canary'),
    ])
    return { rollouts, canaries }
  }

  async events(namespace: string): Promise<readonly KubeEvent[]> {
    const list = await this.call('list events', (o) => this.core.listNamespacedEvent({ namespace }, o))
    return list.items
  }

  podLog(
    namespace: string,
    pod: string,
    options: { readonly container: string; readonly tailLines: number; readonly previous: boolean },
  ): Promise<string> {
    return this.call(`read the log of ${pod}`, (o) =>
      this.core.readNamespacedPodLog({ name: pod, namespace, ...options }, o),
    )
  }

  private readonly reviews = new ReviewCache()

  reviewAccess(questions: readonly AccessQuestion[]): Promise<readonly AccessAnswer[]> {
    return this.reviews.ask(questions, async (question) =>
      accessAnswer(
        question,
        await this.call('create a SelfSubjectAccessReview', (o) =>
          this.authz.createSelfSubjectAccessReview(
            { body: accessReviewBody(question) as unknown as K8s.V1SelfSubjectAccessReview },
            o,
          ),
        ),
      ),
    )
  }

  async findResource(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    const found = await retrying(() => this.discovery.lookup(apiVersion, kind)).catch((error: unknown) => {
      throw toKubeError(`discover ${kind} in ${apiVersion}`, error)
    })
    if (found === undefined) return undefined
    const group = apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : ''
    return { group, resource: found.name, isNamespaced: found.namespaced }
  }

  async namespaceExists(namespace: string): Promise<boolean> {
    try {
      await this.call(`read namespace ${namespace}`, (o) => this.core.readNamespace({ name: namespace }, o))
      return true
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return false
      throw error
    }
  }

  async listObjects(apiVersion: string, kind: string, namespace: string): Promise<readonly LiveObject[]> {
    const list = (await retrying(() => this.discovery.list(apiVersion, kind, namespace)).catch(
      (error: unknown) => {
        throw toKubeError(`list ${kind} in namespace ${namespace}`, error)
      },
    )) as { items?: readonly (K8s.KubernetesObject & { type?: string })[] }
    return (list.items ?? []).map((item) => liveObject(kind, item))
  }

  async readHelmRecords(namespace: string, release: string): Promise<readonly HelmRecord[]> {
    const list = await this.call(`list the records of release ${release}`, (o) =>
      this.core.listNamespacedSecret({ namespace, labelSelector: `owner=helm,name=${release}` }, o),
    )
    return helmRecordsOf(list.items)
  }

  async deleteNamespace(namespace: string): Promise<void> {
    await this.call(
      `delete namespace ${namespace}`,
      (o) => this.core.deleteNamespace({ name: namespace }, o),
      {
        once: true,
      },
    )
  }

  async whoAmI(probe: KindProbe | undefined): Promise<string | undefined> {
    try {
      const review = await this.call('create a SelfSubjectReview', (o) =>
        this.authn.createSelfSubjectReview(
          { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } },
          o,
        ),
      )
      const name = review.status?.userInfo?.username
      if (name !== undefined) return name
    } catch {
      // Kubernetes before 1.28 has no SelfSubjectReview: a refused read names the user instead.
    }
    if (probe === undefined) return undefined
    try {
      await this.discovery.list(probe.apiVersion, probe.kind, probe.namespace)
      return undefined
    } catch (error) {
      // Kubernetes' Forbidden message: `deployments.apps is forbidden: User "x" cannot list resource ...`.
      return userInForbidden(toKubeError('list', error).message)
    }
  }

  async readLabels(object: ObjectRef): Promise<ObjectLabels | undefined> {
    try {
      const { metadata } = await this.objects.read(objectSpec(object))
      return objectLabels(metadata)
    } catch (error) {
      const failure = toKubeError(`read ${object.kind} ${object.name}`, error)
      if (failure instanceof KubeApiError && failure.status === 404) return undefined
      throw failure
    }
  }

  async patchLabels(object: ObjectRef, change: ObjectLabels): Promise<void> {
    const patch = { ...objectSpec(object), metadata: { ...objectSpec(object).metadata, ...change } }
    await this.objects
      .patch(patch, undefined, undefined, 'eks-deploy-action', undefined, this.k8s.PatchStrategy.MergePatch)
      .catch((error: unknown) => {
        throw toKubeError(`patch ${object.kind} ${object.name}`, error)
      })
  }
}

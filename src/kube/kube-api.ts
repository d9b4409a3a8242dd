import type { FieldApi } from './field-api.js'
import type { ObjectRef } from './object-ref.js'
import type { KubeEvent, NamespaceSnapshot } from './kube-objects.js'

/** One question to the API server: may the deploying identity do this? (SelfSubjectAccessReview) */
export interface AccessQuestion {
  readonly verb: string
  /** API group ('' for the core group). */
  readonly group: string
  /** The resource's plural name (deployments, secrets). */
  readonly resource: string
  /** Undefined for a cluster-scoped resource (namespaces). */
  readonly namespace: string | undefined
}

export interface AccessAnswer extends AccessQuestion {
  readonly isAllowed: boolean
  /** The authorizer's reason, when it gave one. */
  readonly reason: string | undefined
}

/** A kind to list in a namespace, to learn the user's name from the server's refusal. */
export interface KindProbe {
  readonly apiVersion: string
  readonly kind: string
  readonly namespace: string | undefined
}

/** A kind's place in the API, from discovery. */
export interface ApiResource {
  readonly group: string
  readonly resource: string
  readonly isNamespaced: boolean
}

export type { ObjectRef } from './object-ref.js'

/** An object as listed: what tells who made it. */
export interface LiveObject {
  readonly kind: string
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
  /** A Secret's type (`helm.sh/release.v1`, `kubernetes.io/service-account-token`). */
  readonly type?: string
  /** Whether another object owns it (a ReplicaSet's Pods): the garbage collector removes it with its owner. */
  readonly isOwned: boolean
}

/** An object's labels and annotations. */
export interface ObjectLabels {
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
  /** The field managers of metadata.managedFields, as read (`kubectl-client-side-apply`, `helm`). */
  readonly managers?: readonly string[]
}

/**
 * What the deploy phase asks of the Kubernetes API, as the deploying identity (the kubeconfig helm
 * uses). The real one is @kubernetes/client-node (kube-client.ts); tests give a fake or the lab.
 */
export interface KubeApi {
  /** `progressive`: also Argo Rollouts and Flagger Canaries (none when their CRD is not installed). */
  snapshot(namespace: string, options?: { readonly isProgressive?: boolean }): Promise<NamespaceSnapshot>
  events(namespace: string): Promise<readonly KubeEvent[]>
  /** The last lines of a container's log; `previous`: the container's last run before a restart. */
  podLog(
    namespace: string,
    pod: string,
    options: { readonly container: string; readonly tailLines: number; readonly previous: boolean },
  ): Promise<string>
  /** One review per question; the client keeps each answer, so a question asked again is not sent again. */
  reviewAccess(questions: readonly AccessQuestion[]): Promise<readonly AccessAnswer[]>
  /** Where a kind lives in the API (discovery); undefined when the cluster does not serve it. */
  findResource(apiVersion: string, kind: string): Promise<ApiResource | undefined>
  namespaceExists(namespace: string): Promise<boolean>
  /**
   * The Kubernetes user name of the identity, when the server can tell: SelfSubjectReview (1.28+), else
   * the Forbidden message of a list it may not make (`probe`).
   */
  whoAmI(probe: KindProbe | undefined): Promise<string | undefined>
  /** An object's labels and annotations as they are in the cluster; undefined when it does not exist. */
  readLabels(object: ObjectRef): Promise<ObjectLabels | undefined>
  /** Adds (or changes) labels and annotations with a JSON merge patch (RFC 7386): nothing else changes. */
  patchLabels(object: ObjectRef, change: ObjectLabels): Promise<void>
  /** Who owns which field (the field ownership pre-flight); absent where a test does not need it. */
  readonly fields?: FieldApi
  /**
   * A release's records in helm's default storage (Secrets labelled owner=helm, name=<release>), as
   * stored: read by the deploy itself instead of a `helm history` process. Absent in test fakes.
   */
  readHelmRecords?(namespace: string, release: string): Promise<readonly HelmRecord[]>
}

/** One revision of a release in helm's Secret storage: its labels, and the encoded release (gzip, base64). */
export interface HelmRecord {
  readonly labels: Readonly<Record<string, string>>
  readonly release: string
}

/** What a preview teardown asks of the API after helm uninstall: the release's namespace, gone. */
export interface NamespaceApi {
  namespaceExists(namespace: string): Promise<boolean>
  /** The objects of one kind in a namespace, as far as a teardown needs them (an empty list: none). */
  listObjects(apiVersion: string, kind: string, namespace: string): Promise<readonly LiveObject[]>
  /** Starts the deletion (the namespace controller then removes what it holds, and it). */
  deleteNamespace(namespace: string): Promise<void>
}

/** A coordination.k8s.io/v1 Lease as the release lock reads and writes it. */
export interface LeaseRecord {
  readonly name: string
  readonly namespace: string
  /** Empty or undefined: nobody holds it. */
  readonly holder: string | undefined
  readonly durationSeconds: number
  readonly transitions: number
  readonly annotations: Readonly<Record<string, string>>
  /** Changes with every write: a holder that renews changes it. */
  readonly resourceVersion: string
}

/** What is written: the holder (none to release it), how long it holds without renewing, its annotations. */
export interface LeaseWrite {
  readonly name: string
  readonly namespace: string
  readonly holder: string | undefined
  readonly durationSeconds: number
  readonly transitions: number
  readonly annotations: Readonly<Record<string, string>>
  /** The time written as acquireTime (a new holder) and renewTime; the Runtime's clock, ms. */
  readonly nowMs: number
  readonly isNewHolder: boolean
}

/**
 * Leases (coordination.k8s.io/v1), the release lock's object. A write with a stale resourceVersion is
 * refused with HTTP 409 (another writer came first), as is a create of a Lease that exists.
 */
export interface LeaseApi {
  /** Undefined when there is none (HTTP 404: the Lease, or its namespace, does not exist). */
  readLease(namespace: string, name: string): Promise<LeaseRecord | undefined>
  createLease(lease: LeaseWrite): Promise<LeaseRecord>
  /** Replaces the Lease read at `resourceVersion`, only if nobody wrote it since. */
  replaceLease(lease: LeaseWrite, resourceVersion: string): Promise<LeaseRecord>
}

/** An error the API server answered (HTTP status and its Status reason and message). */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message)
    this.name = 'KubeApiError'
  }
}

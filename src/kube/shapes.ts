import type {
  AccessAnswer,
  AccessQuestion,
  LeaseRecord,
  LeaseWrite,
  LiveObject,
  ObjectLabels,
} from './kube-api.js'

// What the two clients (client-node's, rest/'s) send and read alike: request bodies and how answers
// become the port's types. Plain JSON shapes, no client types.

/** A SelfSubjectAccessReview of `question`. */
export function accessReviewBody(question: AccessQuestion): Record<string, unknown> {
  const { verb, group, resource, namespace } = question
  return {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: {
      resourceAttributes: { verb, group, resource, ...(namespace === undefined ? {} : { namespace }) },
    },
  }
}

export function accessAnswer(
  question: AccessQuestion,
  review: { readonly status?: { readonly allowed?: boolean; readonly reason?: string } },
): AccessAnswer {
  return { ...question, isAllowed: review.status?.allowed === true, reason: review.status?.reason }
}

/** Answers by question: a deploy may ask ahead (its pre-flight's likely questions) and again later. */
export class ReviewCache {
  private readonly reviews = new Map<string, Promise<AccessAnswer>>()

  ask(
    questions: readonly AccessQuestion[],
    review: (question: AccessQuestion) => Promise<AccessAnswer>,
  ): Promise<readonly AccessAnswer[]> {
    return Promise.all(
      questions.map((question) => {
        const key = `${question.verb} ${question.group} ${question.resource} ${question.namespace ?? ''}`
        const asked = this.reviews.get(key) ?? review(question)
        this.reviews.set(key, asked)
        // A review that failed is asked again next time.
        asked.catch(() => this.reviews.delete(key))
        return asked
      }),
    )
  }
}

/** The user Kubernetes names in a Forbidden message: `deployments.apps is forbidden: User "x" cannot list ...`. */
export function userInForbidden(message: string): string | undefined {
  return /User \\?"([^"\\]*)/.exec(message)?.[1]
}

interface Metadata {
  readonly name?: string
  readonly namespace?: string
  readonly labels?: Readonly<Record<string, string>>
  readonly annotations?: Readonly<Record<string, string>>
  readonly ownerReferences?: readonly unknown[]
  readonly managedFields?: readonly { readonly manager?: string }[]
  readonly resourceVersion?: string
}

/** An item of a list of any kind, as NamespaceApi.listObjects gives it. */
export function liveObject(
  kind: string,
  item: { readonly metadata?: Metadata; readonly type?: string },
): LiveObject {
  return {
    kind,
    name: item.metadata?.name ?? '',
    labels: item.metadata?.labels ?? {},
    annotations: item.metadata?.annotations ?? {},
    ...(item.type === undefined ? {} : { type: item.type }),
    isOwned: (item.metadata?.ownerReferences ?? []).length > 0,
  }
}

export function objectLabels(metadata: Metadata | undefined): ObjectLabels {
  const managers = (metadata?.managedFields ?? []).flatMap((field) => field.manager ?? [])
  return { labels: metadata?.labels ?? {}, annotations: metadata?.annotations ?? {}, managers }
}

/** A Lease to create or replace; `now` is the MicroTime as the client serializes it. */
export function leaseBody(
  lease: LeaseWrite,
  now: unknown,
  resourceVersion?: string,
): Record<string, unknown> {
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

export function leaseRecord(lease: {
  readonly metadata?: Metadata
  readonly spec?: {
    readonly holderIdentity?: string
    readonly leaseDurationSeconds?: number
    readonly leaseTransitions?: number
  }
}): LeaseRecord {
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

/** Helm's release records among a list of Secrets (helm's label selector also matches others' Secrets). */
export function helmRecordsOf(
  secrets: readonly {
    readonly type?: string
    readonly metadata?: Metadata
    readonly data?: Readonly<Record<string, string>>
  }[],
): { labels: Readonly<Record<string, string>>; release: string }[] {
  return secrets.flatMap((secret) => {
    const data = secret.data?.release
    if (secret.type !== 'helm.sh/release.v1' || data === undefined) return []
    return [{ labels: secret.metadata?.labels ?? {}, release: Buffer.from(data, 'base64').toString() }]
  })
}

/**
 * The parts of Kubernetes API objects the rollout watch reads, as plain structural types: the API's JSON
 * (recorded fixtures) and @kubernetes/client-node's deserialized objects (Dates for timestamps) both fit.
 * https://kubernetes.io/docs/reference/kubernetes-api/
 */
export type Timestamp = string | Date

interface ObjectMeta {
  readonly name?: string
  readonly namespace?: string
  readonly uid?: string
  readonly generation?: number
  readonly labels?: Readonly<Record<string, string>>
  readonly annotations?: Readonly<Record<string, string>>
  readonly ownerReferences?: readonly {
    readonly kind?: string
    readonly name?: string
    readonly uid?: string
  }[]
  readonly creationTimestamp?: Timestamp
}

interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>
}

interface ContainerState {
  readonly waiting?: { readonly reason?: string; readonly message?: string }
  readonly running?: { readonly startedAt?: Timestamp }
  readonly terminated?: {
    readonly reason?: string
    readonly message?: string
    readonly exitCode?: number
    readonly finishedAt?: Timestamp
  }
}

export interface ContainerStatus {
  readonly name: string
  readonly image?: string
  readonly ready?: boolean
  readonly restartCount?: number
  readonly state?: ContainerState
  readonly lastState?: ContainerState
}

interface Condition {
  readonly type: string
  readonly status: string
  readonly reason?: string
  readonly message?: string
  readonly lastTransitionTime?: Timestamp
}

export interface Pod {
  readonly metadata?: ObjectMeta
  readonly spec?: {
    readonly containers?: readonly { readonly name: string; readonly image?: string }[]
    readonly initContainers?: readonly { readonly name: string; readonly image?: string }[]
  }
  readonly status?: {
    readonly phase?: string
    readonly reason?: string
    readonly message?: string
    readonly conditions?: readonly Condition[]
    readonly containerStatuses?: readonly ContainerStatus[]
    readonly initContainerStatuses?: readonly ContainerStatus[]
  }
}

/** Deployment, StatefulSet, DaemonSet, ReplicaSet and Job: what their specs and statuses share. */
export interface Workload {
  readonly metadata?: ObjectMeta
  readonly spec?: {
    readonly replicas?: number
    readonly selector?: LabelSelector
    readonly completions?: number
    readonly backoffLimit?: number
    readonly template?: { readonly metadata?: ObjectMeta }
  }
  readonly status?: {
    readonly observedGeneration?: number
    readonly replicas?: number
    readonly readyReplicas?: number
    readonly updatedReplicas?: number
    readonly availableReplicas?: number
    readonly currentRevision?: string
    readonly updateRevision?: string
    readonly desiredNumberScheduled?: number
    readonly numberReady?: number
    readonly updatedNumberScheduled?: number
    readonly succeeded?: number
    readonly failed?: number
    readonly active?: number
    readonly conditions?: readonly Condition[]
  }
}

export interface KubeEvent {
  readonly metadata?: ObjectMeta
  readonly involvedObject?: { readonly kind?: string; readonly name?: string; readonly namespace?: string }
  readonly reason?: string
  readonly message?: string
  readonly type?: string
  readonly count?: number
  readonly lastTimestamp?: Timestamp | null
  readonly eventTime?: Timestamp | null
  readonly firstTimestamp?: Timestamp | null
  readonly source?: { readonly component?: string }
}

/** Milliseconds since the epoch of an API timestamp; undefined when absent or unreadable. */
export function timeOf(value: Timestamp | null | undefined): number | undefined {
  if (value === undefined || value === null) return undefined
  const ms = value instanceof Date ? value.getTime() : Date.parse(value)
  return Number.isNaN(ms) ? undefined : ms
}

/**
 * An Argo Rollout (argoproj.io/v1alpha1) or a Flagger Canary (flagger.app/v1beta1): the fields the watch
 * reads. https://argo-rollouts.readthedocs.io/en/stable/features/specification/ https://docs.flagger.app/
 */
export interface ProgressiveObject {
  readonly metadata?: ObjectMeta
  readonly spec?: {
    readonly replicas?: number
    readonly strategy?: { readonly canary?: { readonly steps?: readonly unknown[] } }
  }
  readonly status?: {
    /** Rollout: Healthy, Progressing, Paused, Degraded; Canary: Initialized, Progressing, Succeeded, Failed, ... */
    readonly phase?: string
    /** The generation the controller last saw: a string in Argo Rollouts, a number in Flagger. */
    readonly observedGeneration?: string | number
    readonly message?: string
    /** Rollout: aborted (by a failed analysis or `kubectl argo rollouts abort`). */
    readonly abort?: boolean
    readonly currentPodHash?: string
    readonly currentStepIndex?: number
    readonly pauseConditions?: readonly { readonly reason?: string }[]
    readonly canary?: { readonly weights?: { readonly canary?: { readonly weight?: number } } }
    readonly readyReplicas?: number
    readonly updatedReplicas?: number
    /** Canary: the weight routed to the canary, and the failed checks of its analysis. */
    readonly canaryWeight?: number
    readonly failedChecks?: number
    readonly conditions?: readonly Condition[]
  }
}

/** What one poll of the namespace returned. */
export interface NamespaceSnapshot {
  readonly deployments: readonly Workload[]
  readonly statefulSets: readonly Workload[]
  readonly daemonSets: readonly Workload[]
  readonly jobs: readonly Workload[]
  readonly replicaSets: readonly Workload[]
  readonly pods: readonly Pod[]
  /** Listed only when the release renders them (an API call each, and the CRD may be absent). */
  readonly rollouts?: readonly ProgressiveObject[]
  readonly canaries?: readonly ProgressiveObject[]
}

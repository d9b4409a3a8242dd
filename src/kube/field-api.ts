/** One entry of metadata.managedFields: a manager, how it wrote (Apply or Update), when, and which fields. */
export interface ManagedFieldsEntry {
  readonly manager: string
  /** `Apply` (server-side apply) or `Update` (any other write: kubectl edit, set, patch, a controller). */
  readonly operation: string
  readonly apiVersion: string
  /** When the manager last changed its fields (RFC 3339); undefined when the server did not say. */
  readonly time: string | undefined
  /** The FieldsV1 set: `f:spec: {f:replicas: {}}`. */
  readonly fieldsV1: unknown
}

/** An object as it is in the cluster, with who wrote which field. */
export interface LiveFields {
  /** The object without metadata.managedFields. */
  readonly object: Readonly<Record<string, unknown>>
  readonly managedFields: readonly ManagedFieldsEntry[]
}

/** One field a server-side apply would take from another manager (a cause of the API server's 409). */
export interface ApplyConflict {
  /** As the API server writes it: `.spec.template.spec.containers[name="app"].image`. */
  readonly field: string
  readonly manager: string
}

/** A HorizontalPodAutoscaler (KEDA makes one too) and the object whose replicas it sets. */
export interface Autoscaler {
  readonly name: string
  readonly targetKind: string
  readonly targetName: string
}

/**
 * Who owns which field of the release's objects (server-side apply, Kubernetes 1.18+): what the field
 * ownership pre-flight asks. The real one is field-client.ts; tests give recorded answers.
 */
export interface FieldApi {
  /** The objects of one kind in a namespace, by name, with their managedFields (one list request). */
  listLive(apiVersion: string, kind: string, namespace: string): Promise<ReadonlyMap<string, LiveFields>>
  /**
   * A server-side apply of `body` as `fieldManager` with dryRun=All and force=false: nothing is
   * written; the fields another manager owns come back (HTTP 409), else none.
   */
  applyDryRun(
    body: Readonly<Record<string, unknown>>,
    fieldManager: string,
  ): Promise<readonly ApplyConflict[]>
  /** The namespace's HorizontalPodAutoscalers (autoscaling/v1, which every version serves). */
  listAutoscalers(namespace: string): Promise<readonly Autoscaler[]>
}

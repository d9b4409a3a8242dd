import type { FieldConflicts } from '../../../inputs/types.js'
import type { ActionError } from '../../../lib/errors.js'

/** The object a row is about. */
export interface FieldObject {
  readonly kind: string
  readonly name: string
  readonly namespace: string
}

/** A field the release would set that another manager owns: a row of the conflict table. */
export interface FieldConflict extends FieldObject {
  /** As the API server writes it: `.spec.template.spec.containers[name="app"].image`. */
  readonly field: string
  /** The field manager that owns it now (`kubectl-edit`, `kube-controller-manager`). */
  readonly manager: string
  /** `Update` or `Apply`; '' when the server recorded none. */
  readonly operation: string
  /** When that manager last wrote (managedFields' time); '' when unknown. */
  readonly since: string
  /** The HorizontalPodAutoscaler (or autoscaler manager) that sets this replicas field; undefined otherwise. */
  readonly autoscaler: string | undefined
}

/** A field of the release's objects that is not what the last revision applied, or that another manager added. */
export interface FieldDrift extends FieldObject {
  readonly field: string
  readonly change: 'changed' | 'added'
  /** Who wrote it ('' when the server recorded no manager: `kubectl scale` through the scale subresource). */
  readonly manager: string
  readonly operation: string
  readonly since: string
  /** The last revision's value and the live one: for replicas and images only, never another value. */
  readonly applied?: string
  readonly live?: string
}

/** What the deploy does about the conflicts. */
export type FieldDecision =
  | { readonly kind: 'none' }
  /** Helm 3 applies client-side: the table is information. */
  | { readonly kind: 'report' }
  /** helm gets --force-conflicts: these fields become helm's. */
  | {
      readonly kind: 'take-over'
      readonly taken: readonly FieldConflict[]
      /** `auto`: `.spec.replicas` an autoscaler sets; the chart's value is dropped (a post-renderer). */
      readonly dropped?: readonly FieldConflict[]
    }
  | { readonly kind: 'refuse'; readonly error: ActionError }

/** The field ownership pre-flight's findings (the job summary, the log and output drift). */
export interface FieldReport {
  readonly mode: FieldConflicts
  readonly helmMajor: number
  /** How many objects were checked. */
  readonly checked: number
  readonly conflicts: readonly FieldConflict[]
  readonly drift: readonly FieldDrift[]
  readonly decision: FieldDecision
  /** Objects that could not be checked, and why (the deploy goes on). */
  readonly problems: readonly string[]
  /** A dry run: nothing is taken over, it would be. */
  readonly isDryRun?: boolean
}

import type { ApplyConflict, Autoscaler, LiveFields } from '../../../kube/field-api.js'
import { FieldOwners } from './field-paths.js'
import type { FieldConflict, FieldObject } from './types.js'

/** The field managers autoscalers write replicas as: the HPA controller (in kube-controller-manager), KEDA. */
const AUTOSCALER_MANAGER = /^(kube-controller-manager|horizontal-pod-autoscaler|keda.*|.*autoscaler.*)$/i

/**
 * The conflict table's rows of one object: the dry-run apply's conflicts with the manager's operation
 * and time from managedFields (helm's own earlier writes are no conflict); and, when an autoscaler
 * targets the object and the chart sets other replicas than it did, a row the server may not report
 * (an HPA scaling through the scale subresource records no manager on older clusters). Pure.
 */
export function conflictRows(
  object: FieldObject,
  found: {
    readonly conflicts: readonly ApplyConflict[]
    readonly live: LiveFields | undefined
    readonly autoscalers: readonly Autoscaler[]
    /** The chart's replicas for the object; undefined when it sets none. */
    readonly replicas: unknown
  },
  helmManager: string,
): FieldConflict[] {
  const owners = new FieldOwners(found.live?.managedFields ?? [])
  const hpa = found.autoscalers.find((a) => a.targetKind === object.kind && a.targetName === object.name)
  const rows: FieldConflict[] = found.conflicts
    .filter((conflict) => conflict.manager !== helmManager)
    .map((conflict) => {
      const owner = owners.of(conflict.field).find((o) => o.manager === conflict.manager)
      const isReplicas = conflict.field === '.spec.replicas'
      const autoscaler =
        isReplicas && hpa !== undefined
          ? `HorizontalPodAutoscaler ${hpa.name}`
          : isReplicas && AUTOSCALER_MANAGER.test(conflict.manager)
            ? conflict.manager
            : undefined
      return {
        ...object,
        field: conflict.field,
        manager: conflict.manager,
        operation: owner?.operation ?? '',
        since: owner?.since ?? '',
        autoscaler,
      }
    })
  const liveReplicas = (found.live?.object.spec as { replicas?: unknown } | undefined)?.replicas
  const isUnreported =
    hpa !== undefined &&
    found.replicas !== undefined &&
    liveReplicas !== undefined &&
    JSON.stringify(found.replicas) !== JSON.stringify(liveReplicas) &&
    !rows.some((row) => row.field === '.spec.replicas')
  if (isUnreported)
    rows.push({
      ...object,
      field: '.spec.replicas',
      manager: '',
      operation: '',
      since: '',
      autoscaler: `HorizontalPodAutoscaler ${hpa.name}`,
    })
  return rows
}

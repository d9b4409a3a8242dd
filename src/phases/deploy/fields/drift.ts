import { isObject } from '../../../helm/result.js'
import type { LiveFields } from '../../../kube/field-api.js'
import { FieldOwners, ownedPaths, type FieldOwner } from './field-paths.js'
import type { FieldDrift, FieldObject } from './types.js'

/** Managers that write fields nobody set by hand: helm itself and the control plane's own controllers. */
const SYSTEM_MANAGER = /^(helm|kube-controller-manager|kube-scheduler|kubelet|kube-apiserver)$/

/** The parts of an object a user sets; the rest (status, the object's name, server fields) is no drift. */
const COMPARED =
  /^\.(spec|data|binaryData|stringData|rules|subjects|roleRef|metadata\.(labels|annotations))(\.|\[|$)/

/** kubectl apply's own record of what it applied: bookkeeping, no change of the object. */
const NOT_DRIFT = /^\.metadata\.annotations\.kubectl\.kubernetes\.io\/last-applied-configuration$/

/** Values the drift report may show: a count and an image reference, never anything a user supplied. */
const SHOWN = /\.(replicas|image)$/

interface Leaf {
  readonly path: string
  readonly applied: unknown
  readonly live: unknown
}

/**
 * What changed outside helm in one object since the last revision: the applied manifest's fields whose
 * live value differs, and fields managers other than helm and the control plane added. Pure.
 */
export function driftOf(
  object: FieldObject,
  applied: Readonly<Record<string, unknown>>,
  live: LiveFields,
): FieldDrift[] {
  const owners = new FieldOwners(live.managedFields)
  const changed = differences(applied, live.object, '').filter((leaf) => COMPARED.test(leaf.path))
  const rows: FieldDrift[] = changed.map((leaf) => {
    const pathOwners = owners.of(leaf.path)
    // A controller that changed a field the release sets (an HPA's replicas) is named too.
    const owner = byHand(pathOwners) ?? pathOwners.find((o) => o.manager !== 'helm')
    return {
      ...object,
      field: leaf.path,
      change: 'changed',
      ...ownerFields(owner),
      ...(SHOWN.test(leaf.path) ? { applied: shown(leaf.applied), live: shown(leaf.live) } : {}),
    }
  })
  const appliedPaths = leaves(applied, '')
  const isApplied = (path: string) => appliedPaths.some((leaf) => leaf.startsWith(path))
  for (const [path, pathOwners] of owners.paths()) {
    const owner = byHand(pathOwners)
    if (owner === undefined || !COMPARED.test(path) || NOT_DRIFT.test(path) || isApplied(path)) continue
    if (rows.some((row) => row.field === path || path.startsWith(row.field))) continue
    rows.push({ ...object, field: path, change: 'added', ...ownerFields(owner) })
  }
  return rows
}

/**
 * Whether a manager other than helm owns a field a user sets (an HPA's replicas too): the objects a
 * dry-run apply can find conflicts in. The control plane's own fields (status, the Deployment's
 * revision annotation) do not count.
 */
export function hasOtherManagers(live: LiveFields): boolean {
  return live.managedFields.some(
    (entry) =>
      entry.manager !== 'helm' &&
      ownedPaths(entry.fieldsV1).some((path) => COMPARED.test(path) && !CONTROL_PLANE_FIELD.test(path)),
  )
}

/** Fields the control plane writes on objects it watches: no conflict with a chart. */
const CONTROL_PLANE_FIELD =
  /^\.metadata\.annotations\.(deployment\.kubernetes\.io\/revision|kubectl\.kubernetes\.io\/last-applied-configuration)$/

/** The owner who is not helm nor the control plane, if any. */
function byHand(owners: readonly FieldOwner[]): FieldOwner | undefined {
  return owners.find((owner) => !SYSTEM_MANAGER.test(owner.manager))
}

function ownerFields(owner: FieldOwner | undefined): Pick<FieldDrift, 'manager' | 'operation' | 'since'> {
  return { manager: owner?.manager ?? '', operation: owner?.operation ?? '', since: owner?.since ?? '' }
}

function shown(value: unknown): string {
  if (value === undefined) return ''
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** A list element's step: by its name, as the API server keys containers, volumes, env; else its index. */
function elementStep(element: unknown, index: number): string {
  return isObject(element) && typeof element.name === 'string'
    ? `[name=${JSON.stringify(element.name)}]`
    : `[${index}]`
}

function findElement(list: readonly unknown[], element: unknown, index: number): unknown {
  if (isObject(element) && typeof element.name === 'string')
    return list.find((other) => isObject(other) && other.name === element.name)
  return list[index]
}

/** The leaves of the applied object whose live value differs (numbers and strings compared as text). */
function differences(applied: unknown, live: unknown, path: string): Leaf[] {
  if (isObject(applied)) {
    const other = isObject(live) ? live : {}
    return Object.entries(applied).flatMap(([key, value]) => differences(value, other[key], `${path}.${key}`))
  }
  if (Array.isArray(applied)) {
    const other = Array.isArray(live) ? (live as unknown[]) : []
    if (applied.every((element) => !isObject(element)))
      return JSON.stringify(applied) === JSON.stringify(other) ? [] : [{ path, applied, live }]
    return applied.flatMap((element: unknown, index) =>
      differences(element, findElement(other, element, index), `${path}${elementStep(element, index)}`),
    )
  }
  if (applied === null || applied === undefined) return []
  // The API server leaves a zero value out (omitempty): `paused: false` reads back as no field.
  if (live === undefined && (applied === false || applied === 0 || applied === '')) return []
  return shown(applied) === shown(live) ? [] : [{ path, applied, live }]
}

function leaves(value: unknown, path: string): string[] {
  if (isObject(value)) return Object.entries(value).flatMap(([key, child]) => leaves(child, `${path}.${key}`))
  if (Array.isArray(value) && value.some(isObject))
    return value.flatMap((element: unknown, index) => [
      `${path}${elementStep(element, index)}`,
      ...leaves(element, `${path}${elementStep(element, index)}`),
    ])
  return [path]
}

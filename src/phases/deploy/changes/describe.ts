import {
  hasKeyChanges,
  type ChangeKind,
  type ChangeSet,
  type KeyChanges,
  type ObjectChange,
} from './types.js'

const CHANGE_SIGNS: Readonly<Record<ChangeKind, string>> = { added: '+', changed: '~', removed: '-' }

/** `apiKey changed; token added` (names only), or '' when nothing changes. */
export function describeKeys(keys: KeyChanges, quote: (name: string) => string = (name) => name): string {
  return (['changed', 'added', 'removed'] as const)
    .filter((how) => keys[how].length > 0)
    .map((how) => `${keys[how].map(quote).join(', ')} ${how}`)
    .join('; ')
}

/** `~ Secret demo-secret (namespace shop): changed; keys: apiKey changed` */
export function describeObject(change: ObjectChange): string {
  const where = change.namespace === '' ? '' : ` (namespace ${change.namespace})`
  const keys =
    change.secretKeys !== undefined && hasKeyChanges(change.secretKeys)
      ? `; keys: ${describeKeys(change.secretKeys)} (values are never shown)`
      : ''
  return `${CHANGE_SIGNS[change.change]} ${change.kind} ${change.name}${where}: ${change.change}${keys}`
}

/** `3 objects would change (1 added, 2 changed, 0 removed), 4 unchanged.` */
export function describeTotals(changes: ChangeSet): string {
  const count = (how: ChangeKind): number => changes.objects.filter((object) => object.change === how).length
  const { length } = changes.objects
  if (length === 0) return `No object would change (${changes.unchanged} unchanged).`
  return `${length} object${length === 1 ? '' : 's'} would change (${count('added')} added, ${count('changed')} changed, ${count('removed')} removed), ${changes.unchanged} unchanged.`
}

/** The values line: paths only. */
export function describeValues(changes: ChangeSet, quote?: (name: string) => string): string {
  const keys = describeKeys(changes.values, quote)
  return `Values (user-supplied; paths only, values are never shown): ${keys === '' ? 'no change' : keys}.`
}

/** What a dry run found would change, object by object: the data of `changes`, the log and the summary. */

export type ChangeKind = 'added' | 'changed' | 'removed'

/** Names only: value paths, or a Secret's keys. Never a value. */
export interface KeyChanges {
  readonly added: readonly string[]
  readonly changed: readonly string[]
  readonly removed: readonly string[]
}

export interface ObjectChange {
  readonly kind: string
  readonly name: string
  /** '' for a cluster-scoped object. */
  readonly namespace: string
  readonly change: ChangeKind
  /**
   * A unified diff of the object as YAML, server-set fields left out, user-supplied values as
   * fingerprints; a Secret's without its data. With dry-run-diff: keys-only, `+ path` / `~ path` /
   * `- path` lines instead.
   */
  readonly diff: readonly string[]
  /** A Secret's keys whose values would be added, changed or removed; undefined for other kinds. */
  readonly secretKeys: KeyChanges | undefined
}

export interface ChangeSet {
  /** The objects that would change, by kind, namespace and name. */
  readonly objects: readonly ObjectChange[]
  /** How many objects would stay as they are. */
  readonly unchanged: number
  /** The user-supplied values (`helm get values`) whose paths would be added, changed or removed. */
  readonly values: KeyChanges
}

export const hasKeyChanges = (keys: KeyChanges): boolean =>
  keys.added.length + keys.changed.length + keys.removed.length > 0

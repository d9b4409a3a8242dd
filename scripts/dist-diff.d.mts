export interface DistDifference {
  /** In the fresh bundle, not in dist/. */
  readonly added: readonly string[]
  /** In dist/, not in the fresh bundle. */
  readonly removed: readonly string[]
  readonly changed: readonly string[]
}

/** What differs between `committed` (dist/) and `fresh` (a new bundle): file names relative to them. */
export function compareDirectories(committed: string, fresh: string): DistDifference

/** A unified diff when it is short and its lines are, else where the two first differ, with context. */
export function describeChange(name: string, before: Buffer, after: Buffer): string[]

/** The report lines for `compareDirectories`'s answer; empty when nothing differs. */
export function renderDifference(
  difference: DistDifference,
  committed: string,
  fresh: string,
  label?: string,
): string[]

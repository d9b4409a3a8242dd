import { createHmac, randomBytes } from 'node:crypto'
import { structuredPatch } from 'diff'
import { objectKey, parseManifest, type Fingerprint, type ManifestObject } from './objects.js'
import { secretRedactor } from './supplied.js'
import { hasKeyChanges, type KeyChanges, type ObjectChange } from './types.js'

const DIFF_CONTEXT_LINES = 3

/**
 * Fingerprints under a key made for one comparison and never kept: equal values compare equal, and
 * nothing printed or stored could be checked against a guessed value.
 */
function makeFingerprint(): Fingerprint {
  const key = randomBytes(32)
  return (value) => createHmac('sha256', key).update(value).digest('base64')
}

/** A unified diff (hunk headers and lines) from one YAML text to another; empty when they are equal. */
export function unifiedDiff(before: string, after: string): string[] {
  const patch = structuredPatch('deployed', 'rendered', before, after, '', '', {
    context: DIFF_CONTEXT_LINES,
  })
  return patch.hunks.flatMap((hunk) => [
    `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`,
    ...hunk.lines,
  ])
}

/** The keys of two maps that are only in the second, in both with different values, only in the first. */
export function compareKeys(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): KeyChanges {
  const sorted = (keys: Iterable<string>): string[] => [...keys].sort()
  return {
    added: sorted([...after.keys()].filter((key) => !before.has(key))),
    changed: sorted([...after.keys()].filter((key) => before.has(key) && before.get(key) !== after.get(key))),
    removed: sorted([...before.keys()].filter((key) => !after.has(key))),
  }
}

const NO_KEYS: ReadonlyMap<string, string> = new Map()

/** `+ spec.replicas` lines: the paths of the fields that change, no value. */
function keysDiff(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const keys = compareKeys(before, after)
  return [
    ...keys.added.map((key) => `+ ${key}`),
    ...keys.changed.map((key) => `~ ${key}`),
    ...keys.removed.map((key) => `- ${key}`),
  ].sort((a, b) => a.slice(2).localeCompare(b.slice(2)))
}

function describe(
  before: ManifestObject | undefined,
  after: ManifestObject | undefined,
  isKeysOnly: boolean,
): ObjectChange | undefined {
  const object = after ?? before
  if (object === undefined) return undefined
  const diff = isKeysOnly
    ? keysDiff(before?.fields ?? NO_KEYS, after?.fields ?? NO_KEYS)
    : unifiedDiff(before?.yaml ?? '', after?.yaml ?? '')
  const isSecret = before?.secretData !== undefined || after?.secretData !== undefined
  const secretKeys = isSecret
    ? compareKeys(before?.secretData ?? NO_KEYS, after?.secretData ?? NO_KEYS)
    : undefined
  const change = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed'
  if (change === 'changed' && diff.length === 0 && (secretKeys === undefined || !hasKeyChanges(secretKeys)))
    return undefined
  return { kind: object.kind, name: object.name, namespace: object.namespace, change, diff, secretKeys }
}

/**
 * The release as deployed (`helm get manifest`) against the server-side dry run's render, object by
 * object: added, changed (with its diff) or removed. Secrets are compared by fingerprints of their
 * values and reported by key; in every other object, the user-supplied `secrets` (and their encoded
 * forms) show as fingerprints; with `isKeysOnly`, a diff lists only the paths that change. A first install (nothing deployed) is all added. Pure but for the
 * random fingerprint key.
 */
export function compareManifests(
  deployed: string,
  rendered: string,
  namespace: string,
  secrets: readonly string[] = [],
  isKeysOnly = false,
): { readonly objects: ObjectChange[]; readonly unchanged: number } {
  const fingerprint = makeFingerprint()
  const redact = secretRedactor(secrets, fingerprint)
  const index = (manifest: string): Map<string, ManifestObject> =>
    new Map(
      parseManifest(manifest, namespace, fingerprint, redact).map((object) => [objectKey(object), object]),
    )
  const [before, after] = [index(deployed), index(rendered)]
  const keys = [...new Set([...before.keys(), ...after.keys()])]
  const objects = keys.flatMap((key) => describe(before.get(key), after.get(key), isKeysOnly) ?? [])
  objects.sort((a, b) =>
    `${a.kind}/${a.namespace}/${a.name}`.localeCompare(`${b.kind}/${b.namespace}/${b.name}`),
  )
  return { objects, unchanged: keys.length - objects.length }
}

import { createHash } from 'node:crypto'
import { isObject } from '../../../helm/result.js'
import { compareKeys } from './compare.js'
import type { KeyChanges } from './types.js'

/**
 * Leaf values by dotted path (`image.tag`), each as a digest of its JSON (so that 1 and "1" differ):
 * paths are compared, values never kept.
 */
export function flattenValues(value: unknown, prefix = ''): Map<string, string> {
  const flat = new Map<string, string>()
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) {
      for (const [path, leaf] of flattenValues(child, prefix === '' ? key : `${prefix}.${key}`))
        flat.set(path, leaf)
    }
  } else if (prefix !== '') {
    flat.set(prefix, createHash('sha256').update(JSON.stringify(value)).digest('base64'))
  }
  return flat
}

/** The user-supplied value paths the upgrade would add, change or remove: paths only, never a value. */
export function compareValues(deployed: unknown, rendered: unknown): KeyChanges {
  return compareKeys(flattenValues(deployed), flattenValues(rendered))
}

/**
 * The segments of a --set key as helm's strvals reads it: `a.b[0].c` → a, b, 0, c; `a\.b` is one
 * key `a.b`.
 */
export function keySegments(key: string): (string | number)[] {
  const segments: (string | number)[] = []
  for (const part of key.split(/(?<!\\)\./)) {
    const match = /^(.*?)((?:\[\d+\])*)$/.exec(part)
    const name = (match?.[1] ?? part).replace(/\\\./g, '.')
    if (name !== '') segments.push(name)
    for (const index of (match?.[2] ?? '').matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]))
  }
  return segments
}

/** The value at a --set key in a values tree, or undefined. */
export function valueAt(values: unknown, key: string): unknown {
  let current = values
  for (const segment of keySegments(key)) {
    if (typeof segment === 'number')
      current = Array.isArray(current) ? (current[segment] as unknown) : undefined
    else current = isObject(current) ? current[segment] : undefined
    if (current === undefined) return undefined
  }
  return current
}

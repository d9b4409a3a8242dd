import { isObject, text, type ReleaseState } from './result.js'

/** What `helm upgrade --dry-run=server --output json` renders. */
export interface DryRunRelease {
  readonly state: ReleaseState
  readonly values: unknown
  readonly manifest: string
}

export function parseDryRun(json: string): DryRunRelease {
  const parsed = JSON.parse(json) as unknown
  const release = isObject(parsed) ? parsed : {}
  const info = isObject(release.info) ? release.info : {}
  const chart = isObject(release.chart) && isObject(release.chart.metadata) ? release.chart.metadata : {}
  return {
    state: {
      revision: typeof release.version === 'number' ? release.version : 0,
      status: text(info.status),
      description: text(info.description),
      chartName: text(chart.name),
      chartVersion: text(chart.version),
      appVersion: text(chart.appVersion),
    },
    values: release.config ?? {},
    manifest: text(release.manifest),
  }
}

/** Leaf values by dotted path (`image.tag`), each as JSON so that 1 and "1" differ. */
export function flattenValues(value: unknown, prefix = ''): Map<string, string> {
  const flat = new Map<string, string>()
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) {
      for (const [path, leaf] of flattenValues(child, prefix === '' ? key : `${prefix}.${key}`))
        flat.set(path, leaf)
    }
  } else if (prefix !== '') {
    flat.set(prefix, JSON.stringify(value))
  }
  return flat
}

/** The user-supplied values that the upgrade would add (+), remove (-) or change (~). */
export function diffValues(before: unknown, after: unknown): string[] {
  const [old, next] = [flattenValues(before), flattenValues(after)]
  const lines: string[] = []
  for (const key of [...new Set([...old.keys(), ...next.keys()])].sort()) {
    const [a, b] = [old.get(key), next.get(key)]
    if (a === b) continue
    if (a === undefined) lines.push(`+ ${key}: ${b ?? ''}`)
    else if (b === undefined) lines.push(`- ${key}: ${a}`)
    else lines.push(`~ ${key}: ${a} -> ${b}`)
  }
  return lines
}

/**
 * The manifest's documents by kind/name. Secrets are left out on both sides: --hide-secret drops
 * them from the rendered manifest, and the deployed one must not be printed.
 */
export function splitManifest(manifest: string): Map<string, string> {
  const documents = new Map<string, string>()
  for (const document of manifest.split(/^---\s*$/m)) {
    const kind = /^kind:\s*(\S+)/m.exec(document)?.[1]
    const name = /^metadata:\s*\n(?:[ \t]+.*\n)*?[ \t]+name:\s*"?([^"\s]+)/m.exec(document)?.[1]
    if (kind === undefined || kind === 'Secret') continue
    documents.set(`${kind}/${name ?? '?'}`, document.trim())
  }
  return documents
}

/** A line diff (longest common subsequence): changed lines only, `-` old and `+` new. */
export function diffLines(before: readonly string[], after: readonly string[]): string[] {
  const [n, m] = [before.length, after.length]
  if (n * m > 4_000_000) return ['  (too large to compare line by line)']
  const lcs = new Uint32Array((n + 1) * (m + 1))
  const at = (i: number, j: number): number => lcs[i * (m + 1) + j] ?? 0
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i * (m + 1) + j] =
        before[i] === after[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1))
  const lines: string[] = []
  let [i, j] = [0, 0]
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) [i, j] = [i + 1, j + 1]
    else if (i < n && (j === m || at(i + 1, j) >= at(i, j + 1))) lines.push(`- ${before[i++] ?? ''}`)
    else lines.push(`+ ${after[j++] ?? ''}`)
  }
  return lines
}

/** Per resource: added, removed, or the lines that change. */
export function diffManifests(before: string, after: string): string[] {
  const [old, next] = [splitManifest(before), splitManifest(after)]
  const lines: string[] = []
  for (const key of [...new Set([...old.keys(), ...next.keys()])].sort()) {
    const [a, b] = [old.get(key), next.get(key)]
    if (a === b) continue
    if (a === undefined) lines.push(`+ ${key} (new)`)
    else if (b === undefined) lines.push(`- ${key} (removed)`)
    else lines.push(`~ ${key}`, ...diffLines(a.split('\n'), b.split('\n')).map((line) => `    ${line}`))
  }
  return lines
}

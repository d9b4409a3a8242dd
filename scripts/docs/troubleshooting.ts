import type { ErrorSite, InputCheck } from './error-catalog.js'
import { cell, table } from './markdown.js'
import type { Alternative } from './render-text.js'

// Where an error comes from, by source folder, in the order a run meets them.
const GROUPS: readonly (readonly [RegExp, string])[] = [
  [/^src\/inputs\//, 'Inputs'],
  [/^src\/action\//, 'Plan'],
  [/^src\/phases\/auth\//, 'Phase auth'],
  [/^src\/phases\/ecr\//, 'Phase ecr-login'],
  [/^src\/phases\/kubeconfig\//, 'Phase kubeconfig'],
  [/^src\/phases\/verify\//, 'Verifying the image (verify-image)'],
  // The attestations' bundles GitHub only links are fetched for verify-image.
  [/^src\/github\/attestation/, 'Verifying the image (verify-image)'],
  [/^src\/phases\/deploy\//, 'Phase deploy'],
  [/^src\/phases\/teardown\//, 'Phase deploy with uninstall: true'],
  // The floors serve several phases: their heading says which, not the folder's path.
  [/^src\/helm\//, 'Helm (phase deploy, with or without uninstall: true)'],
  [/^src\/kube\//, 'Kubernetes API (phase deploy, with or without uninstall: true)'],
  [/^src\/lib\//, 'Any phase'],
  [/^src\/eks-token\//, 'EKS token plugin'],
]

/** The catalog heading of an error thrown in `file`; a folder without one shows its path. */
export function groupOf(file: string): string {
  const normalized = file.split('\\').join('/')
  return (
    GROUPS.find(([pattern]) => pattern.test(normalized))?.[1] ?? normalized.split('/').slice(0, 2).join('/')
  )
}

/**
 * Hints that differ only in some lines (a value, or a closing sentence, chosen at run time) as one text:
 * the lines they share once, each line that differs as `[a|b]` around the words it shares, as the
 * messages show a wording that depends on the run. Undefined when their lines do not pair up or share
 * no line.
 */
export function mergeHints(texts: readonly string[]): string | undefined {
  const split = texts.map((text) => text.split('\n'))
  const [first] = split
  if (first === undefined || split.some((lines) => lines.length !== first.length)) return undefined
  // One-line hints that differ are alternatives to read apart, not one text.
  if (!first.some((line, i) => split.every((lines) => lines[i] === line))) return undefined
  return first.map((_line, i) => mergeLine(split.map((lines) => lines[i] ?? ''))).join('\n')
}

function mergeLine(variants: readonly string[]): string {
  const distinct = [...new Set(variants)]
  if (distinct.length === 1) return distinct[0] ?? ''
  const words = distinct.map((line) => line.split(' '))
  const shortest = Math.min(...words.map((w) => w.length))
  let head = 0
  while (head < shortest && words.every((w) => w[head] === words[0]?.[head])) head++
  let tail = 0
  while (
    tail < shortest - head &&
    words.every((w) => w[w.length - 1 - tail] === words[0]?.[words[0].length - 1 - tail])
  )
    tail++
  const middle = words.map((w) => w.slice(head, w.length - tail).join(' '))
  const shared = (from: number, to: number) => (words[0] ?? []).slice(from, to).join(' ')
  return [
    shared(0, head),
    `[${middle.join('|')}]`,
    shared((words[0]?.length ?? 0) - tail, words[0]?.length ?? 0),
  ]
    .filter((part) => part !== '')
    .join(' ')
}

function hintCell(hints: readonly Alternative[]): string {
  const [only] = hints
  if (only === undefined) return ''
  if (hints.length === 1 && only.when === undefined) return cell(only.text)
  const merged = hints.every((hint) => hint.when === undefined)
    ? mergeHints(hints.map((h) => h.text))
    : undefined
  if (merged !== undefined) return cell(merged)
  return hints
    .map((hint) => `${hint.when === undefined ? '–' : `**${cell(hint.when)}**:`} ${cell(hint.text)}`)
    .join('<br>')
}

/** One table per source group: every message the action can fail with, and what its hint says to do. */
export function renderErrorCatalog(sites: readonly ErrorSite[]): string {
  const groups = new Map<string, string[][]>()
  const order = GROUPS.map(([, name]) => name)
  for (const site of sites) {
    const name = groupOf(site.file)
    const rows = groups.get(name) ?? []
    const row = [cell(site.message), hintCell(site.hints)]
    if (!rows.some((existing) => existing.join('|') === row.join('|'))) rows.push(row)
    groups.set(name, rows)
  }
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length)
  return [...groups]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([name, rows]) => [`**${name}**`, '', table(['Message', 'What to do'], rows)].join('\n'))
    .join('\n\n')
}

/** The input checks, one row per input in action.yml's order, each problem on its own line. */
export function renderInputChecks(checks: readonly InputCheck[], inputOrder: readonly string[]): string {
  const byInput = new Map<string, string[]>()
  for (const check of checks) {
    const problems = byInput.get(check.input) ?? []
    if (!problems.includes(check.problem)) problems.push(check.problem)
    byInput.set(check.input, problems)
  }
  const rank = (input: string) => (inputOrder.includes(input) ? inputOrder.indexOf(input) : inputOrder.length)
  const rows = [...byInput]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([input, problems]) => [`\`${input}\``, problems.map(cell).join('<br>')])
  return table(['Input', 'Problem'], rows)
}

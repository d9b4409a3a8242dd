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
  [/^src\/phases\/deploy\//, 'Phase deploy'],
  [/^src\/phases\/teardown\//, 'Phase deploy with uninstall: true'],
  [/^src\/eks-token\//, 'EKS token plugin'],
]

function groupOf(file: string): string {
  const normalized = file.split('\\').join('/')
  return (
    GROUPS.find(([pattern]) => pattern.test(normalized))?.[1] ?? normalized.split('/').slice(0, 2).join('/')
  )
}

function hintCell(hints: readonly Alternative[]): string {
  const [only] = hints
  if (only === undefined) return ''
  if (hints.length === 1 && only.when === undefined) return cell(only.text)
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

import { cell, table } from './markdown.js'

/** What the docs read of action.yml. */
export interface ActionMetadata {
  readonly inputs: Readonly<Record<string, InputSpec>>
  readonly outputs: Readonly<Record<string, { readonly description: string }>>
}

interface InputSpec {
  readonly description: string
  readonly required?: boolean
  readonly default?: string | number | boolean
  readonly deprecationMessage?: string
}

const GENERAL = 'general'
// Tags that name no phase: the inputs every phase reads, and the reports to GitHub.
const HEADINGS: Readonly<Record<string, string>> = {
  [GENERAL]: 'All phases',
  github: 'Reporting to GitHub (comment, deployment)',
  verify: 'Verifying the image before the deploy',
}

/** `[auth] Lifetime of ...` → the phase tag and the rest of the description. */
function splitPhase(description: string): { phase: string; text: string } {
  const match = /^\[([\w ,-]+)\]\s*/.exec(description)
  // `[all]`: an input every phase reads (aws-region), listed with the general ones.
  return match?.[1] === undefined || match[1] === 'all'
    ? { phase: GENERAL, text: description }
    : { phase: match[1], text: description.slice(match[0].length) }
}

function groupByPhase<T>(entries: readonly [string, T][], description: (value: T) => string) {
  const groups = new Map<string, { name: string; text: string; value: T }[]>()
  for (const [name, value] of entries) {
    const { phase, text } = splitPhase(description(value))
    const group = groups.get(phase) ?? []
    group.push({ name, text, value })
    groups.set(phase, group)
  }
  return groups
}

function defaultCell(spec: InputSpec): string {
  if (spec.required === true) return '**required**'
  return spec.default === undefined || spec.default === '' ? '' : `\`${String(spec.default)}\``
}

function inputDescription(text: string, spec: InputSpec): string {
  return spec.deprecationMessage === undefined
    ? cell(text)
    : `**Deprecated:** ${cell(spec.deprecationMessage)} ${cell(text)}`
}

/** One table per phase tag of the descriptions (`[auth]`, `[deploy]`, ...), in action.yml's order. */
export function renderInputs(action: ActionMetadata): string {
  const groups = groupByPhase(Object.entries(action.inputs), (spec) => spec.description)
  return [...groups]
    .map(([phase, inputs]) =>
      [
        `**${HEADINGS[phase] ?? `Phase ${phase}`}**`,
        '',
        table(
          ['Input', 'Default', 'Description'],
          inputs.map(({ name, text, value }) => [
            `\`${name}\``,
            defaultCell(value),
            inputDescription(text, value),
          ]),
        ),
      ].join('\n'),
    )
    .join('\n\n')
}

export function renderOutputs(action: ActionMetadata): string {
  const rows = Object.entries(action.outputs).map(([name, spec]) => {
    const { phase, text } = splitPhase(spec.description)
    return [`\`${name}\``, phase === GENERAL ? '' : phase, cell(text)]
  })
  return table(['Output', 'Phase', 'Description'], rows)
}

/**
 * The first sentence of a description, for the README's one-line summary: up to the first full stop that
 * ends a sentence (not e.g. or i.e.); a long one is cut before its first `; `, `: ` or ` (`.
 */
export function firstSentence(description: string): string {
  const flat = description
    .replace(/^\[[\w ,-]+\]\s*/, '')
    .replace(/\s+/g, ' ')
    .trim()
  const sentence = /^.*?(?<!\be\.g|\bi\.e)[.](?=\s+[A-Z`]|$)/.exec(flat)?.[0] ?? flat
  if (sentence.length <= 140) return sentence
  for (const mark of ['; ', ': ', ' ('] as const) {
    for (let at = sentence.indexOf(mark, 30); at !== -1; at = sentence.indexOf(mark, at + 1))
      if (isOutsideBrackets(sentence.slice(0, at))) return `${sentence.slice(0, at)}.`
  }
  return sentence
}

function isOutsideBrackets(before: string): boolean {
  const count = (char: string) => before.split(char).length - 1
  return count('(') === count(')') && count('`') % 2 === 0
}

/** The README's summary: every input, one line each, grouped by phase as in action.yml. */
export function renderInputsSummary(action: ActionMetadata): string {
  const groups = groupByPhase(Object.entries(action.inputs), (spec) => spec.description)
  const rows = [...groups].flatMap(([phase, inputs]) =>
    inputs.map(({ name, value }) => [
      `\`${name}\``,
      phase === GENERAL ? 'all' : phase,
      defaultCell(value),
      value.deprecationMessage === undefined
        ? cell(firstSentence(value.description))
        : `**Deprecated:** ${cell(value.deprecationMessage)}`,
    ]),
  )
  return table(['Input', 'Phase', 'Default', 'What it is'], rows)
}

/** The README's summary of the outputs, one line each. */
export function renderOutputsSummary(action: ActionMetadata): string {
  const rows = Object.entries(action.outputs).map(([name, spec]) => {
    const { phase } = splitPhase(spec.description)
    return [`\`${name}\``, phase === GENERAL ? '' : phase, cell(firstSentence(spec.description))]
  })
  return table(['Output', 'Phase', 'What it is'], rows)
}

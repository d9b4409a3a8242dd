import type { Env } from '../lib/env.js'
import { printable } from '../lib/printable.js'
import { ACTION_INPUTS, type ActionInput } from './input-names.js'

/**
 * The runner hands every `with:` key (and every input of action.yml with a default) to the action as
 * `INPUT_<name upper-cased, spaces as _>`, dashes kept: `ecr_repository:` arrives as
 * INPUT_ECR_REPOSITORY and `ecr-repository:` as INPUT_ECR-REPOSITORY. One that names no input of
 * action.yml is a typo the action would otherwise ignore: the step stays green and deploys the
 * chart's default image, or skips the kubeconfig phase. A case slip is not one: the runner upper-cases.
 * https://github.com/actions/toolkit/blob/main/packages/core/src/core.ts (getInput)
 */
const PREFIX = 'INPUT_'

/** Names of other actions' inputs (or words) users reach for, and this action's name for each. */
const FAMILIAR_NAMES: Readonly<Record<string, string>> = {
  region: 'aws-region',
  'role-arn': 'role-to-assume',
  cluster: 'cluster-name',
  'eks-cluster': 'cluster-name',
  repository: 'ecr-repository',
  'ecr-repo': 'ecr-repository',
  tag: 'image-tag',
  values: 'values-files',
  'values-file': 'values-files',
  'helm-release': 'release',
}

const envName = (input: string): string => `${PREFIX}${input.replace(/ /g, '_').toUpperCase()}`

/** `ecr_repository`, `ECR-Repository`, `ecr repository` all become `ecr-repository`. */
const canonical = (name: string): string => name.toLowerCase().replace(/[_ ]/g, '-')

/** One problem per INPUT_* variable of the environment that names no input of action.yml. */
export function unknownInputProblems(env: Env, inputs: readonly ActionInput[] = ACTION_INPUTS): string[] {
  const known = new Set(inputs.map((input) => envName(input.name)))
  return Object.keys(env)
    .filter((key) => key.startsWith(PREFIX) && !known.has(key.toUpperCase()))
    .sort()
    .map((key) => {
      // The case the user wrote is lost (the runner upper-cases): show the name in lower case.
      const given = printable(key.slice(PREFIX.length).toLowerCase(), 80)
      return `Unknown input '${given}': ${adviceFor(given, inputs)}`
    })
}

function adviceFor(given: string, inputs: readonly ActionInput[]): string {
  const candidates = inputs.filter((input) => !input.isDeprecated)
  const suggested = suggestInputs(given, inputs)
  if (suggested.length === 1) return `did you mean '${suggested[0] ?? ''}'?`
  if (suggested.length > 1) return `did you mean one of ${suggested.map((name) => `'${name}'`).join(', ')}?`
  const phase = closestPhase(given, candidates)
  const names = candidates.filter((input) => input.phase === phase).map((input) => input.name)
  return `no input of this action is close. The inputs of ${phaseTitle(phase)} are: ${names.join(', ')} (action.yml lists all of them).`
}

const phaseTitle = (phase: string): string =>
  phase === 'plan' ? 'the plan' : phase === 'all' ? 'every phase' : `phase ${phase}`

/**
 * The inputs a name is probably a slip of: the same name with `_` or spaces for dashes, a familiar
 * name of another action, a one- or two-letter slip (Damerau-Levenshtein, fewer for short names), or
 * words that all belong to the input (`repository` → ecr-repository, chart-repository).
 */
export function suggestInputs(given: string, inputs: readonly ActionInput[]): string[] {
  const name = canonical(given)
  // A deprecated input is matched by its old name and suggested by its new one.
  const current = (input: ActionInput): string => input.replacedBy ?? input.name
  const unique = (names: string[]): string[] => [...new Set(names)]
  const exact = inputs.find((input) => canonical(input.name) === name)
  if (exact !== undefined) return [current(exact)]
  const familiar = FAMILIAR_NAMES[name]
  if (familiar !== undefined && inputs.some((input) => input.name === familiar)) return [familiar]
  const allowed = Math.min(2, Math.max(1, Math.floor(name.length / 4)))
  const distances = inputs.map((input) => [current(input), editDistance(name, input.name)] as const)
  const best = Math.min(...distances.map(([, distance]) => distance))
  if (best <= allowed)
    return unique(distances.filter(([, distance]) => distance === best).map(([known]) => known))
  // Words of 3 letters or more, each the start of a word of the input: chart-repo → chart-repository.
  const words = name.split('-').filter((word) => word.length >= 3)
  if (words.length === 0) return []
  const hasWords = (input: ActionInput): boolean =>
    words.every((word) => input.name.split('-').some((known) => known.startsWith(word)))
  return unique(inputs.filter((input) => !input.isDeprecated && hasWords(input)).map(current))
}

/** The phase of the input sharing most words with the name, else of the nearest by edit distance. */
function closestPhase(given: string, inputs: readonly ActionInput[]): string {
  const name = canonical(given)
  const words = new Set(name.split('-'))
  let best: { phase: string; shared: number; distance: number } = { phase: 'plan', shared: -1, distance: 1e9 }
  for (const input of inputs) {
    const shared = input.name.split('-').filter((word) => words.has(word)).length
    const distance = editDistance(name, input.name)
    if (shared > best.shared || (shared === best.shared && distance < best.distance))
      best = { phase: input.phase, shared, distance }
  }
  return best.phase
}

/**
 * Damerau-Levenshtein distance in its optimal-string-alignment form: insertions, deletions,
 * substitutions and swaps of two neighbours (`relase`, `ecr-reopsitory`) each count 1.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] ?? []
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        distance = Math.min(distance, at(i - 2, j - 2) + 1)
      row[j] = distance
    }
  }
  return at(a.length, b.length)
}

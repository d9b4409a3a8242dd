import type { InputProblems } from './problems.js'
import type { ChartRef } from './types.js'

// Reader of `manifests`: plain Kubernetes YAML that phase deploy turns into a chart of its own.

/** Inputs that only mean something for a chart: plain manifests have no values and no chart version. */
const CHART_ONLY_INPUTS = ['values-files', 'set', 'set-string', 'chart-version'] as const

/**
 * The entries of `manifests` (directories, files or globs, one per line), refused beside `chart` and
 * beside the inputs that only a chart understands. The paths are resolved by the plan, which reads them.
 */
export function readManifests(p: InputProblems, chart: ChartRef | undefined): readonly string[] {
  const entries = p.list('manifests', { commas: false })
  if (entries.length === 0) return entries
  const received = firstLineOf(entries.join(', '))
  if (chart !== undefined) {
    p.add(
      'manifests',
      received,
      "cannot be given with 'chart': a release comes from one of them. Keep 'chart' for a Helm chart, or 'manifests' for plain Kubernetes YAML, and remove the other.",
    )
  }
  for (const name of CHART_ONLY_INPUTS) {
    const value = p.text(name)
    if (value === '') continue
    p.add(
      name,
      firstLineOf(value),
      name === 'chart-version'
        ? "applies to a chart, not to 'manifests' (their chart is made by the action, versioned after the commit): remove it."
        : "has no effect with 'manifests': plain manifests have no values. Write the value into the manifests themselves (the image of ecr-repository is pinned for you), or deploy a chart.",
    )
  }
  return entries
}

/** The first line of a value, cut to 80 characters, for an error message. */
function firstLineOf(value: string): string {
  const line = value.split('\n')[0] ?? ''
  return line.length > 80 || value.includes('\n') ? `${line.slice(0, 80)}…` : line
}

import { rowsWith } from './phase-table.js'
import type { RunResults } from './results.js'

/** The step outputs, by name as declared in action.yml: each phase's that ran, in the table's order. */
export function collectOutputs(results: RunResults): Record<string, string> {
  const outputs = rowsWith(results).map(({ row, value }) => row.report.outputsOf(value))
  return Object.assign(
    {},
    ...outputs,
    results.github?.deployment === undefined ? {} : { 'deployment-id': String(results.github.deployment.id) },
    results.record === undefined ? {} : { 'deploy-record': JSON.stringify(results.record) },
  ) as Record<string, string>
}

/** The variables later steps of the job get through GITHUB_ENV: each phase's that ran, in the table's order. */
export function collectExportedEnv(results: RunResults): Record<string, string> {
  const env = rowsWith(results).map(({ row, value }) => row.report.exportedEnv?.(value, results.inputs) ?? {})
  return Object.assign({}, ...env) as Record<string, string>
}

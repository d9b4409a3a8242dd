import type { AccountHider } from '../lib/masking.js'
import type { Runtime } from '../runner/runtime.js'
import { collectExportedEnv, collectOutputs } from './outputs.js'
import type { RunResults } from './results.js'
import { renderSummary } from './summary.js'

/** The one place that writes the step's outputs, the variables for later steps and the job summary. */
export async function publishResults(
  results: RunResults,
  runtime: Runtime,
  accounts: Pick<AccountHider, 'hide'>,
): Promise<void> {
  for (const [name, value] of Object.entries(collectOutputs(results))) runtime.setOutput(name, value)
  for (const [name, value] of Object.entries(collectExportedEnv(results))) runtime.exportVariable(name, value)
  // The runner masks the log, not the summary file: what other programs wrote is redacted here.
  await runtime.appendSummary(renderSummary(results, { hide: (text) => runtime.redact(accounts.hide(text)) }))
}

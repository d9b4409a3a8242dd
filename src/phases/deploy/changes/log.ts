import type { Runtime } from '../../../runner/runtime.js'
import { describeObject, describeTotals, describeValues } from './describe.js'
import type { ChangeSet } from './types.js'

/**
 * What would change, in the log: the values' paths, then each object with its diff. The diffs are the
 * chart's text, so they are relayed (no line of theirs can act as a workflow command).
 */
export function printChanges(runtime: Pick<Runtime, 'info' | 'relay'>, changes: ChangeSet): void {
  runtime.info(describeValues(changes))
  for (const object of changes.objects) {
    runtime.info(describeObject(object))
    if (object.diff.length > 0) runtime.relay(object.diff.map((line) => `    ${line}`).join('\n'))
  }
  runtime.info(`${describeTotals(changes)} Nothing was changed (dry run).`)
}

import type { FieldConflicts } from '../../../inputs/types.js'
import { ActionError } from '../../../lib/errors.js'
import { jsonPathOf } from './field-paths.js'
import type { FieldConflict, FieldDecision } from './types.js'

const objectOf = (c: FieldConflict): string => `${c.kind} ${c.name}`
const ownerOf = (c: FieldConflict): string => (c.manager === '' ? 'no recorded manager' : `"${c.manager}"`)

/**
 * What Helm 4's server-side apply does with the conflicts: nothing to do; take them over
 * (--force-conflicts); or refuse before helm writes a revision (field-conflicts: fail). `auto` takes
 * over all but the replicas an autoscaler sets, whose chart value is dropped instead (a post-renderer).
 * Helm 3 applies client-side: it overwrites silently, the table informs. Pure.
 */
export function decideConflicts(
  conflicts: readonly FieldConflict[],
  mode: FieldConflicts,
  helmMajor: number,
): FieldDecision {
  if (conflicts.length === 0) return { kind: 'none' }
  if (helmMajor < 4) return { kind: 'report' }
  switch (mode) {
    case 'take-over':
      return { kind: 'take-over', taken: conflicts }
    case 'fail':
      return { kind: 'refuse', error: refuseAll(conflicts) }
    case 'auto': {
      const scaled = conflicts.filter((c) => c.autoscaler !== undefined)
      if (scaled.length === 0) return { kind: 'take-over', taken: conflicts }
      const taken = conflicts.filter((c) => c.autoscaler === undefined)
      return { kind: 'take-over', taken, dropped: scaled }
    }
  }
}

function refuseAll(conflicts: readonly FieldConflict[]): ActionError {
  const lines = conflicts.map(
    (c) =>
      `- ${objectOf(c)}: ${c.field} is owned by ${ownerOf(c)}${c.operation === '' ? '' : ` (${c.operation}${c.since === '' ? '' : ` since ${c.since}`})`}. ` +
      `Keep the live value: set the chart's value to \`kubectl get ${c.kind.toLowerCase()} ${c.name} -n ${c.namespace} -o jsonpath='${jsonPathOf(c.field)}'\`; or let helm take it: field-conflicts: take-over.`,
  )
  return new ActionError(
    `field-conflicts: fail: helm would take ${conflicts.length} field${conflicts.length === 1 ? '' : 's'} from other field managers; nothing was deployed.\n${lines.join('\n')}`,
    {
      hint: 'Another tool (kubectl edit/set/patch, an operator) changed these fields since the last release. Put the live value in the chart, or set field-conflicts: take-over (or auto) to let helm overwrite them (Helm 4 --force-conflicts).',
    },
  )
}

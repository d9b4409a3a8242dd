import { fenced } from '../../../lib/fenced.js'
import { escapeHtml } from '../rollout/markdown.js'
import { describeKeys, describeObject, describeTotals, describeValues } from './describe.js'
import { hasKeyChanges, type ChangeSet, type ObjectChange } from './types.js'

// A comment on a pull request holds at most 65536 characters: the diffs share what the rest leaves.
const MAX_DIFF_LINES = 150
const MAX_DIFF_CHARS = 40_000

const code = (name: string): string => `<code>${escapeHtml(name)}</code>`

function objectDetails(object: ObjectChange, withDiff: boolean): string[] {
  const lines = [`<details><summary>${escapeHtml(describeObject(object))}</summary>`, '']
  if (object.secretKeys !== undefined) {
    const keys = hasKeyChanges(object.secretKeys) ? describeKeys(object.secretKeys, code) : 'no key changes'
    lines.push(`Secret keys: ${keys}. Values are never shown.`, '')
  }
  if (!withDiff) lines.push('(diff left out here: the summary has a size limit; the log shows it)', '')
  else if (object.diff.length > 0) {
    const shown = object.diff.slice(0, MAX_DIFF_LINES)
    const more = object.diff.length - shown.length
    lines.push(...fenced(shown.join('\n'), 'diff'), '')
    if (more > 0) lines.push(`(${more} more lines in the log)`, '')
  }
  lines.push('</details>')
  return lines
}

/** The job summary's (and the pull request comment's) account of a dry run: one collapsed block per object. */
export function changesMarkdown(changes: ChangeSet, release: string): string {
  const lines = [
    `#### What would change: dry run of release ${escapeHtml(release)}`,
    '',
    `${escapeHtml(describeTotals(changes))} ${describeValues(changes, code)}`,
    '',
  ]
  let budget = MAX_DIFF_CHARS
  for (const object of changes.objects) {
    const size = object.diff.slice(0, MAX_DIFF_LINES).join('\n').length
    const withDiff = size <= budget
    if (withDiff) budget -= size
    lines.push(...objectDetails(object, withDiff))
  }
  return `${lines.join('\n')}\n`
}

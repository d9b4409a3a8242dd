// The difference between two bundle directories, told the way a reviewer needs it (check-dist.mjs): which files a
// fresh bundle adds, which it no longer has, which changed and by how much, and for each changed text file either
// a short unified diff (a small change in a small file) or the first place where it differs (a minified line).
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { structuredPatch } from 'diff'

/** Beyond these, a unified diff says less than the first difference does. */
const MAX_DIFF_LINES = 40
const MAX_DIFF_BYTES = 256 * 1024
const MAX_LINE_CHARS = 200
const SNIPPET_CHARS = 60

/** Every file under `dir`, as paths relative to it with forward slashes, sorted; none when `dir` is missing. */
function listFiles(dir, prefix = '') {
  let entries
  try {
    entries = readdirSync(path.join(dir, prefix), { withFileTypes: true })
  } catch {
    return []
  }
  return entries
    .flatMap((entry) => {
      const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`
      return entry.isDirectory() ? listFiles(dir, relative) : [relative]
    })
    .sort()
}

/** What differs between `committed` (dist/) and `fresh` (a new bundle): file names relative to them. */
export function compareDirectories(committed, fresh) {
  const before = listFiles(committed)
  const after = listFiles(fresh)
  const changed = after.filter(
    (file) =>
      before.includes(file) &&
      !readFileSync(path.join(committed, file)).equals(readFileSync(path.join(fresh, file))),
  )
  return {
    added: after.filter((file) => !before.includes(file)),
    removed: before.filter((file) => !after.includes(file)),
    changed,
  }
}

const isText = (buffer) => !buffer.includes(0)
const show = (text) => JSON.stringify(text).slice(1, -1)

/** A unified diff when it is short and its lines are, else where the two first differ, with context. */
export function describeChange(name, before, after) {
  if (!isText(before) || !isText(after)) return [`  (binary: ${before.length} → ${after.length} bytes)`]
  const [oldText, newText] = [before.toString('utf8'), after.toString('utf8')]
  const isSmall = Math.max(before.length, after.length) <= MAX_DIFF_BYTES
  const patch = isSmall
    ? structuredPatch(`a/${name}`, `b/${name}`, oldText, newText, '', '', { context: 2 })
    : undefined
  const lines = (patch?.hunks ?? []).flatMap((hunk) => [
    `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`,
    ...hunk.lines,
  ])
  if (isSmall && lines.length <= MAX_DIFF_LINES && lines.every((line) => line.length <= MAX_LINE_CHARS)) {
    return [`--- a/${name}`, `+++ b/${name}`, ...lines].map((line) => `  ${line}`)
  }
  let at = 0
  while (at < oldText.length && oldText[at] === newText[at]) at++
  const lineNumber = oldText.slice(0, at).split('\n').length
  const column = at - oldText.lastIndexOf('\n', at - 1)
  const start = Math.max(0, at - SNIPPET_CHARS)
  return [
    `  first difference at line ${lineNumber}, column ${column}:`,
    `    dist/:  …${show(oldText.slice(start, at + SNIPPET_CHARS))}…`,
    `    fresh:  …${show(newText.slice(start, at + SNIPPET_CHARS))}…`,
  ]
}

/** The report lines for `compareDirectories`'s answer; empty when nothing differs. */
export function renderDifference(difference, committed, fresh, label = 'dist') {
  const { added, removed, changed } = difference
  if (added.length + removed.length + changed.length === 0) return []
  const size = (dir, file) => readFileSync(path.join(dir, file)).length
  const lines = [
    `${label}/ is not the bundle of src/: ${changed.length} changed, ${added.length} missing from ${label}/, ` +
      `${removed.length} no longer in the bundle. Run \`npm run bundle\` and commit ${label}/.`,
  ]
  for (const file of added) lines.push(`  missing  ${label}/${file} (${size(fresh, file)} bytes)`)
  for (const file of removed) lines.push(`  extra    ${label}/${file} (${size(committed, file)} bytes)`)
  for (const file of changed) {
    const [before, after] = [readFileSync(path.join(committed, file)), readFileSync(path.join(fresh, file))]
    lines.push(`  changed  ${label}/${file} (${before.length} → ${after.length} bytes)`)
    lines.push(...describeChange(`${label}/${file}`, before, after))
  }
  return lines
}

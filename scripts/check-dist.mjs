// Fails when dist/ differs from a fresh bundle of src/ (the runner executes dist/, not src/). The fresh bundle is
// built in a temporary directory and compared there: dist/ is never rewritten, so a failed check leaves the tree as
// it was and says what differs (files missing, extra and changed, with a short diff or the first difference).
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { bundle } from './bundle.mjs'
import { compareDirectories, renderDifference } from './dist-diff.mjs'

const ROOT = path.resolve(import.meta.dirname, '..')
const committed = path.join(ROOT, 'dist')
const temp = mkdtempSync(path.join(os.tmpdir(), 'check-dist-'))
try {
  const fresh = path.join(temp, 'dist')
  await bundle(fresh)
  const lines = renderDifference(compareDirectories(committed, fresh), committed, fresh)
  if (lines.length > 0) {
    console.error(lines.join('\n'))
    process.exitCode = 1
  } else {
    console.log('dist/ matches a fresh bundle of src/.')
  }
} finally {
  rmSync(temp, { recursive: true, force: true })
}

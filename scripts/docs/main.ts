// `npm run docs`: rewrites the generated sections of README.md and docs/*.md (the inputs and outputs
// tables and summaries, the error catalog, the recipes from examples/). `--check` writes nothing and fails
// when a document is not what it would write.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { generatedDocuments, renderDocument } from './readme.js'

const root = path.resolve(import.meta.dirname, '..', '..')
const isCheck = process.argv.includes('--check')
const stale: string[] = []
for (const file of generatedDocuments(root)) {
  const current = readFileSync(path.join(root, file), 'utf8')
  const next = await renderDocument(root, file, current)
  if (next === current) continue
  stale.push(file)
  if (!isCheck) writeFileSync(path.join(root, file), next)
}
if (stale.length === 0) console.log('README.md and docs/ are up to date.')
else if (isCheck) {
  console.error(`Not what \`npm run docs\` writes: ${stale.join(', ')}. Run it and commit them.`)
  process.exit(1)
} else console.log(`Generated sections rewritten: ${stale.join(', ')}.`)

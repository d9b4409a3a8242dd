// `npm run docs`: rewrites the README's generated sections (inputs, outputs, the error catalog, the
// recipes from examples/). `--check` writes nothing and fails when the README is not what it would write.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { renderReadme } from './readme.js'

const root = path.resolve(import.meta.dirname, '..', '..')
const file = path.join(root, 'README.md')
const current = readFileSync(file, 'utf8')
const next = await renderReadme(root, current)
if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error('README.md is not what `npm run docs` writes: run it and commit README.md.')
    process.exit(1)
  }
  console.log('README.md is up to date.')
} else if (next === current) {
  console.log('README.md is up to date.')
} else {
  writeFileSync(file, next)
  console.log('README.md: generated sections rewritten.')
}

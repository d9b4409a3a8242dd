// Runs a TypeScript file of this repository with node (`node scripts/run-ts.mjs <file.ts> [args]`): the
// bench's module hooks transpile .ts files on load with the project's own TypeScript, in place.
import { register } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const [file, ...args] = process.argv.slice(2)
if (file === undefined) {
  console.error('usage: node scripts/run-ts.mjs <file.ts> [args...]')
  process.exit(2)
}
register('../bench/hooks/ts-hooks.mjs', import.meta.url)
process.setSourceMapsEnabled(true)
process.argv = [process.argv[0], path.resolve(file), ...args]
await import(pathToFileURL(path.resolve(file)).href)

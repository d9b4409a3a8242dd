// `npm run bench`: runs bench/run.ts (and the TypeScript test fixtures it reuses) through ts-hooks.mjs.
// Needs nothing beyond `npm ci`: the hooks use the project's own TypeScript.
import { register } from 'node:module'

register('./hooks/ts-hooks.mjs', import.meta.url)
process.setSourceMapsEnabled(true)
await import('./run.ts')

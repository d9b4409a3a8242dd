// `npm run bench:bundle`: runs bench/bundle-variants.ts (and the TypeScript test fixtures it reuses) through
// ts-hooks.mjs, as bench/run.mjs does for `npm run bench`.
import { register } from 'node:module'

register('./hooks/ts-hooks.mjs', import.meta.url)
process.setSourceMapsEnabled(true)
await import('./bundle-variants.ts')

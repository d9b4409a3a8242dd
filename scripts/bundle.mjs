// Rebuilds dist/ from src/: one ncc bundle per entry the runner or a kubeconfig starts, then the one
// post-processing step, scripts/optimize-bundle.mjs (BUNDLE_OPTIMIZE=0 skips it). ncc only transpiles
// (--transpile-only, as src/entries/tsconfig.json says): `npm run typecheck` checks the types, once for the whole
// project, where ncc would check all of them again for each entry (33 s instead of 71 s, the same dist/).
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { optimizeBundle } from './optimize-bundle.mjs'

const entries = [
  ['src/entries/main.ts', 'dist'],
  ['src/entries/post.ts', 'dist/post'],
  ['src/entries/token.ts', 'dist/token'],
]
const ncc = 'node_modules/@vercel/ncc/dist/ncc/cli.js'
const shouldOptimize = process.env.BUNDLE_OPTIMIZE !== '0'

rmSync('dist', { recursive: true, force: true })
for (const [entry, out] of entries) {
  const args = [
    'build',
    entry,
    '-o',
    out,
    '--minify',
    '--transpile-only',
    '--license',
    'licenses.txt',
    '--quiet',
  ]
  execFileSync(process.execPath, [ncc, ...args], { stdio: 'inherit' })
  if (shouldOptimize) await optimizeBundle(out)
}

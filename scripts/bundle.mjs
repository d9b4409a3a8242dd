// Rebuilds dist/ from src/: one ncc bundle per entry the runner or a kubeconfig starts, then the one
// post-processing step, scripts/optimize-bundle.mjs (BUNDLE_OPTIMIZE=0 skips it).
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
  const args = ['build', entry, '-o', out, '--minify', '--license', 'licenses.txt', '--quiet']
  execFileSync(process.execPath, [ncc, ...args], { stdio: 'inherit' })
  if (shouldOptimize) await optimizeBundle(out)
}

// Rebuilds dist/ from src/: one ncc bundle per entry the runner or kubeconfig starts.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { minify } from 'terser'
import { makeFactoriesEager } from './eager-factories.mjs'

const entries = [
  ['src/index.ts', 'dist'],
  ['src/post.ts', 'dist/post'],
  ['src/token.ts', 'dist/token'],
]

// ncc's --minify options (@vercel/ncc 0.45, index.js): names kept, so stack traces and the SDK's
// error names read the same, and no compression, which can change behaviour.
const MINIFY_OPTIONS = {
  module: true,
  compress: false,
  mangle: { keep_classnames: true, keep_fnames: true },
}

/**
 * ncc's --minify minifies each entry file but not the chunks it splits off for dynamic import()
 * (dist/<id>.index.js, ES modules of the form `export const modules = {…}`), and those hold the
 * SDK: a full run would load and compile close to a megabyte of whitespace and comments. Their
 * license texts are in licenses.txt, which ncc writes from the packages themselves.
 */
async function minifyChunks(dir) {
  for (const name of readdirSync(dir).filter((file) => /^\d+\.index\.js$/.test(file))) {
    const file = path.join(dir, name)
    const result = await minify(readFileSync(file, 'utf8'), MINIFY_OPTIONS)
    if (result.code === undefined) throw new Error(`terser returned no code for ${file}`)
    writeFileSync(file, result.code)
  }
}

/** After minifying, which would drop the parentheses (see eager-factories.mjs). */
function compileFactoriesEagerly(dir) {
  for (const name of readdirSync(dir).filter((file) => /^(\d+\.)?index\.js$/.test(file))) {
    const file = path.join(dir, name)
    writeFileSync(file, makeFactoriesEager(readFileSync(file, 'utf8')))
  }
}

rmSync('dist', { recursive: true, force: true })
for (const [entry, out] of entries) {
  execFileSync(
    process.execPath,
    [
      'node_modules/@vercel/ncc/dist/ncc/cli.js',
      'build',
      entry,
      '-o',
      out,
      '--minify',
      '--license',
      'licenses.txt',
      '--quiet',
    ],
    { stdio: 'inherit' },
  )
  await minifyChunks(out)
  compileFactoriesEagerly(out)
}

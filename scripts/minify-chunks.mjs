// The one post-processing step after ncc (`npm run bundle`; BUNDLE_MINIFY_CHUNKS=0 skips it). ncc's --minify
// minifies each entry file but not the chunks it splits off for dynamic import() (dist/<id>.index.js), and those
// hold the SDK and the Kubernetes client: unminified they are 3× larger (18.2 against 6.0 MB of .js; the client's
// chunk 15.5 against 4.3 MB), and a deploy parses its 15.5 MB. terser minifies them with ncc's own options; their
// license texts are in licenses.txt, which ncc writes. Measured on Node 24 with `npm run bench:bundle`
// (bench/results/bundle-variants.md): loading the client's chunk takes 310 instead of 470 ms of CPU, the full run
// 470 instead of 515 as the job's second step; nothing else moves.
//
// It used to rewrite webpack's module factories into parenthesized functions too, for V8 to compile them eagerly:
// a gain measured on Node 20 that Node 24 does not show (the same CPU time within noise, the chunk's import 55 ms
// dearer), for a rewrite of webpack's private module table. Removed.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { minify } from 'terser'

// ncc's --minify options (@vercel/ncc 0.45, index.js): names kept, so stack traces and the SDK's error names read
// the same, and no compression, which can change behaviour.
const MINIFY_OPTIONS = { module: true, compress: false, mangle: { keep_classnames: true, keep_fnames: true } }

/** Minifies the chunk files ncc wrote to `dir` (`<id>.index.js`); returns how many. */
export async function minifyChunks(dir) {
  const chunks = readdirSync(dir).filter((file) => /^\d+\.index\.js$/.test(file))
  for (const name of chunks) {
    const file = path.join(dir, name)
    const result = await minify(readFileSync(file, 'utf8'), MINIFY_OPTIONS)
    if (result.code === undefined) throw new Error(`minify-chunks: terser returned no code for ${file}`)
    writeFileSync(file, result.code)
  }
  return { chunks: chunks.length }
}

// `node scripts/minify-chunks.mjs <dir>`: the bundle runs it in a process of its own per entry, beside the others.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename)
  await minifyChunks(process.argv[2] ?? '.')

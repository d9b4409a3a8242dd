// Rebuilds dist/ from src/: one ncc bundle per entry the runner or a kubeconfig starts, then the one
// post-processing step, scripts/minify-chunks.mjs (BUNDLE_MINIFY_CHUNKS=0 skips it). ncc only transpiles
// (--transpile-only, as src/entries/tsconfig.json says): `npm run typecheck` checks the types, once for the whole
// project, where ncc would check all of them again for each entry (33 s instead of 71 s, the same dist/).
//
// `node scripts/bundle.mjs [--out-dir DIR]` writes the bundle to DIR instead of dist/ (check-dist and the bundle
// bench build there, leaving dist/ alone). ncc is run through its command-line interface, the bin its package
// declares, as a user would run it.
import { spawn } from 'node:child_process'
import { renameSync, rmSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'

const ROOT = path.resolve(import.meta.dirname, '..')

/** Each bundled entry and the folder of the bundle it goes to, relative to the output directory. */
export const ENTRIES = [
  ['src/entries/main.ts', '.'],
  ['src/entries/post.ts', 'post'],
  ['src/entries/token.ts', 'token'],
  ['src/entries/post-render.ts', 'post-render'],
  ['src/entries/kube-worker.ts', 'kube-worker'],
]

/** The entry whose build takes longest. */
const LONGEST = 'src/entries/kube-worker.ts'

const isWindows = process.platform === 'win32'
const NCC = path.join(ROOT, 'node_modules', '.bin', isWindows ? 'ncc.cmd' : 'ncc')

/**
 * Bundles every entry into `outDir` (emptied first); `minify`: the post-processing step.
 *
 * No source maps: ncc's --source-map (without its run-time register) costs nothing measurable at start-up on
 * Node 24, but its .map files hold every bundled source, 24 MB: the action's archive, which the runner downloads
 * for every job, would grow from 1.7 to about 4 MB compressed (bench/results/bundle-variants.md, `map`).
 */
export async function bundle(outDir, { minify = true } = {}) {
  const out = path.resolve(ROOT, outDir)
  // ncc empties its output folder first, and the main entry's is `out` itself: each entry is built into a
  // folder of its own beside it, as many at once as the machine has cores (ncc runs on one), then moved in.
  const parts = `${out}.parts`
  rmSync(parts, { recursive: true, force: true })
  // The longest build first (the Kubernetes client's thread: its 4.4 MB chunk is minified last of all
  // otherwise, alone on one core), the others beside it.
  const queue = ENTRIES.map(([entry], index) => ({ entry, target: path.join(parts, String(index)) })).sort(
    (a, b) => Number(b.entry === LONGEST) - Number(a.entry === LONGEST),
  )
  const worker = async () => {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      const args = [
        'build',
        job.entry,
        '-o',
        job.target,
        '--minify',
        '--transpile-only',
        '--license',
        'licenses.txt',
      ]
      await run(NCC, [...args, '--quiet'])
      // terser runs on one thread: in a process of its own, the entries' chunks are minified side by side.
      if (minify)
        await run(process.execPath, [path.join(import.meta.dirname, 'minify-chunks.mjs'), job.target])
    }
  }
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), ENTRIES.length) }, worker))
  rmSync(out, { recursive: true, force: true })
  for (const [index, [, folder]] of ENTRIES.entries())
    renameSync(path.join(parts, String(index)), path.join(out, folder))
  rmSync(parts, { recursive: true, force: true })
}

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', shell: isWindows })
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')}: exit code ${code}`)),
    )
  })
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename) {
  const { values } = parseArgs({ options: { 'out-dir': { type: 'string', default: 'dist' } } })
  await bundle(values['out-dir'], { minify: process.env.BUNDLE_MINIFY_CHUNKS !== '0' })
}

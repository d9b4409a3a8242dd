// Prints the path of a Node 24 binary for the integration tests to run the bundle with (ACTION_NODE):
// action.yml runs the action on node24, while jest may run on the machine's Node 20. In order:
// $ACTION_NODE; this node when it is 24; a copy cached under ~/.cache/eks-deploy-action; with --fetch,
// the npm package node-<os>-<arch>@24 (the official build, as `npm pack` gets it) unpacked there.
// Prints nothing and exits 1 when there is none, so that a caller can fall back to the machine's node.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const MAJOR = '24'
const cacheRoot = path.join(
  process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
  'eks-deploy-action',
)
const cached = path.join(cacheRoot, `node-${MAJOR}-${process.platform}-${process.arch}`, 'bin', 'node')

function found() {
  if (process.env.ACTION_NODE?.trim()) return process.env.ACTION_NODE.trim()
  if (process.versions.node.split('.')[0] === MAJOR) return process.execPath
  if (existsSync(cached)) return cached
  if (!process.argv.includes('--fetch')) return undefined
  const platform = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform]
  if (platform === undefined) return undefined
  mkdirSync(cacheRoot, { recursive: true })
  const work = mkdtempSync(path.join(cacheRoot, 'fetch-'))
  try {
    execFileSync('npm', ['pack', '--silent', `node-${platform}-${process.arch}@${MAJOR}`], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'))
    if (tarball === undefined) return undefined
    execFileSync('tar', ['xzf', tarball], { cwd: work })
    renameSync(path.join(work, 'package'), path.dirname(path.dirname(cached)))
    return cached
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

const node = found()
if (node === undefined) process.exit(1)
process.stdout.write(`${node}\n`)

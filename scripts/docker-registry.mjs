// Prints the path of a `docker-registry` binary (Debian's package of the CNCF Distribution registry,
// 2.8) for the tests that need a real OCI registry. In order: $DOCKER_REGISTRY; `docker-registry` on
// the PATH; a copy cached under ~/.cache/eks-deploy-action/docker-registry; with --fetch,
// `apt-get download docker-registry` (no root needed: it only downloads the .deb) unpacked there with
// `dpkg-deb -x`. Prints nothing and exits 1 when there is none: the caller decides whether that is a
// failure (under CI=true it is) or a skip.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const cacheRoot = path.join(
  process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
  'eks-deploy-action',
)
const cacheDir = path.join(cacheRoot, 'docker-registry')
const cached = path.join(cacheDir, 'usr', 'bin', 'docker-registry')

function onPath() {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir !== '' && existsSync(path.join(dir, 'docker-registry'))) return path.join(dir, 'docker-registry')
  }
  return undefined
}

function fetchPackage() {
  mkdirSync(cacheRoot, { recursive: true })
  const work = mkdtempSync(path.join(cacheRoot, 'fetch-registry-'))
  try {
    execFileSync('apt-get', ['download', 'docker-registry'], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    const deb = readdirSync(work).find((name) => name.endsWith('.deb'))
    if (deb === undefined) return undefined
    const unpacked = path.join(work, 'root')
    execFileSync('dpkg-deb', ['-x', deb, unpacked], { cwd: work })
    if (!existsSync(path.join(unpacked, 'usr', 'bin', 'docker-registry'))) return undefined
    rmSync(cacheDir, { recursive: true, force: true })
    renameSync(unpacked, cacheDir)
    return cached
  } catch (error) {
    process.stderr.write(`docker-registry: could not fetch Debian's package: ${error.message}\n`)
    return undefined
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

function found() {
  if (process.env.DOCKER_REGISTRY?.trim()) return process.env.DOCKER_REGISTRY.trim()
  const installed = onPath()
  if (installed !== undefined) return installed
  if (existsSync(cached)) return cached
  if (!process.argv.includes('--fetch')) return undefined
  return fetchPackage()
}

const binary = found()
if (binary === undefined) process.exit(1)
process.stdout.write(`${binary}\n`)

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export interface BundleFile {
  /** Relative to the repository root, e.g. dist/index.js. */
  readonly file: string
  readonly bytes: number
  /** What it holds, recognised by strings that survive minification (chunk ids change per build). */
  readonly holds: readonly string[]
}

/** Strings that survive minification, and what a chunk holding them is (chunk ids change per build). */
const CHUNK_MARKERS: readonly (readonly [string, string])[] = [
  ['"ECRClient"', 'ECR client'],
  ['"EKSClient"', 'EKS client'],
  ['"STSClient"', 'STS client'],
  ['fromIni', 'SDK core + credential providers'],
  ['assumeRoleWithOidc', 'phase auth'],
  ['extractTar', '@actions/tool-cache'],
  ['UND_ERR_CONNECT_TIMEOUT', 'undici (@actions/http-client, loaded on its first request)'],
]
/** In an entry: what its start-up would have to evaluate (none since shims/lazy-http-client). */
const UNDICI = ['UND_ERR_CONNECT_TIMEOUT', 'undici (@actions/http-client in an entry)'] as const

function describe(text: string, isChunk: boolean): string[] {
  if (!isChunk) return text.includes(UNDICI[0]) ? [UNDICI[1]] : []
  const holds = CHUNK_MARKERS.filter(([marker]) => text.includes(marker)).map(([, label]) => label)
  // The SDK core holds the STS client the credential providers use internally.
  return holds.includes('SDK core + credential providers') ? holds.filter((h) => h !== 'STS client') : holds
}

export interface BundleReport {
  readonly entries: readonly BundleFile[]
  /** The chunks ncc split off the entries (dist/<id>.index.js, dist/token/<id>.index.js), loaded by import(). */
  readonly chunks: readonly BundleFile[]
  /** dist/token/index.js holds AWS SDK client code (its middleware stack), which the exec plugin does not need. */
  readonly tokenHoldsSdkClient: boolean
}

export const ENTRIES = ['dist/index.js', 'dist/post/index.js', 'dist/token/index.js'] as const

function sizeOf(root: string, file: string): BundleFile {
  const full = path.join(root, file)
  if (!existsSync(full)) return { file, bytes: 0, holds: [] }
  const isChunk = /^\d+\.index\.js$/.test(path.basename(file))
  return { file, bytes: statSync(full).size, holds: describe(readFileSync(full, 'utf8'), isChunk) }
}

export function readBundle(root: string): BundleReport {
  // dist/token/ has a chunk of its own: the SDK's credential chain, loaded only without AWS_* keys.
  const chunks = ['dist', 'dist/token'].flatMap((dir) =>
    readdirSync(path.join(root, dir))
      .filter((name) => /^\d+\.index\.js$/.test(name))
      .map((name) => sizeOf(root, `${dir}/${name}`)),
  )
  const token = path.join(root, 'dist/token/index.js')
  const tokenText = existsSync(token) ? readFileSync(token, 'utf8') : ''
  return {
    entries: ENTRIES.map((entry) => sizeOf(root, entry)),
    chunks,
    tokenHoldsSdkClient: /middlewareStack|@aws-sdk\/client-/.test(tokenText),
  }
}

/** The dist/ files among the module URLs a run loaded (recorded by hooks/inspect-run.mjs). */
export function loadedDistFiles(root: string, urls: readonly string[]): BundleFile[] {
  const seen = new Set<string>()
  for (const url of urls) {
    if (!url.startsWith('file:')) continue
    const file = path.relative(root, fileURLToPath(url))
    if (file.startsWith('dist/') && file.endsWith('.js')) seen.add(file)
  }
  return [...seen].sort().map((file) => sizeOf(root, file))
}

export const totalBytes = (files: readonly BundleFile[]): number => files.reduce((sum, f) => sum + f.bytes, 0)

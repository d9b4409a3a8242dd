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

const MARKERS: readonly (readonly [RegExp, string])[] = [
  [/"STSClient"[\s\S]*fromIni|fromIni[\s\S]*"STSClient"/, 'SDK core + credential providers'],
  [/"STSClient"/, 'STS client'],
  [/"ECRClient"/, 'ECR client'],
  [/"EKSClient"/, 'EKS client'],
  [/assumeRoleWithOidc/, 'phase auth'],
  [/extractTar/, '@actions/tool-cache'],
  [/llhttp/, 'undici (@actions/core → @actions/http-client)'],
]

export interface BundleReport {
  readonly entries: readonly BundleFile[]
  /** The chunks ncc split off dist/index.js (dist/<id>.index.js), loaded by dynamic import(). */
  readonly chunks: readonly BundleFile[]
  /** dist/token/index.js holds AWS SDK client code (its middleware stack), which the exec plugin does not need. */
  readonly tokenHoldsSdkClient: boolean
}

export const ENTRIES = ['dist/index.js', 'dist/post/index.js', 'dist/token/index.js'] as const

function sizeOf(root: string, file: string): BundleFile {
  const full = path.join(root, file)
  if (!existsSync(full)) return { file, bytes: 0, holds: [] }
  const text = readFileSync(full, 'utf8')
  const holds: string[] = []
  for (const [marker, label] of MARKERS) {
    if (marker.test(text) && !(label === 'STS client' && holds.includes('SDK core + credential providers')))
      holds.push(label)
  }
  return {
    file,
    bytes: statSync(full).size,
    holds:
      file.startsWith('dist/') && /^\d/.test(path.basename(file))
        ? holds
        : holds.filter((h) => h.startsWith('undici')),
  }
}

export function readBundle(root: string): BundleReport {
  const chunks = readdirSync(path.join(root, 'dist'))
    .filter((name) => /^\d+\.index\.js$/.test(name))
    .map((name) => sizeOf(root, `dist/${name}`))
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

import { createHash } from 'node:crypto'
import { createReadStream, promises as fs } from 'node:fs'
import path from 'node:path'
import { ActionError, messageOf } from '../lib/errors.js'
import { retry, RetriesExhaustedError, type RetryPolicy } from '../lib/retry.js'
import { isRetryableDownloadError } from '../runner/download.js'
import type { Runtime } from '../runner/runtime.js'
import { helmDownload, helmPlatform, parseChecksumFile, type HelmDownload } from './download.js'

export interface HelmInstallParams {
  /** A release tag such as v4.1.4. */
  readonly version: string
  readonly mirror: string
  /** process.platform and process.arch of the runner. */
  readonly os: string
  readonly arch: string
}

export interface InstalledHelm {
  /** Absolute path of the helm binary. */
  readonly binary: string
  readonly isFromCache: boolean
}

export interface HelmInstallDeps {
  readonly runtime: Pick<Runtime, 'toolCache' | 'addPath' | 'info' | 'debug' | 'warning' | 'now' | 'sleep'>
  readonly sha256File?: (file: string) => Promise<string>
  /** The defaults in a run; tests give short ones. */
  readonly budget?: DownloadBudget
}

/**
 * How long the two downloads (checksum and archive) may take together, retries included, and how
 * long a mirror may send nothing before an attempt is cut. A helm archive is ~20 MB: well within.
 */
export interface DownloadBudget {
  readonly totalMs: number
  readonly idleMs: number
}

export const DEFAULT_DOWNLOAD_BUDGET: DownloadBudget = { totalMs: 100_000, idleMs: 20_000 }
const RETRY_DELAYS = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 8_000 }

const TOOL_NAME = 'helm'

/**
 * helm through the runner's tool cache: the cached copy when present, otherwise the release
 * archive from the mirror, checked against its .sha256sum BEFORE anything is extracted.
 * Any failure fails the step: there is no fallback to another version or source.
 */
export async function installHelm(params: HelmInstallParams, deps: HelmInstallDeps): Promise<InstalledHelm> {
  const { runtime } = deps
  const platform = helmPlatform(params.os, params.arch)
  const cached = await runtime.toolCache.find(TOOL_NAME, params.version, params.arch)
  if (cached !== '') {
    runtime.info(`helm ${params.version} found in the tool cache: ${cached}`)
    runtime.addPath(cached)
    return { binary: path.join(cached, platform.binary), isFromCache: true }
  }
  const download = helmDownload(params.mirror, params.version, platform)
  const archive = await downloadVerified(download, params, deps)
  try {
    const extracted = await runtime.toolCache.extract(archive, platform.archive)
    const dir = await runtime.toolCache.cacheDir(
      path.join(extracted, download.innerDir),
      TOOL_NAME,
      params.version,
      params.arch,
    )
    runtime.addPath(dir)
    return { binary: path.join(dir, platform.binary), isFromCache: false }
  } finally {
    await fs.rm(archive, { force: true })
  }
}

async function downloadVerified(
  download: HelmDownload,
  params: HelmInstallParams,
  deps: HelmInstallDeps,
): Promise<string> {
  const { runtime } = deps
  const budget = deps.budget ?? DEFAULT_DOWNLOAD_BUDGET
  const deadline = runtime.now() + budget.totalMs
  const fetch = (url: string) => fetchFile(url, { download, params, runtime, budget, deadline })
  const checksumFile = await fetch(download.checksumUrl)
  let expected: string
  try {
    expected = parseChecksumFile(await fs.readFile(checksumFile, 'utf8'), download)
  } finally {
    await fs.rm(checksumFile, { force: true })
  }
  runtime.info(`Downloading ${download.archiveUrl}`)
  const archive = await fetch(download.archiveUrl)
  const actual = await (deps.sha256File ?? sha256File)(archive)
  if (actual !== expected) {
    await fs.rm(archive, { force: true })
    throw new ActionError(
      `Refusing to install helm ${params.version}: the SHA-256 of ${download.archiveUrl} is ${actual}, but ${download.checksumUrl} says ${expected}.`,
      {
        hint: `The download is corrupt or was altered on the way. Re-run the job; if it fails again, compare the mirror (helm-mirror: ${params.mirror}) with the checksums published at https://github.com/helm/helm/releases/tag/${params.version}.`,
      },
    )
  }
  runtime.info(`Verified SHA-256 ${actual} of ${download.archiveName}`)
  return archive
}

interface FetchContext {
  readonly download: HelmDownload
  readonly params: HelmInstallParams
  readonly runtime: HelmInstallDeps['runtime']
  readonly budget: DownloadBudget
  /** Both downloads end by then (runtime.now() time). */
  readonly deadline: number
}

/** One file from the mirror, retried while it fails transiently and the budget lasts. */
async function fetchFile(url: string, context: FetchContext): Promise<string> {
  const { runtime, budget } = context
  const policy: RetryPolicy = { ...RETRY_DELAYS, budgetMs: Math.max(0, context.deadline - runtime.now()) }
  try {
    return await retry(
      (_attempt, remainingMs) =>
        runtime.toolCache.download(url, { idleMs: budget.idleMs, timeoutMs: Math.max(1, remainingMs) }),
      {
        isRetryable: isRetryableDownloadError,
        policy,
        clock: runtime,
        onRetry: (error, attempt, delayMs) => {
          runtime.warning(
            `Download attempt ${attempt} of ${url} failed (${messageOf(error)}); retrying in ${delayMs} ms.`,
          )
        },
      },
    )
  } catch (error) {
    throw explainDownloadFailure(url, error, context)
  }
}

function explainDownloadFailure(url: string, error: unknown, context: FetchContext): ActionError {
  const { params, download } = context
  const tries = error instanceof RetriesExhaustedError ? `${error.message}; last error: ` : ''
  const last = error instanceof RetriesExhaustedError ? error.lastError : error
  return new ActionError(
    `Could not download ${url} to install helm ${params.version}: ${tries}${messageOf(last)}`,
    {
      cause: last,
      hint: `Check that ${params.version} is a published Helm release (https://github.com/helm/helm/releases) and that helm-mirror (${params.mirror}) serves ${download.archiveName} and ${download.archiveName}.sha256sum. Or install helm in an earlier step and set \`helm-version: system\`.`,
    },
  )
}

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => {
        resolve(hash.digest('hex'))
      })
  })
}

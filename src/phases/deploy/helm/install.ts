import { createHash } from 'node:crypto'
import { createReadStream, promises as fs } from 'node:fs'
import path from 'node:path'
import { ActionError } from '../../../lib/errors.js'
import type { Runtime } from '../../../runner/runtime.js'
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
  readonly runtime: Pick<Runtime, 'toolCache' | 'addPath' | 'info' | 'debug'>
  readonly sha256File?: (file: string) => Promise<string>
}

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
  const checksumFile = await fetchFile(download.checksumUrl, download, params, runtime)
  const expected = parseChecksumFile(await fs.readFile(checksumFile, 'utf8'), download)
  await fs.rm(checksumFile, { force: true })
  runtime.info(`Downloading ${download.archiveUrl}`)
  const archive = await fetchFile(download.archiveUrl, download, params, runtime)
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

async function fetchFile(
  url: string,
  download: HelmDownload,
  params: HelmInstallParams,
  runtime: HelmInstallDeps['runtime'],
): Promise<string> {
  try {
    return await runtime.toolCache.download(url)
  } catch (error) {
    throw new ActionError(`Could not download ${url} to install helm ${params.version}.`, {
      cause: error,
      hint: `Check that ${params.version} is a published Helm release (https://github.com/helm/helm/releases) and that helm-mirror (${params.mirror}) serves ${download.archiveName} and ${download.archiveName}.sha256sum. Or install helm in an earlier step and set \`helm-version: system\`.`,
    })
  }
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

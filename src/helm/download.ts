import { ActionError } from '../lib/errors.js'

/** How helm.sh names a platform in its release archives (helm-<version>-<os>-<arch>.<archive>). */
export interface HelmPlatform {
  readonly os: 'linux' | 'darwin' | 'windows'
  readonly arch: 'amd64' | 'arm64'
  readonly archive: 'tar.gz' | 'zip'
  readonly binary: 'helm' | 'helm.exe'
}

const OS_NAMES: Readonly<Record<string, HelmPlatform['os']>> = {
  linux: 'linux',
  darwin: 'darwin',
  win32: 'windows',
}
const ARCH_NAMES: Readonly<Record<string, HelmPlatform['arch']>> = { x64: 'amd64', arm64: 'arm64' }

/** Maps Node's process.platform/process.arch to helm's archive naming. */
export function helmPlatform(nodePlatform: string, nodeArch: string): HelmPlatform {
  const os = OS_NAMES[nodePlatform]
  const arch = ARCH_NAMES[nodeArch]
  if (os === undefined || arch === undefined) {
    throw new ActionError(
      `No helm download for this runner (${nodePlatform}/${nodeArch}): the action installs helm on Linux, macOS and Windows, amd64 and arm64.`,
      { hint: 'Install helm in an earlier step and set `helm-version: system` to use the helm on the PATH.' },
    )
  }
  return os === 'windows'
    ? { os, arch, archive: 'zip', binary: 'helm.exe' }
    : { os, arch, archive: 'tar.gz', binary: 'helm' }
}

export interface HelmDownload {
  readonly archiveName: string
  readonly archiveUrl: string
  readonly checksumUrl: string
  /** The directory inside the archive that holds the binary (`linux-amd64`). */
  readonly innerDir: string
}

/** helm.sh publishes `<archive>.sha256sum` (`<hex>  <archive name>`) beside every archive. */
export function helmDownload(mirror: string, version: string, platform: HelmPlatform): HelmDownload {
  const innerDir = `${platform.os}-${platform.arch}`
  const archiveName = `helm-${version}-${innerDir}.${platform.archive}`
  const archiveUrl = `${mirror.replace(/\/+$/, '')}/${archiveName}`
  return { archiveName, archiveUrl, checksumUrl: `${archiveUrl}.sha256sum`, innerDir }
}

/**
 * The SHA-256 in a checksum file: `<hex>  <name>` (sha256sum's format, `*<name>` in binary mode)
 * or a bare `<hex>`. A file naming another archive is refused rather than trusted.
 */
export function parseChecksumFile(text: string, download: HelmDownload): string {
  const match = /^\s*([0-9a-fA-F]{64})(?:\s+\*?(\S+))?\s*$/m.exec(text)
  const hex = match?.[1]
  if (hex === undefined) {
    throw new ActionError(`${download.checksumUrl} does not hold a SHA-256 checksum.`, {
      hint: `The mirror must serve ${download.archiveName}.sha256sum as helm.sh does: "<64 hex digits>  ${download.archiveName}".`,
    })
  }
  const named = match?.[2]
  if (named !== undefined && named !== download.archiveName) {
    throw new ActionError(
      `${download.checksumUrl} is the checksum of ${named}, not of ${download.archiveName}.`,
      { hint: 'The mirror serves a wrong checksum file; fix the mirror (helm-mirror input).' },
    )
  }
  return hex.toLowerCase()
}

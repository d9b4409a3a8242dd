/** A helm version as `helm version` reports it, without build metadata (`v4.1.4`). */
export interface HelmVersionInfo {
  readonly text: string
  readonly major: number
  readonly minor: number
  readonly patch: number
}

const VERSION_PATTERN = /v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?/

/**
 * Reads the version out of `helm version --template {{.Version}}` (`v4.1.4`), `--short`
 * (`v3.17.3+ge4da497`) or the full `version.BuildInfo{Version:"v3.2.1", ...}` line.
 */
export function parseHelmVersion(output: string): HelmVersionInfo | undefined {
  const match = VERSION_PATTERN.exec(output)
  if (match?.[1] === undefined || match[2] === undefined || match[3] === undefined) return undefined
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])]
  return { text: `v${major}.${minor}.${patch}${match[4] ?? ''}`, major, minor, patch }
}

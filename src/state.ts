/**
 * What the main step leaves behind for the post step, saved with saveState (GITHUB_STATE) and read back
 * as STATE_<name>. One JSON value, so adding a phase never adds a state name.
 */
export interface CleanupState {
  /** Files and directories the main step created (kubeconfig, docker config dir, credential files). */
  readonly paths: readonly string[]
}

export const CLEANUP_STATE_NAME = 'cleanup'

export function encodeCleanupState(state: CleanupState): string {
  return JSON.stringify(state)
}

export function decodeCleanupState(raw: string | undefined): CleanupState {
  if (raw === undefined || raw.trim() === '') return { paths: [] }
  try {
    const parsed = JSON.parse(raw) as { paths?: unknown }
    const paths = Array.isArray(parsed.paths)
      ? parsed.paths.filter((p): p is string => typeof p === 'string')
      : []
    return { paths }
  } catch {
    return { paths: [] }
  }
}

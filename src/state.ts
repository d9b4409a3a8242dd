/**
 * What the main step leaves behind for the post step, saved with core.saveState and read back
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

/**
 * Collects what the phases created and saves the whole list at each addition, so that a phase
 * failing later still leaves the post step everything made before it.
 */
export class CleanupRecorder {
  private readonly paths: string[] = []

  constructor(private readonly store: { saveState(name: string, value: string): void }) {}

  add(paths: readonly string[]): void {
    if (paths.length === 0) return
    this.paths.push(...paths)
    this.store.saveState(CLEANUP_STATE_NAME, encodeCleanupState({ paths: this.paths }))
  }
}

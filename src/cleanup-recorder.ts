import type { Runtime } from './runtime.js'
import { CLEANUP_STATE_NAME, encodeCleanupState } from './state.js'

/**
 * Collects what the phases created and saves the whole list to the post step's state each time,
 * right after a phase returns: a later phase that fails (or a sibling running concurrently) must
 * not keep the post step from removing a kubeconfig or a credentials file already written.
 */
export class CleanupRecorder {
  private readonly paths: string[] = []

  constructor(private readonly runtime: Pick<Runtime, 'saveState'>) {}

  add(paths: readonly string[]): void {
    if (paths.length === 0) return
    this.paths.push(...paths)
    this.runtime.saveState(CLEANUP_STATE_NAME, encodeCleanupState({ paths: this.paths }))
  }
}

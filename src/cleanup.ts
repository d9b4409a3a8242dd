import { promises as fs } from 'node:fs'
import * as runner from './runner-protocol.js'
import { CLEANUP_STATE_NAME, decodeCleanupState } from './state.js'

/** Removes what the main step recorded. Never fails the job: a leftover file is a warning. */
export async function removeCreatedPaths(
  paths: readonly string[],
  log: { info(message: string): void; warning(message: string): void },
): Promise<void> {
  for (const path of [...paths].reverse()) {
    try {
      await fs.rm(path, { recursive: true, force: true })
      log.info(`Removed ${path}`)
    } catch (error) {
      log.warning(`Could not remove ${path}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
}

export async function runPostStep(): Promise<void> {
  try {
    const state = decodeCleanupState(runner.getState(CLEANUP_STATE_NAME))
    await removeCreatedPaths(state.paths, runner)
  } catch (error) {
    runner.warning(`Cleanup failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}

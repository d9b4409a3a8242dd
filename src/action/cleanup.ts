import { promises as fs } from 'node:fs'
import type { Runtime } from '../runner/runtime.js'

/**
 * The post step's part of the run: what the main step created, saved to GITHUB_STATE (read back as
 * STATE_cleanup) and removed when the job ends. One JSON value, so adding a phase never adds a state name.
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
 * Collects what the phases created and saves the whole list to the post step's state each time,
 * the moment a phase reports it: a later phase that fails (or a sibling running concurrently) must
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

/** What the post step needs of the runner. */
export interface PostStepIo {
  getState(name: string): string
  info(message: string): void
  warning(message: string): void
}

/** Removes what the main step recorded. Never fails the job: a leftover file is a warning. */
export async function removeCreatedPaths(
  paths: readonly string[],
  log: Pick<PostStepIo, 'info' | 'warning'>,
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

/** The post step: undoes what the main step saved in its state, and warns rather than fails. */
export async function runPostStep(io: PostStepIo): Promise<void> {
  try {
    const state = decodeCleanupState(io.getState(CLEANUP_STATE_NAME))
    await removeCreatedPaths(state.paths, io)
  } catch (error) {
    io.warning(`Cleanup failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}

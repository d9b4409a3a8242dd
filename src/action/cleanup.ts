import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { nonEmpty, type Env } from '../lib/env.js'
import { PRIVATE_DIR_PREFIXES } from '../lib/private-file.js'
import type { Publisher } from '../runner/runtime.js'
import { messageOf } from '../lib/errors.js'
import { decodeSavedLeases, sameLease, type SavedLease } from '../kube/saved-lease.js'

/**
 * The post step's part of the run: what the main step created, saved to GITHUB_STATE (read back as
 * STATE_cleanup) and removed when the job ends. One JSON value, so adding a phase never adds a state name.
 */
export interface CleanupState {
  /** Files and directories the main step created (kubeconfig, docker config dir, credential files). */
  readonly paths: readonly string[]
  /** Release locks the main step holds: it drops each from here once it gave it up itself. */
  readonly leases: readonly SavedLease[]
}

export const CLEANUP_STATE_NAME = 'cleanup'

export function encodeCleanupState(state: CleanupState): string {
  return JSON.stringify(state)
}

export function decodeCleanupState(raw: string | undefined): CleanupState {
  if (raw === undefined || raw.trim() === '') return { paths: [], leases: [] }
  try {
    const parsed = JSON.parse(raw) as { paths?: unknown; leases?: unknown }
    const paths = Array.isArray(parsed.paths)
      ? parsed.paths.filter((p): p is string => typeof p === 'string')
      : []
    return { paths, leases: decodeSavedLeases(parsed.leases) }
  } catch {
    return { paths: [], leases: [] }
  }
}

/**
 * Collects what the phases created and saves the whole list to the post step's state each time,
 * the moment a phase reports it: a later phase that fails (or a sibling running concurrently) must
 * not keep the post step from removing a kubeconfig or a credentials file already written.
 */
export class CleanupRecorder {
  private readonly paths: string[] = []
  private leases: SavedLease[] = []

  constructor(private readonly runtime: Pick<Publisher, 'saveState'>) {}

  add(paths: readonly string[]): void {
    if (paths.length === 0) return
    this.paths.push(...paths)
    this.save()
  }

  holdLease(lease: SavedLease): void {
    this.leases.push(lease)
    this.save()
  }

  dropLease(lease: SavedLease): void {
    const kept = this.leases.filter((held) => !sameLease(held, lease))
    if (kept.length === this.leases.length) return
    this.leases = kept
    this.save()
  }

  private save(): void {
    const state = { paths: this.paths, leases: this.leases }
    this.runtime.saveState(CLEANUP_STATE_NAME, encodeCleanupState(state))
  }
}

/** What the post step needs of the runner. */
export interface PostStepIo {
  getState(name: string): string
  info(message: string): void
  warning(message: string): void
}

/**
 * Removes what the main step recorded, and only that: a directory the action names as its own
 * (PRIVATE_DIR_PREFIXES) directly under RUNNER_TEMP, never a symlink, never anything else the state
 * might name. Never fails the job: a leftover is a warning.
 */
export async function removeCreatedPaths(
  paths: readonly string[],
  runnerTemp: string,
  log: Pick<PostStepIo, 'info' | 'warning'>,
): Promise<void> {
  const temp = await realpathOrSelf(runnerTemp)
  for (const target of [...paths].reverse()) {
    try {
      const refusal = await whyNotOurs(target, temp)
      if (refusal === 'gone') log.info(`${target} was already gone.`)
      else if (refusal !== undefined) log.warning(`Not removing ${target}: ${refusal}`)
      else {
        await fs.rm(target, { recursive: true, force: true })
        log.info(`Removed ${target}`)
      }
    } catch (error) {
      log.warning(`Could not remove ${target}: ${messageOf(error)}`)
    }
  }
}

/** Why `target` is not a directory this action made under `temp` ('gone' when it does not exist). */
async function whyNotOurs(target: string, temp: string): Promise<string | undefined> {
  const name = path.basename(target)
  const isOurName = PRIVATE_DIR_PREFIXES.some((prefix) => name.startsWith(prefix))
  if (!path.isAbsolute(target) || !isOurName || (await realpathOrSelf(path.dirname(target))) !== temp) {
    return `the action removes only the directories it made in RUNNER_TEMP (${temp}).`
  }
  let stat: import('node:fs').Stats
  try {
    stat = await fs.lstat(target)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone'
    throw error
  }
  return stat.isDirectory() ? undefined : 'it is not a directory (the action made a directory there).'
}

async function realpathOrSelf(file: string): Promise<string> {
  return fs.realpath(file).catch(() => path.resolve(file))
}

/**
 * The post step: undoes what the main step saved in its state, and warns rather than fails. A release
 * lock the main step still held (a cancelled job) is given up first, while the kubeconfig and the
 * credentials file it reaches the cluster with are still there.
 */
export async function runPostStep(
  io: PostStepIo,
  env: Env,
  releaseLeases = releaseLeftLeases,
): Promise<void> {
  try {
    const state = decodeCleanupState(io.getState(CLEANUP_STATE_NAME))
    if (state.leases.length > 0) await releaseLeases(state.leases, env, io)
    await removeCreatedPaths(state.paths, nonEmpty(env, 'RUNNER_TEMP') ?? os.tmpdir(), io)
  } catch (error) {
    io.warning(`Cleanup failed: ${messageOf(error)}`)
  }
}

/** The Kubernetes client (a large module) loads only when a lease was left: never after a finished deploy. */
async function releaseLeftLeases(
  leases: readonly SavedLease[],
  env: Env,
  log: Pick<PostStepIo, 'info' | 'warning'>,
): Promise<void> {
  const { releaseLeases } = await import('./cleanup-leases.js')
  await releaseLeases(leases, env, log)
}

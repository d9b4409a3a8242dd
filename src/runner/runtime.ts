import type { DownloadLimits } from './download.js'

/**
 * The side effects of a run. Only actions-runtime.ts implements them for a real run; tests pass a
 * fake (see __tests__/fixtures/fake-runtime.ts).
 */
export interface ExecRequest {
  readonly env?: Readonly<Record<string, string>>
  /** Written to the child's stdin (passwords go here, never into argv). */
  readonly input?: string
  readonly cwd?: string
  /** Relay the child's output to the log as it comes, whole lines at a time (default true). */
  readonly shouldStream?: boolean
  /** Pass SIGINT/SIGTERM of the action on to the child and wait for it (helm upgrade). */
  readonly shouldForwardSignals?: boolean
  /**
   * Streamed output waits for this: printed when it resolves true, dropped when it resolves false (a helm
   * started ahead of the deploy's pre-flight, printed only if it is the one that runs).
   */
  readonly holdOutput?: Promise<boolean>
  /** Stops the child when it aborts: SIGTERM (helm then rolls back and exits), SIGKILL if it has not ended 30 s later. */
  readonly stop?: AbortSignal
}

export interface ExecResult {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

export interface ToolCache {
  find(tool: string, version: string, arch: string): Promise<string>
  /** Downloads to a new file under RUNNER_TEMP within `limits` (one attempt; the caller retries). */
  download(url: string, limits: DownloadLimits): Promise<string>
  extract(archive: string, kind: 'tar.gz' | 'zip'): Promise<string>
  cacheDir(dir: string, tool: string, version: string, arch: string): Promise<string>
}

export interface Logger {
  info(message: string): void
  debug(message: string): void
  /** Something the user should see but that is no failure (a fork's read-only token, nothing to uninstall). */
  notice(message: string): void
  warning(message: string): void
}

/**
 * What a phase gets of the runner: logging, masking, programs, the tool cache and the clock. It cannot
 * publish (outputs, variables, summary, state): that is ActionRuntime's, given only to action/publish.ts
 * and action/cleanup.ts.
 */
export interface Runtime extends Logger {
  /**
   * Prints text another program wrote (helm, kubectl, a container's log) so that none of its lines can
   * act as a workflow command: the runner ignores commands between ::stop-commands:: and its end token.
   */
  relay(text: string): void
  /** Registers a secret with the runner's log masker. Call it the moment the secret exists. */
  setSecret(secret: string): void
  group<T>(title: string, fn: () => Promise<T>): Promise<T>
  exec(command: string, args: readonly string[], request?: ExecRequest): Promise<ExecResult>
  addPath(dir: string): void
  readonly toolCache: ToolCache
  now(): number
  /**
   * Resolves after `ms`, or as soon as `signal` aborts: the timer is then cleared, so a sleep cut
   * short never keeps the process alive.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

/** What a run tells the runner once the phases are done: outputs, variables, the job summary, the post step's state. */
export interface Publisher {
  /**
   * The text with every value registered by setSecret replaced by ***: for what the runner does not mask
   * itself (the job summary, outputs built from other programs' text).
   */
  redact(text: string): string
  setOutput(name: string, value: string): void
  exportVariable(name: string, value: string): void
  /** Appends markdown to the job summary (GITHUB_STEP_SUMMARY). */
  appendSummary(markdown: string): Promise<void>
  saveState(name: string, value: string): void
}

/** The whole runner, as main.ts creates it; the orchestrator hands phases only its Runtime part. */
export interface ActionRuntime extends Runtime, Publisher {}

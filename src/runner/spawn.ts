import { spawn, type ChildProcess } from 'node:child_process'
import type { ExecRequest, ExecResult } from './runtime.js'

/** What a child process's output and the runner's signals go through. */
export interface SpawnIo {
  /** Prints other programs' text so that none of it can act as a workflow command (Runtime.relay). */
  relay(text: string): void
  warning(message: string): void
}

/** After SIGTERM for an abort, how long the child has to finish cleanly (helm rolls back) before SIGKILL. */
export const KILL_GRACE_MS = 30_000

/**
 * Runs a program (argv, never a shell) and collects its output. Why not @actions/exec: it hides the
 * child process, so it can neither pass the runner's SIGINT/SIGTERM on (helm killed mid-upgrade
 * leaves the release pending-upgrade) nor stop a child that hangs on a silent API server. Streamed
 * output goes through `relay` a batch of whole lines at a time, so the action's own commands (masks,
 * warnings) still work between batches.
 */
export function spawnProcess(
  command: string,
  args: readonly string[],
  request: ExecRequest,
  io: SpawnIo,
  killGraceMs = KILL_GRACE_MS,
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      env: request.env === undefined ? process.env : { ...request.env },
      cwd: request.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const stopping = stopOnAbort(child, request.stop, killGraceMs)
    const forwarding = request.shouldForwardSignals === true ? forwardSignals(child, command, io) : undefined
    const done = (): void => {
      forwarding?.dispose()
      stopping.dispose()
    }
    const print = heldUntil(request.holdOutput, (text) => {
      io.relay(text)
    })
    const relay = (): LineRelay | undefined =>
      request.shouldStream === false ? undefined : new LineRelay(print)
    const stdout = collect(child.stdout, relay())
    const stderr = collect(child.stderr, relay())
    child.stdin.on('error', () => undefined)
    child.stdin.end(request.input ?? '')
    child.on('error', (error) => {
      done()
      reject(error)
    })
    child.on('close', (code, signal) => {
      done()
      resolve({ exitCode: code ?? (signal === null ? 1 : 128), stdout: stdout(), stderr: stderr() })
    })
  })
}

/** The runner's SIGINT/SIGTERM (a cancelled job) go on to the child, which can then end cleanly. */
function forwardSignals(child: ChildProcess, command: string, io: SpawnIo): { dispose(): void } {
  const forward = (signal: NodeJS.Signals): void => {
    io.warning(`Received ${signal}: passing it to ${command} and waiting for it to finish cleanly.`)
    child.kill(signal)
  }
  process.on('SIGINT', forward).on('SIGTERM', forward)
  return {
    dispose: () => {
      process.off('SIGINT', forward).off('SIGTERM', forward)
    },
  }
}

/** An abort stops the child as the runner would: SIGTERM, then SIGKILL after killGraceMs. */
function stopOnAbort(
  child: ChildProcess,
  signal: AbortSignal | undefined,
  killGraceMs: number,
): { dispose(): void } {
  let killTimer: NodeJS.Timeout | undefined
  const stop = (): void => {
    child.kill('SIGTERM')
    killTimer = setTimeout(() => child.kill('SIGKILL'), killGraceMs)
  }
  if (signal?.aborted === true) stop()
  else signal?.addEventListener('abort', stop, { once: true })
  return {
    dispose: () => {
      signal?.removeEventListener('abort', stop)
      clearTimeout(killTimer)
    },
  }
}

/**
 * `print`, or, while `hold` is pending, a buffer: printed when it resolves true, dropped when false (the
 * output of a helm started ahead that was then not used).
 */
function heldUntil(
  hold: Promise<boolean> | undefined,
  print: (text: string) => void,
): (text: string) => void {
  if (hold === undefined) return print
  let held: string[] | undefined = []
  let isDropped = false
  void hold.then(
    (shouldPrint) => {
      if (shouldPrint) for (const text of held ?? []) print(text)
      else isDropped = true
      held = undefined
    },
    () => {
      isDropped = true
      held = undefined
    },
  )
  return (text) => {
    if (held !== undefined) held.push(text)
    else if (!isDropped) print(text)
  }
}

function collect(stream: NodeJS.ReadableStream, relay: LineRelay | undefined): () => string {
  let text = ''
  stream.on('data', (chunk: Buffer) => {
    const part = chunk.toString()
    text += part
    relay?.push(part)
  })
  stream.on('end', () => relay?.flush())
  return () => text
}

/** Whole lines, a batch at a time; a partial line waits for its end (or for the stream's). */
export class LineRelay {
  private pending = ''

  constructor(private readonly relay: (text: string) => void) {}

  push(text: string): void {
    const all = this.pending + text
    const end = all.lastIndexOf('\n')
    // A line that never ends is not held for ever: past 64 KiB it goes out as it is.
    if (end === -1 && all.length < MAX_PENDING) {
      this.pending = all
      return
    }
    const cut = end === -1 ? all.length : end + 1
    this.pending = all.slice(cut)
    this.relay(all.slice(0, cut))
  }

  flush(): void {
    if (this.pending !== '') this.relay(this.pending)
    this.pending = ''
  }
}

const MAX_PENDING = 64 * 1024

import { spawn } from 'node:child_process'
import { performance } from 'node:perf_hooks'

export interface ProcessRun {
  /** From spawn until the process exited and its output closed: what a workflow step waits for. */
  readonly ms: number
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

export interface ProcessRequest {
  readonly command: string
  readonly args: readonly string[]
  /** The whole environment of the child: nothing of the bench's own environment leaks in. */
  readonly env: Readonly<Record<string, string>>
  readonly timeoutMs?: number
}

export function timeProcess(request: ProcessRequest): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(request.command, [...request.args], {
      env: { ...request.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), request.timeoutMs ?? 60_000)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ ms: performance.now() - started, exitCode: code ?? -1, stdout, stderr })
    })
  })
}

/** The first `::error::` the action printed, decoded (%0A is a newline in workflow commands). */
export function firstError(stdout: string): string | undefined {
  const line = stdout.split('\n').find((text) => text.startsWith('::error'))
  if (line === undefined) return undefined
  return line
    .replace(/^::error[^:]*::/, '')
    .replace(/%0A/g, '\n')
    .replace(/%0D/g, '')
    .replace(/%25/g, '%')
}

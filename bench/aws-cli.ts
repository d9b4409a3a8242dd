import { spawnSync } from 'node:child_process'
import { closeSync, openSync, readSync } from 'node:fs'
import path from 'node:path'

/** How to start the AWS CLI without a version manager's shim in between. */
export interface AwsCli {
  /** The program to start, and the arguments before the CLI's own (interpreter + script). */
  readonly command: string
  readonly prefixArgs: readonly string[]
  /** The CLI entry the command runs. */
  readonly entry: string
  readonly foundBy: string
  readonly version: string
}

export type AwsCliLookup =
  { readonly kind: 'found'; readonly cli: AwsCli } | { readonly kind: 'missing'; readonly reason: string }

/**
 * BENCH_AWS_CLI when set; else what `pyenv which aws` names (the shim on the PATH costs 50-300 ms a
 * call: it is a bash script that asks pyenv which Python to run); else `aws` from the PATH.
 * A script entry (`#!/path/to/python`) is started as `python <script>`, as the shim would end up doing.
 */
export function findAwsCli(env: NodeJS.ProcessEnv): AwsCliLookup {
  const located = locateProgram('aws', { variable: 'BENCH_AWS_CLI', value: env.BENCH_AWS_CLI }, env)
  if ('missing' in located) return { kind: 'missing', reason: located.missing }
  const { command, prefixArgs } = interpreterOf(located.entry)
  const probe = spawnSync(command, [...prefixArgs, '--version'], {
    env: { PATH: env.PATH ?? '/usr/bin:/bin', HOME: env.HOME ?? '/tmp' },
    encoding: 'utf8',
  })
  const version = `${probe.stdout}${probe.stderr}`.trim().split('\n')[0] ?? ''
  if (probe.status !== 0 || !version.startsWith('aws-cli/')) {
    return {
      kind: 'missing',
      reason: `${located.entry} (${located.foundBy}) did not run: ${version || String(probe.error)}`,
    }
  }
  return {
    kind: 'found',
    cli: { command, prefixArgs, entry: located.entry, foundBy: located.foundBy, version },
  }
}

/** The real entry of a Python program: the override, else through pyenv's shim, else the PATH. */
export function locateProgram(
  name: string,
  override: { readonly variable: string; readonly value: string | undefined } | undefined,
  env: NodeJS.ProcessEnv,
): { entry: string; foundBy: string } | { missing: string } {
  const wanted = override?.value?.trim()
  if (override !== undefined && wanted !== undefined && wanted !== '') {
    const entry = path.isAbsolute(wanted) ? wanted : commandPath(wanted, env)
    return entry === undefined
      ? { missing: `${override.variable}=${wanted} is not a program` }
      : { entry, foundBy: override.variable }
  }
  if (commandPath('pyenv', env) !== undefined) {
    const which = spawnSync('pyenv', ['which', name], { env, encoding: 'utf8' })
    const entry = which.stdout.trim()
    if (which.status === 0 && entry !== '') return { entry, foundBy: `\`pyenv which ${name}\`` }
  }
  const entry = commandPath(name, env)
  return entry === undefined
    ? { missing: `no \`${name}\` on the PATH (set BENCH_AWS_CLI to the CLI entry)` }
    : { entry, foundBy: `\`${name}\` on the PATH` }
}

function commandPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v "$0"', name], { env, encoding: 'utf8' })
  const resolved = found.stdout.trim()
  return found.status === 0 && resolved !== '' ? resolved : undefined
}

/** `#!/usr/bin/python3 -E` → python3 with [-E, script]; a binary runs as itself. */
export function interpreterOf(entry: string): { command: string; prefixArgs: string[] } {
  const buffer = Buffer.alloc(256)
  let length = 0
  try {
    const fd = openSync(entry, 'r')
    try {
      length = readSync(fd, buffer, 0, buffer.length, 0)
    } finally {
      closeSync(fd)
    }
  } catch {
    return { command: entry, prefixArgs: [] }
  }
  const firstLine = buffer.subarray(0, length).toString('utf8').split('\n')[0] ?? ''
  if (!firstLine.startsWith('#!')) return { command: entry, prefixArgs: [] }
  const [interpreter, ...args] = firstLine.slice(2).trim().split(/\s+/)
  return interpreter === undefined || interpreter === ''
    ? { command: entry, prefixArgs: [] }
    : { command: interpreter, prefixArgs: [...args, entry] }
}

import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ROOT } from '../../__tests__/fixtures/action-runner.js'
import { labCommand, readEksLab, type EksLab } from '../../__tests__/fixtures/lab.js'
import { paint, say } from './style.js'

/** The cluster the demo deploys to, or why there is none; stop() undoes only what the demo started. */
export type LabSession =
  | { readonly lab: EksLab; readonly origin: string; stop(): Promise<void> }
  | { readonly lab: undefined; readonly why: string; stop(): Promise<void> }

/**
 * Where the lab's scripts are (prepare.sh, up.sh, down.sh): `--lab <dir>`, else EKS_LAB_DIR, else
 * ../shared/lab next to this repository, where the team keeps it.
 */
export function labDirOf(argv: readonly string[], env: NodeJS.ProcessEnv): string {
  const flag = argv.indexOf('--lab')
  const given = flag === -1 ? env.EKS_LAB_DIR : argv[flag + 1]
  return path.resolve(given !== undefined && given !== '' ? given : path.join(ROOT, '..', 'shared', 'lab'))
}

const nothing = () => Promise.resolve()

/** `export NAME=value` lines, as up.sh prints them and saves them in $EKS_LAB_STATE/lab.env. */
function parseExports(text: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const match of text.matchAll(/^export ([A-Z_][A-Z0-9_]*)=(.*)$/gm)) {
    if (match[1] !== undefined) env[match[1]] = (match[2] ?? '').replace(/^'(.*)'$/, '$1')
  }
  return env
}

// The lab's own defaults (lib/common.sh): its cache, and the state directory under it.
function labStateDir(env: NodeJS.ProcessEnv): string {
  const cache =
    env.EKS_LAB_CACHE ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'eks-lab')
  return path.resolve(env.EKS_LAB_STATE ?? path.join(cache, 'run'))
}

async function isServing(lab: EksLab): Promise<boolean> {
  return labCommand(lab, lab.kubectl, ['get', '--raw', '/readyz']).then(
    (answer) => answer.trim() === 'ok',
    () => false,
  )
}

function runLabScript(
  labDir: string,
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(labDir, script), [], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => process.stdout.write(paint('gray', chunk.toString())))
    child.on('error', reject)
    child.on('close', (code) => {
      resolve({ code: code ?? 1, stdout })
    })
  })
}

/**
 * The EKS lab of `labDir` (a Kubernetes API server with EKS's token webhook): the one the
 * environment names (EKS_LAB_*, from `eval "$(up.sh)"`), else the one running in its state directory
 * (EKS_LAB_STATE or the lab's default), else one the demo starts and stops again.
 */
export async function openLab(env: NodeJS.ProcessEnv, labDir: string): Promise<LabSession> {
  const named = readEksLab(env)
  if (named !== undefined)
    return { lab: named, origin: `the EKS lab at ${named.server} (EKS_LAB_*)`, stop: nothing }
  if (!existsSync(path.join(labDir, 'up.sh'))) {
    return {
      lab: undefined,
      why: `there is no EKS lab (no ${path.join(labDir, 'up.sh')}; EKS_LAB_SERVER not set)`,
      stop: nothing,
    }
  }
  const state = labStateDir(env)
  const saved = path.join(state, 'lab.env')
  const running = existsSync(saved)
    ? readEksLab({ ...env, ...parseExports(readFileSync(saved, 'utf8')) })
    : undefined
  if (running !== undefined && (await isServing(running))) {
    return {
      lab: running,
      origin: `the EKS lab already running at ${running.server} (${state})`,
      stop: nothing,
    }
  }
  say(`  Starting the EKS lab of ${labDir} (${labDir}/up.sh, state in ${state}; about 10 s)...`)
  const labEnv = { ...env, EKS_LAB_STATE: state }
  const up = await runLabScript(labDir, 'up.sh', labEnv)
  const started = up.code === 0 ? readEksLab({ ...env, ...parseExports(up.stdout) }) : undefined
  const stop = async () => {
    say(paint('gray', '  Stopping the EKS lab the demo started...'))
    await runLabScript(labDir, 'down.sh', labEnv)
  }
  if (started === undefined) {
    await stop()
    return {
      lab: undefined,
      why: `the EKS lab did not start (run ${labDir}/prepare.sh once: it builds the lab in 7-10 min)`,
      stop: nothing,
    }
  }
  return { lab: started, origin: `the EKS lab of ${labDir}, started by the demo at ${started.server}`, stop }
}

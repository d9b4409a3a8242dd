import { existsSync, readFileSync, watch, writeFileSync } from 'node:fs'
import path from 'node:path'

/**
 * Set in the environment of a helm the deploy step started ahead of its pre-flight (phases/deploy/
 * ahead.ts): the step's gate file (helm/gate.ts), in its private helm directory. helm passes its
 * environment on to this plugin, its only credential, which answers helm only once the step has
 * written `open` there.
 */
export const HELM_GATE_ENV = 'EKS_DEPLOY_ACTION_HELM_GATE'
/** The step's process id: a plugin whose step has ended gives up instead of waiting for ever. */
export const HELM_GATE_PID_ENV = 'EKS_DEPLOY_ACTION_HELM_GATE_PID'

/** The gate file's one line: `open`, or `refused <why>`. */
export const GATE_OPEN = 'open'
export const GATE_REFUSED = 'refused '
/** Beside the gate file: written by the plugin when it starts to wait (its time is when helm asked). */
export const ASKED_SUFFIX = '.asked'

/** How often the plugin looks, besides being woken by the file's creation. */
const POLL_MS = 25

/**
 * Resolves once the step that started helm lets it through; rejects when the step refused (its
 * pre-flight stopped the deploy, or helm's command changed) or has ended. helm then gets no token
 * and ends before its first request to the cluster.
 */
export async function passGate(file: string, stepPid: number | undefined): Promise<void> {
  try {
    writeFileSync(`${file}${ASKED_SUFFIX}`, '', { mode: 0o600 })
  } catch {
    // Only the step's timeline loses the time helm was held.
  }
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined
    let watcher: ReturnType<typeof watch> | undefined
    let isDone = false
    const done = (error?: Error): void => {
      isDone = true
      clearTimeout(timer)
      watcher?.close()
      if (error === undefined) resolve()
      else reject(error)
    }
    const look = (): void => {
      if (isDone) return
      const answer = readAnswer(file)
      if (answer === GATE_OPEN) done()
      else if (answer?.startsWith(GATE_REFUSED) === true)
        done(
          new Error(
            `the deploy step started helm ahead of its pre-flight and stopped it: ${answer.slice(GATE_REFUSED.length)}`,
          ),
        )
      else if (answer !== undefined) done(new Error(`unexpected answer in ${file}`))
      else if (stepPid !== undefined && !isAlive(stepPid))
        done(new Error('the deploy step that started helm ended without letting it run'))
      else timer = setTimeout(look, POLL_MS)
    }
    try {
      watcher = watch(path.dirname(file), () => {
        clearTimeout(timer)
        look()
      })
      watcher.on('error', () => undefined)
    } catch {
      // Polling alone then.
    }
    look()
  })
}

function readAnswer(file: string): string | undefined {
  if (!existsSync(file)) return undefined
  try {
    return readFileSync(file, 'utf8').split('\n')[0]
  } catch {
    return undefined
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

import type { Runtime } from './runtime.js'

type Level = 'info' | 'debug' | 'warning'

/**
 * Runs a phase that runs alongside others: its log lines are held and printed as one group when
 * it ends, since the runner's groups cannot interleave. Secrets are still masked at once.
 */
export async function runInBufferedGroup<T>(
  runtime: Runtime,
  title: string,
  fn: (buffered: Runtime) => Promise<T>,
): Promise<T> {
  const lines: [Level, string][] = []
  const hold =
    (level: Level) =>
    (message: string): void => {
      lines.push([level, message])
    }
  const buffered: Runtime = {
    info: hold('info'),
    debug: hold('debug'),
    warning: hold('warning'),
    setSecret: (secret) => {
      runtime.setSecret(secret)
    },
    group: (_title, inner) => inner(),
    exec: (command, args, request) => runtime.exec(command, args, request),
    setOutput: (name, value) => {
      runtime.setOutput(name, value)
    },
    exportVariable: (name, value) => {
      runtime.exportVariable(name, value)
    },
    appendSummary: (markdown) => runtime.appendSummary(markdown),
    saveState: (name, value) => {
      runtime.saveState(name, value)
    },
    addPath: (dir) => {
      runtime.addPath(dir)
    },
    toolCache: runtime.toolCache,
    now: () => runtime.now(),
    sleep: (ms) => runtime.sleep(ms),
  }
  try {
    return await fn(buffered)
  } finally {
    await runtime.group(title, () => {
      for (const [level, message] of lines) runtime[level](message)
      return Promise.resolve()
    })
  }
}

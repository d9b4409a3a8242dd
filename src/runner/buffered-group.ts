import type { Runtime } from './runtime.js'

type Level = 'info' | 'debug' | 'notice' | 'warning' | 'relay'
type Line = readonly [Level, string]

/**
 * Runs work that runs alongside other work: the runner's log groups cannot interleave, so its log
 * lines are held and printed when it ends, in the groups it opened (titles as it gave them), even
 * when it fails. Secrets are still masked at once; everything else passes straight through.
 */
export async function runBuffered<T>(runtime: Runtime, fn: (buffered: Runtime) => Promise<T>): Promise<T> {
  const held = holdLog(runtime)
  try {
    return await fn(held.runtime)
  } finally {
    await held.flush()
  }
}

/** A runtime whose log lines (in the groups it opened) are held until flush(), or dropped with the work. */
export interface HeldLog {
  readonly runtime: Runtime
  flush(): Promise<void>
}

/**
 * Holds the log of work started ahead of its place in the log (or alongside other work): flush()
 * prints it there. Secrets are still masked at once; everything else passes straight through.
 */
export function holdLog(runtime: Runtime): HeldLog {
  const sections: { title: string | undefined; lines: Line[] }[] = [{ title: undefined, lines: [] }]
  let current = sections[0]
  const hold =
    (level: Level) =>
    (message: string): void => {
      current?.lines.push([level, message])
    }
  const held: Runtime = {
    ...bind(runtime),
    info: hold('info'),
    debug: hold('debug'),
    notice: hold('notice'),
    warning: hold('warning'),
    relay: hold('relay'),
    group: async (title, inner) => {
      const outer = current
      current = { title, lines: [] }
      sections.push(current)
      try {
        return await inner()
      } finally {
        current = outer
      }
    },
  }
  return {
    runtime: held,
    flush: async () => {
      const printed = sections.splice(0)
      for (const section of printed) await replay(runtime, section.title, section.lines)
    },
  }
}

async function replay(runtime: Runtime, title: string | undefined, lines: readonly Line[]): Promise<void> {
  const print = (): Promise<void> => {
    for (const [level, message] of lines) runtime[level](message)
    return Promise.resolve()
  }
  if (title === undefined) await print()
  else await runtime.group(title, print)
}

/** The runtime's members as functions of their own (a spread of an object loses nothing; of a class, its methods). */
function bind(runtime: Runtime): Runtime {
  return {
    info: (message) => {
      runtime.info(message)
    },
    debug: (message) => {
      runtime.debug(message)
    },
    notice: (message) => {
      runtime.notice(message)
    },
    warning: (message) => {
      runtime.warning(message)
    },
    relay: (text) => {
      runtime.relay(text)
    },
    setSecret: (secret) => {
      runtime.setSecret(secret)
    },
    redact: (text) => runtime.redact(text),
    group: (title, fn) => runtime.group(title, fn),
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
    sleep: (ms, signal) => runtime.sleep(ms, signal),
  }
}

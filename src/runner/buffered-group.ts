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
  // Members written out, not spread: a spread of a class instance (FakeRuntime) loses its methods.
  const held: Runtime = {
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
    setSecret: (secret) => {
      runtime.setSecret(secret)
    },
    exec: (command, args, request) => runtime.exec(command, args, request),
    addPath: (dir) => {
      runtime.addPath(dir)
    },
    toolCache: runtime.toolCache,
    now: () => runtime.now(),
    sleep: (ms, signal) => runtime.sleep(ms, signal),
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

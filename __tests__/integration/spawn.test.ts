import { createActionsRuntime } from '../../src/runner/actions-runtime.js'
import { LineRelay, spawnProcess, type SpawnIo } from '../../src/runner/spawn.js'

/** Another program's output, relayed; a child stopped by an abort signal. Real child processes. */
const node = (script: string): [string, string[]] => [process.execPath, ['-e', script]]

function recordingIo(onRelay: (text: string) => void = () => undefined) {
  const relayed: string[] = []
  const warnings: string[] = []
  const io: SpawnIo = {
    relay: (text) => {
      relayed.push(text)
      onRelay(text)
    },
    warning: (message) => warnings.push(message),
  }
  return { io, relayed, warnings }
}

describe('LineRelay', () => {
  test('relays whole lines only, a batch per push; the end of a stream flushes the rest', () => {
    const out: string[] = []
    const relay = new LineRelay((text) => out.push(text))
    relay.push('one\ntw')
    relay.push('o\nthree\nfo')
    relay.push('ur')
    relay.flush()
    expect(out).toEqual(['one\n', 'two\nthree\n', 'four'])
  })

  test('a line that never ends goes out once it passes 64 KiB', () => {
    const out: string[] = []
    const relay = new LineRelay((text) => out.push(text))
    relay.push('x'.repeat(70 * 1024))
    expect(out).toHaveLength(1)
  })
})

describe('spawnProcess', () => {
  test("the child's output reaches relay in whole lines, and is collected whole", async () => {
    // The child finishes its half line only when told to (SIGUSR2, sent once the first batch was
    // relayed): the batches are then the same however the kernel and a loaded machine time the reads.
    let pid = 0
    const { io, relayed } = recordingIo((text) => {
      const told = /^child (\d+)$/m.exec(text)?.[1]
      if (told === undefined) return
      pid = Number(told)
      process.kill(pid, 'SIGUSR2')
    })
    const [command, args] = node(
      "process.on('SIGUSR2', () => { process.stdout.write(' a line\\n::set-output name=x::y'); process.exit(0) }); process.stderr.write('::error::on stderr\\n'); process.stdout.write('child ' + process.pid + '\\n::warning::from the child\\nhalf'); setInterval(() => {}, 1000)",
    )
    const result = await spawnProcess(command, args, {}, io)
    expect(result).toEqual({
      exitCode: 0,
      stdout: `child ${pid}\n::warning::from the child\nhalf a line\n::set-output name=x::y`,
      stderr: '::error::on stderr\n',
    })
    expect(relayed.filter((batch) => batch !== '::error::on stderr\n')).toEqual([
      `child ${pid}\n::warning::from the child\n`,
      'half a line\n',
      '::set-output name=x::y',
    ])
    expect(relayed).toContain('::error::on stderr\n')
  })

  test('shouldStream false: collected, not relayed', async () => {
    const { io, relayed } = recordingIo()
    const [command, args] = node("console.log('quiet')")
    const result = await spawnProcess(command, args, { shouldStream: false }, io)
    expect(result.stdout).toBe('quiet\n')
    expect(relayed).toEqual([])
  })

  test.each([
    [true, ['held 1\nheld 2\n']],
    [false, []],
  ])(
    'holdOutput %s: output waits for it, then is printed (true) or dropped (false)',
    async (shouldPrint, expected) => {
      const { io, relayed } = recordingIo()
      let release: (print: boolean) => void = () => undefined
      const hold = new Promise<boolean>((resolve) => (release = resolve))
      const [command, args] = node("process.stdout.write('held 1\\nheld 2\\n')")
      const result = await spawnProcess(command, args, { holdOutput: hold }, io)
      // The child has ended and its output was read: none of it went out yet.
      expect(relayed).toEqual([])
      release(shouldPrint)
      await hold
      await Promise.resolve()
      expect(relayed).toEqual(expected)
      expect(result.stdout).toBe('held 1\nheld 2\n')
    },
  )

  test('an abort stops the child with SIGTERM (triggered by its own output, not a delay)', async () => {
    const controller = new AbortController()
    const { io } = recordingIo((text) => {
      if (text.includes('ready')) controller.abort()
    })
    const [command, args] = node(
      "process.on('SIGTERM', () => { console.log('got SIGTERM'); process.exit(3) }); console.log('ready'); setInterval(() => {}, 1000)",
    )
    const result = await spawnProcess(command, args, { stop: controller.signal }, io)
    expect(result).toMatchObject({ exitCode: 3, stdout: 'ready\ngot SIGTERM\n' })
  })

  test('a child that ignores SIGTERM gets SIGKILL after the grace period', async () => {
    const controller = new AbortController()
    const { io } = recordingIo((text) => {
      if (text.includes('ready')) controller.abort()
    })
    const [command, args] = node(
      "process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('ready'); setInterval(() => {}, 1000)",
    )
    const result = await spawnProcess(command, args, { stop: controller.signal }, io, 200)
    // Killed by a signal it cannot ignore. Whether it printed before SIGKILL came depends on how soon
    // a loaded machine runs it after SIGTERM: that SIGTERM comes first is the test above.
    expect(result.exitCode).toBe(128)
    expect(result.stdout).toMatch(/^ready\n(ignoring SIGTERM\n)?$/)
  })
})

describe('the Runtime of a real run', () => {
  // What @actions/core prints: process.stdout, captured for the test.
  let written: string[]
  const write = process.stdout.write.bind(process.stdout)
  beforeEach(() => {
    written = []
    process.stdout.write = (chunk: string | Uint8Array): boolean => {
      written.push(String(chunk))
      return true
    }
  })
  afterEach(() => {
    process.stdout.write = write
  })

  /** The workflow commands of what was written, and whether each is inside a stop-commands pause. */
  function commandLines(): { line: string; isPaused: boolean }[] {
    // As the runner reads them: it ends a line at \r\n, \n and a lone \r.
    const lines = written.join('').split(/\r\n|\r|\n/)
    const inside = new Set<number>()
    for (let i = 0, token: string | undefined; i < lines.length; i++) {
      const line = lines[i] ?? ''
      const stop = /^::stop-commands::(.+)$/.exec(line)
      if (token === undefined && stop?.[1] !== undefined) token = stop[1]
      else if (token !== undefined && line === `::${token}::`) token = undefined
      else if (token !== undefined) inside.add(i)
    }
    return lines
      .map((line, i) => ({ line, isPaused: inside.has(i) }))
      .filter(
        ({ line }) => /^\s*(::|##\[)/.test(line) && !/^::(stop-commands::|eks-deploy-action-)/.test(line),
      )
  }

  test("exec: every line of the child's output is printed between ::stop-commands:: and its end token", async () => {
    const [command, args] = node(
      "console.log('::add-mask::not-a-secret'); console.log('::set-output name=image::evil'); console.error('##[warning]legacy form')",
    )
    await createActionsRuntime().exec(command, args)
    expect(commandLines()).toEqual([
      { line: '::add-mask::not-a-secret', isPaused: true },
      { line: '::set-output name=image::evil', isPaused: true },
      { line: '##[warning]legacy form', isPaused: true },
    ])
  })

  test('info: a message quoting a value that would start a command line prints it as text', () => {
    const runtime = createActionsRuntime()
    runtime.info(
      'Release api: revision 1 deployed (chart demo 0.1.0, app 1.0\n  ::set-output name=image::evil)',
    )
    runtime.info('Cluster lab: endpoint https://x\r##[warning]carriage return')
    runtime.info('An ordinary message')
    expect(commandLines()).toEqual([
      { line: '  ::set-output name=image::evil)', isPaused: true },
      { line: '##[warning]carriage return', isPaused: true },
    ])
    expect(written.join('')).toContain('An ordinary message\n')
  })
})

import { paint, say } from './style.js'

/** `::name key=value::message` → name and message, with the runner's escapes (%25 %0D %0A) undone. */
function parseCommand(line: string): { name: string; message: string } | undefined {
  const match = /^::([\w-]+)(?: [^:]*)?::(.*)$/.exec(line)
  if (match?.[1] === undefined) return undefined
  const message = (match[2] ?? '').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
  return { name: match[1], message }
}

const LEVELS: Readonly<Record<string, [Parameters<typeof paint>[0], string]>> = {
  error: ['red', 'Error: '],
  warning: ['yellow', 'Warning: '],
  notice: ['cyan', 'Notice: '],
}

/**
 * Prints an action's stdout as the runner's log viewer shows it: groups as headings, masked values
 * as ***, errors in colour, debug lines hidden (DEMO_DEBUG=1 shows them), and the lines between
 * ::stop-commands:: and its token (helm's output) printed as they are, commands included.
 */
export class RunnerLog {
  private readonly masks: string[] = []
  private stopToken: string | undefined
  private pending = ''
  private inGroup = false

  constructor(private readonly showDebug = process.env.DEMO_DEBUG === '1') {}

  write(chunk: string): void {
    const lines = (this.pending + chunk).split('\n')
    this.pending = lines.pop() ?? ''
    for (const line of lines) this.line(line.replace(/\r$/, ''))
  }

  end(): void {
    if (this.pending !== '') this.line(this.pending)
    this.pending = ''
  }

  private print(text: string): void {
    for (const line of this.mask(text).split('\n')) say(`${this.inGroup ? '    ' : '  '}${line}`)
  }

  private mask(text: string): string {
    return this.masks.reduce((masked, secret) => masked.split(secret).join('***'), text)
  }

  private line(line: string): void {
    if (this.stopToken !== undefined) {
      if (line === `::${this.stopToken}::`) this.stopToken = undefined
      else this.print(paint('gray', line))
      return
    }
    const command = parseCommand(line)
    if (command === undefined) {
      this.print(line)
      return
    }
    this.command(command.name, command.message)
  }

  private command(name: string, message: string): void {
    const level = LEVELS[name]
    if (level !== undefined) {
      this.print(paint(level[0], `${level[1]}${message}`))
      return
    }
    switch (name) {
      case 'add-mask':
        if (message !== '') this.masks.push(message)
        return
      case 'stop-commands':
        this.stopToken = message
        return
      case 'group':
        this.inGroup = false
        this.print(paint('bold', `▸ ${message}`))
        this.inGroup = true
        return
      case 'endgroup':
        this.inGroup = false
        return
      case 'debug':
        if (this.showDebug) this.print(paint('gray', message))
        return
      default:
        this.print(paint('gray', `::${name}::${message}`))
    }
  }
}

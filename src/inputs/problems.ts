import { hasControlCharacters, printable } from '../lib/printable.js'

/**
 * Typed readers over raw input strings. Each reader records a problem instead of throwing,
 * so that parseInputs can report every bad input at once.
 */
export type ReadInput = (name: string) => string

/** Longer than any path, URL or name an input holds; lists (set, set-string, ...) are per line. */
const MAX_TEXT_LENGTH = 4096

/** Inputs whose value is a secret: a problem names them but never quotes what was given. */
export const SECRET_INPUTS: ReadonlySet<string> = new Set(['github-token'])

export class InputProblems {
  readonly problems: string[] = []
  /** Not wrong, but worth a look (a region this action's SDK does not know yet). */
  readonly warnings: string[] = []
  private readonly checked = new Set<string>()
  private readonly refused = new Set<string>()

  constructor(private readonly read: ReadInput) {}

  /** A problem naming the input, quoting at most 200 characters of the value, controls escaped. */
  add(name: string, received: string, what: string): void {
    // A value refused as a whole (control characters, length) is not checked again for its format.
    if (this.refused.has(name)) return
    // An input read twice (atomic, dry-run: their own reader and a rule that depends on them) is said once.
    const problem = `Input '${name}': ${what} Received: ${quoted(name, received)}.`
    if (!this.problems.includes(problem)) this.problems.push(problem)
  }

  private refuse(name: string, received: string, what: string): void {
    this.add(name, received, what)
    this.refused.add(name)
  }

  warn(name: string, received: string, what: string): void {
    this.warnings.push(`Input '${name}': ${what} Received: ${quoted(name, received)}.`)
  }

  /**
   * A one-line value. Nothing that reaches helm, a log line or a file may hold a line break or
   * another control character: it could start a line the runner reads as a workflow command.
   */
  text(name: string): string {
    const value = this.read(name).trim()
    this.checkOnce(name, value, () => {
      if (hasControlCharacters(value)) {
        this.refuse(name, value, 'must be one line of text, without line breaks or other control characters.')
      } else if (value.length > MAX_TEXT_LENGTH) {
        this.refuse(name, value, `must be at most ${MAX_TEXT_LENGTH} characters long.`)
      }
    })
    return value
  }

  /** The value as typed, unchecked: only to quote it in a problem. */
  raw(name: string): string {
    return this.read(name).trim()
  }

  /** A value that may span lines (a JSON document); other control characters are refused. */
  multiline(name: string): string | undefined {
    const value = this.read(name).trim()
    this.checkOnce(name, value, () => {
      if (hasControlCharacters(value, { allowLineBreaks: true }))
        this.refuse(name, value, 'must not hold control characters other than line breaks and tabs.')
    })
    return value === '' ? undefined : value
  }

  private checkOnce(name: string, value: string, check: () => void): void {
    if (value === '' || this.checked.has(name)) return
    this.checked.add(name)
    check()
  }

  optional(name: string): string | undefined {
    const value = this.text(name)
    return value === '' ? undefined : value
  }

  /** Items separated by newlines (and commas when allowed); blank lines and # comments dropped. */
  list(name: string, options: { commas: boolean } = { commas: true }): string[] {
    const separator = options.commas ? /[\n,]/ : /\n/
    const items = this.read(name)
      .split(separator)
      .map((item) => item.trim())
      .filter((item) => item !== '' && !item.startsWith('#'))
    const bad = items.find((item) => hasControlCharacters(item))
    this.checkOnce(name, bad ?? '', () => {
      this.add(
        name,
        bad ?? '',
        'each line must be free of control characters (a lone carriage return, escapes).',
      )
    })
    return items
  }

  bool(name: string, fallback: boolean): boolean {
    const received = this.text(name)
    const value = received.toLowerCase()
    if (value === '') return fallback
    if (value === 'true') return true
    if (value === 'false') return false
    this.add(
      name,
      received,
      "must be 'true' or 'false' (YAML 1.2 core schema, as in @actions/core getBooleanInput).",
    )
    return fallback
  }

  int(name: string, fallback: number, range: { min: number; max: number }): number {
    const value = this.text(name)
    if (value === '') return fallback
    const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN
    if (!Number.isSafeInteger(parsed) || parsed < range.min || parsed > range.max) {
      this.add(name, value, `must be a whole number from ${range.min} to ${range.max}.`)
      return fallback
    }
    return parsed
  }

  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const value = this.text(name)
    if (value === '') return fallback
    // Case aside (wait-mode: hookOnly and hookonly alike); the value as the choices spell it.
    const found = choices.find((choice) => choice.toLowerCase() === value.toLowerCase())
    if (found === undefined) {
      this.add(name, value, `must be one of ${choices.map((c) => `'${c}'`).join(', ')}.`)
      return fallback
    }
    return found
  }

  matching(name: string, pattern: RegExp, what: string): string | undefined {
    const value = this.optional(name)
    if (value !== undefined && !pattern.test(value)) {
      this.add(name, value, what)
      return undefined
    }
    return value
  }
}

/** The value as a problem quotes it: a secret input's only by its length. */
function quoted(name: string, received: string): string {
  return SECRET_INPUTS.has(name)
    ? `a value of ${received.length} characters (not shown: a secret)`
    : `'${printable(received)}'`
}

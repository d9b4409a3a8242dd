/**
 * Typed readers over raw input strings. Each reader records a problem instead of throwing,
 * so that parseInputs can report every bad input at once.
 */
export type ReadInput = (name: string) => string

export class InputProblems {
  readonly problems: string[] = []

  constructor(private readonly read: ReadInput) {}

  add(name: string, received: string, what: string): void {
    this.problems.push(`Input '${name}': ${what} Received: '${received}'.`)
  }

  text(name: string): string {
    return this.read(name).trim()
  }

  optional(name: string): string | undefined {
    const value = this.text(name)
    return value === '' ? undefined : value
  }

  /** Items separated by newlines (and commas when allowed); blank lines and # comments dropped. */
  list(name: string, options: { commas: boolean } = { commas: true }): string[] {
    const separator = options.commas ? /[\n,]/ : /\n/
    return this.read(name)
      .split(separator)
      .map((item) => item.trim())
      .filter((item) => item !== '' && !item.startsWith('#'))
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
    const found = choices.find((choice) => choice === value.toLowerCase())
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

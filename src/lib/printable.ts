/**
 * Text from outside the action (an input, an AWS answer, a cluster object, a chart, a container's log)
 * made safe to quote in a message or an output: control characters and line separators shown as
 * escapes, so a quoted value can neither start a new log line nor hide part of itself; a workflow
 * command in it neutralised (see neutraliseCommands); long values shortened.
 */
export function printable(text: string, maxLength = 200): string {
  const escaped = neutraliseCommands(
    text.replace(
      CONTROL,
      (char) => ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
    ),
  )
  return shorten(escaped, maxLength, text.length)
}

/** The text cut to `max` characters, saying how long it was (`length`: of the text before escaping). */
export function shorten(text: string, max: number, length = text.length): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${length} characters)`
}

/**
 * Whether a log line holding this text could be read by the runner as a workflow command: a line
 * (the runner splits on \r too) that begins, after blanks, with `::`, or `##[` anywhere in a line
 * (the runner's legacy parser looks for it at any position).
 * https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs
 */
export function carriesWorkflowCommand(text: string): boolean {
  return STARTS_A_COMMAND.test(text) || text.includes(LEGACY_COMMAND)
}

/**
 * The text with every workflow command broken, visibly: `##[` becomes `#\u0023[` and a line's leading
 * `::` becomes `:\u003a` (the escapes printable uses), so the runner finds no command and a reader
 * still sees what was there.
 */
export function neutraliseCommands(text: string): string {
  return text
    .split(LEGACY_COMMAND)
    .join('#\\u0023[')
    .replace(LEADING_COLONS, (_match, start: string) => `${start}:\\u003a`)
}

/** Whether the text holds a character that breaks or hides a line: C0 and C1 controls but tab, DEL, U+2028/9. */
export function hasControlCharacters(text: string, options: { allowLineBreaks?: boolean } = {}): boolean {
  const found = text.match(CONTROL) ?? []
  return found.some(
    (char) => char !== '\t' && !(options.allowLineBreaks === true && (char === '\n' || char === '\r')),
  )
}

const LEGACY_COMMAND = '##['
const STARTS_A_COMMAND = /(?:^|[\r\n\u2028\u2029])[^\S\r\n]*::/
const LEADING_COLONS = /((?:^|[\r\n\u2028\u2029])[^\S\r\n]*)::/g
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g
const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/**
 * Text from outside (an input, an AWS answer) made safe to quote in a message: control characters
 * and line separators shown as escapes, so a quoted value can neither start a new log line (where
 * the runner would read a workflow command) nor hide part of itself; long values shortened.
 */
export function printable(text: string, maxLength = 200): string {
  const escaped = text.replace(
    CONTROL,
    (char) => ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
  return shorten(escaped, maxLength, text.length)
}

/** The text cut to `max` characters, saying how long it was (`length`: of the text before escaping). */
export function shorten(text: string, max: number, length = text.length): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${length} characters)`
}

/** Whether the text holds a character that breaks or hides a line: C0 and C1 controls but tab, DEL, U+2028/9. */
export function hasControlCharacters(text: string, options: { allowLineBreaks?: boolean } = {}): boolean {
  const found = text.match(CONTROL) ?? []
  return found.some(
    (char) => char !== '\t' && !(options.allowLineBreaks === true && (char === '\n' || char === '\r')),
  )
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g
const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

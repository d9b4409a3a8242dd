import { styleText } from 'node:util'

type Style = Parameters<typeof styleText>[0]

// Colours only on a terminal, and never under NO_COLOR (https://no-color.org).
const isColored = process.stdout.isTTY && (process.env.NO_COLOR ?? '') === ''

export const paint = (style: Style, text: string): string => (isColored ? styleText(style, text) : text)

export function say(text = ''): void {
  process.stdout.write(`${text}\n`)
}

export function heading(text: string): void {
  say()
  say(paint('bold', paint('cyan', `━━ ${text}`)))
}

import ts from 'typescript'
import { TextRenderer, type Alternative } from './render-text.js'
import { EMPTY_SCOPE, walk, type Scope, type SourceIndex } from './source-index.js'

/** One `new ActionError(message, { hint })` of the sources. */
export interface ErrorSite {
  /** The source file, relative to the project root. */
  readonly file: string
  readonly message: string
  readonly hints: readonly Alternative[]
}

/** One check of one input: the text after "Input '<name>':" in the step's "Invalid inputs" list. */
export interface InputCheck {
  readonly input: string
  readonly problem: string
  readonly file: string
}

/** Every ActionError the sources can throw, in file order, each with the hints it can carry. */
export function collectErrorSites(index: SourceIndex): ErrorSite[] {
  const renderer = new TextRenderer(index)
  const sites: ErrorSite[] = []
  for (const file of index.files) {
    for (const node of walk(file)) {
      if (
        !ts.isNewExpression(node) ||
        !ts.isIdentifier(node.expression) ||
        node.expression.text !== 'ActionError'
      )
        continue
      const [message, options] = node.arguments ?? []
      if (message === undefined) continue
      const hint = options === undefined ? undefined : renderer.property(options, 'hint', EMPTY_SCOPE)
      sites.push({
        file: file.fileName,
        message: renderer.text(message, EMPTY_SCOPE),
        hints: hint === undefined ? [] : renderer.alternatives(hint.node, hint.scope),
      })
    }
  }
  return sites
}

// InputProblems' readers: `add(name, received, what)` records `what`; the others call add themselves.
const READERS = new Set(['add', 'matching', 'bool', 'int', 'choice'])

/**
 * Every input check: a reader call whose first argument names an input of action.yml (its problem
 * text rendered with the call's arguments), and the problems pushed directly ("Input 'x' ...").
 */
export function collectInputChecks(index: SourceIndex, inputs: ReadonlySet<string>): InputCheck[] {
  const renderer = new TextRenderer(index)
  const checks: InputCheck[] = []
  for (const file of index.files) {
    for (const node of walk(file)) {
      if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) continue
      const method = node.expression.name.text
      const [first, , third] = node.arguments
      if (
        method === 'push' &&
        first !== undefined &&
        nameOfTarget(node.expression.expression) === 'problems'
      ) {
        for (const { text } of renderer.alternatives(first, EMPTY_SCOPE)) {
          const input = /^Input '([\w-]+)'/.exec(text)?.[1]
          if (input !== undefined)
            checks.push({ input, problem: text.replace(/^Input '[\w-]+':? ?/, ''), file: file.fileName })
        }
        continue
      }
      if (
        !READERS.has(method) ||
        first === undefined ||
        !ts.isStringLiteralLike(first) ||
        !inputs.has(first.text)
      )
        continue
      for (const problem of readerProblems(renderer, index, node, method, third))
        checks.push({ input: first.text, problem, file: file.fileName })
    }
  }
  return checks
}

function nameOfTarget(node: ts.Expression): string | undefined {
  return ts.isPropertyAccessExpression(node) ? node.name.text : ts.isIdentifier(node) ? node.text : undefined
}

/** The problem texts a reader call can record: its own `what`, or the `what` of the add() calls inside the reader. */
function readerProblems(
  renderer: TextRenderer,
  index: SourceIndex,
  call: ts.CallExpression,
  method: string,
  what: ts.Expression | undefined,
): string[] {
  const texts = (node: ts.Node, scope: Scope) => renderer.alternatives(node, scope).map((alt) => alt.text)
  if (method === 'add') return what === undefined ? [] : texts(what, EMPTY_SCOPE)
  const reader = index.method(method)
  if (reader?.body === undefined) return []
  const bindings = new Map(
    reader.parameters.flatMap((parameter, i) => {
      const argument = call.arguments[i]
      return ts.isIdentifier(parameter.name) && argument !== undefined
        ? [[parameter.name.text, { node: argument, scope: EMPTY_SCOPE }] as const]
        : []
    }),
  )
  return [...walk(reader.body)].flatMap((node) => {
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return []
    if (node.expression.name.text !== 'add' || node.expression.expression.kind !== ts.SyntaxKind.ThisKeyword)
      return []
    const inner = node.arguments[2]
    return inner === undefined ? [] : texts(inner, { bindings })
  })
}

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
  const subclasses = actionErrorSubclasses(index)
  for (const file of index.files) {
    for (const node of walk(file)) {
      const [message, options] = errorArguments(node, subclasses) ?? []
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

/** The classes of the sources that extend ActionError (a family of errors with a constructor of its own). */
function actionErrorSubclasses(index: SourceIndex): ReadonlySet<string> {
  const names = new Set<string>()
  for (const file of index.files)
    for (const node of walk(file))
      if (
        ts.isClassDeclaration(node) &&
        node.name !== undefined &&
        (node.heritageClauses ?? []).some((clause) =>
          clause.types.some((type) => type.expression.getText(file) === 'ActionError'),
        )
      )
        names.add(node.name.text)
  return names
}

/**
 * The message and options of an error the sources make: `new ActionError(message, { hint })`; in a
 * subclass's constructor, `super(message, { hint })` when it writes the message itself; and
 * `new Subclass(message, { hint, ... })` when the caller does.
 */
function errorArguments(
  node: ts.Node,
  subclasses: ReadonlySet<string>,
): readonly (ts.Expression | undefined)[] | undefined {
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
    const name = node.expression.text
    const args = node.arguments ?? []
    if (name === 'ActionError') return args
    const [message, options] = args
    const hasHint =
      options !== undefined &&
      ts.isObjectLiteralExpression(options) &&
      options.properties.some(
        (p) => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === 'hint',
      )
    return subclasses.has(name) && message !== undefined && !ts.isIdentifier(message) && hasHint
      ? args
      : undefined
  }
  if (!ts.isCallExpression(node) || node.expression.kind !== ts.SyntaxKind.SuperKeyword) return undefined
  const owner = node.parent.parent.parent.parent
  const isSubclass =
    ts.isClassDeclaration(owner) && owner.name !== undefined && subclasses.has(owner.name.text)
  const [message] = node.arguments
  return isSubclass && message !== undefined && !ts.isIdentifier(message) ? node.arguments : undefined
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

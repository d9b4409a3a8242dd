import ts from 'typescript'
import { ancestors, enclosingFunction, walk, type Binding, type Scope } from './source-index.js'

// The syntax the message renderer (render-text.ts) reads: names for placeholders, a function's returns and
// switch cases, a call's arguments bound to the parameters.

// Methods whose result is named after the value they are called on (`tags.join(', ')` → {tags}).
export const VALUE_METHODS = new Set([
  'join',
  'map',
  'filter',
  'slice',
  'replace',
  'trim',
  'toFixed',
  'toLowerCase',
  'toString',
])
// A conditional inside a sentence is shown as [a|b] when both branches are this short, else as {name}.
export const SHORT_BRANCH = 30

export function unwrap(node: ts.Node): ts.Node {
  let inner = node
  while (
    ts.isParenthesizedExpression(inner) ||
    ts.isAsExpression(inner) ||
    ts.isNonNullExpression(inner) ||
    ts.isSatisfiesExpression(inner)
  )
    inner = inner.expression
  return inner
}

/** The name a placeholder for this expression gets. */
export function nameOf(node: ts.Node): string {
  const inner = unwrap(node)
  if (ts.isIdentifier(inner)) return inner.text
  if (ts.isPropertyAccessExpression(inner)) return inner.name.text
  if (ts.isElementAccessExpression(inner)) return nameOf(inner.expression)
  if (ts.isBinaryExpression(inner)) return nameOf(inner.left)
  if (ts.isConditionalExpression(inner)) return nameOf(inner.whenTrue)
  if (ts.isSpreadElement(inner)) return nameOf(inner.expression)
  if (ts.isCallExpression(inner)) {
    const callee = inner.expression
    if (ts.isPropertyAccessExpression(callee) && VALUE_METHODS.has(callee.name.text))
      return nameOf(callee.expression)
    const first = inner.arguments[0]
    return first === undefined ? nameOf(callee) : nameOf(first)
  }
  return 'value'
}

export function propertyKey(name: ts.PropertyName): string {
  return ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)
    ? name.text
    : name.getText()
}

/** The scope a function body is read in: its parameters bound to the call's arguments. */
export function bindArguments(
  fn: ts.SignatureDeclaration,
  args: readonly ts.Node[],
  argumentScope: Scope,
  outer: Scope = argumentScope,
): Scope {
  const bindings = new Map(outer.bindings)
  fn.parameters.forEach((parameter, i) => {
    const argument = args[i]
    if (!ts.isIdentifier(parameter.name)) return
    if (argument === undefined) bindings.delete(parameter.name.text)
    else bindings.set(parameter.name.text, { node: argument, scope: argumentScope })
  })
  return { bindings }
}

/** The return statements of a function's own body (not of functions nested in it). */
export function returnsOf(fn: ts.FunctionDeclaration): ts.ReturnStatement[] {
  if (fn.body === undefined) return []
  return [...walk(fn.body)].filter(
    (node): node is ts.ReturnStatement => ts.isReturnStatement(node) && enclosingFunction(node) === fn,
  )
}

/** `case 'A': case 'B': return x` → "A, B"; default → "otherwise". */
export function caseLabel(statement: ts.ReturnStatement): string | undefined {
  const clause = [...ancestors(statement)].find(
    (node) => ts.isCaseClause(node) || ts.isDefaultClause(node) || ts.isFunctionLike(node),
  )
  if (clause === undefined || !(ts.isCaseClause(clause) || ts.isDefaultClause(clause))) return undefined
  if (ts.isDefaultClause(clause)) return 'otherwise'
  const clauses = clause.parent.clauses
  const labels: string[] = []
  for (let i = clauses.indexOf(clause); i >= 0; i--) {
    const current = clauses[i]
    if (
      current === undefined ||
      ts.isDefaultClause(current) ||
      (current !== clause && current.statements.length > 0)
    )
      break
    labels.unshift(
      ts.isStringLiteralLike(current.expression) ? current.expression.text : current.expression.getText(),
    )
  }
  return labels.join(', ')
}

/** The arguments of `<name>.push(...)` in the function that declares the local array `<name>`. */
export function pushedOnto(node: ts.Node, scope: Scope): Binding[] {
  if (!ts.isIdentifier(node)) return []
  const fn = enclosingFunction(node)
  if (fn === undefined) return []
  return [...walk(fn)].flatMap((call) => {
    if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return []
    const { expression: target, name } = call.expression
    if (name.text !== 'push' || !ts.isIdentifier(target) || target.text !== node.text) return []
    return call.arguments.map((argument) => ({ node: argument, scope }))
  })
}

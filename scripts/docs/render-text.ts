import ts from 'typescript'
import { findDeclaration, type Binding, type Scope, type SourceIndex } from './source-index.js'
import {
  bindArguments,
  caseLabel,
  nameOf,
  propertyKey,
  pushedOnto,
  returnsOf,
  SHORT_BRANCH,
  unwrap,
  VALUE_METHODS,
} from './syntax.js'

/**
 * Turns the expressions that build the action's messages back into text: literals as they are,
 * constants and single-return helpers followed to their value, and whatever is only known at run
 * time as a `{name}` placeholder named after the variable or property that holds it.
 */

/** One possible text of a message or hint; `when` says which case gives it (a switch case, a key). */
export interface Alternative {
  readonly when?: string
  readonly text: string
}

export class TextRenderer {
  constructor(private readonly index: SourceIndex) {}

  /** Follows bound parameters, constants, parentheses and type assertions to the value's expression. */
  resolve(node: ts.Node, scope: Scope): Binding {
    let current: Binding = { node: unwrap(node), scope }
    for (let depth = 0; depth < 20 && ts.isIdentifier(current.node); depth++) {
      const bound = current.scope.bindings.get(current.node.text)
      if (bound !== undefined) {
        current = { node: unwrap(bound.node), scope: bound.scope }
        continue
      }
      const declaration = findDeclaration(current.node, this.index)
      if (declaration === undefined || declaration === 'parameter' || ts.isFunctionDeclaration(declaration))
        break
      current = { node: unwrap(declaration), scope: current.scope }
    }
    return current
  }

  /** The text of an expression, with placeholders (named `name`) for what only the run knows. */
  text(node: ts.Node, scope: Scope, name = nameOf(node)): string {
    const { node: value, scope: valueScope } = this.resolve(node, scope)
    if (ts.isStringLiteralLike(value) || ts.isNumericLiteral(value)) return value.text
    if (ts.isTemplateExpression(value)) {
      return (
        value.head.text +
        value.templateSpans.map((span) => this.text(span.expression, valueScope) + span.literal.text).join('')
      )
    }
    if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.PlusToken)
      return this.text(value.left, valueScope) + this.text(value.right, valueScope)
    if (ts.isConditionalExpression(value)) return this.conditionalText(value, valueScope, name)
    if (ts.isPropertyAccessExpression(value)) return this.propertyText(value, valueScope)
    if (ts.isCallExpression(value)) return this.callText(value, valueScope, name)
    return `{${name}}`
  }

  private conditionalText(value: ts.ConditionalExpression, scope: Scope, name: string): string {
    const known = this.branchTaken(value, scope)
    if (known !== undefined) return this.text(known, scope)
    const yes = this.text(value.whenTrue, scope)
    const no = this.text(value.whenFalse, scope)
    if (yes === '' || no === '') return `[${yes}${no}]`
    const isShort = (text: string) => text.length <= SHORT_BRANCH && !text.includes('{')
    // Two sentences held by nothing with a name (a line of a hint) are shown both, however long.
    return (isShort(yes) && isShort(no)) || name === 'value' ? `[${yes}|${no}]` : `{${name}}`
  }

  /** The branch a conditional takes when its condition is a literal true or false (a helper's argument). */
  branchTaken(value: ts.ConditionalExpression, scope: Scope): ts.Expression | undefined {
    const condition = this.resolve(value.condition, scope).node
    if (condition.kind === ts.SyntaxKind.TrueKeyword) return value.whenTrue
    if (condition.kind === ts.SyntaxKind.FalseKeyword) return value.whenFalse
    return undefined
  }

  private propertyText(value: ts.PropertyAccessExpression, scope: Scope): string {
    const property = this.property(value.expression, value.name.text, scope)
    return property === undefined ? `{${value.name.text}}` : this.text(property.node, property.scope)
  }

  /** The initializer of `key` when `node` is an object literal. */
  property(node: ts.Node, key: string, scope: Scope): Binding | undefined {
    const object = this.resolve(node, scope)
    if (!ts.isObjectLiteralExpression(object.node)) return undefined
    for (const property of object.node.properties) {
      if (property.name === undefined || propertyKey(property.name) !== key) continue
      if (ts.isPropertyAssignment(property)) return { node: property.initializer, scope: object.scope }
      if (ts.isShorthandPropertyAssignment(property)) return { node: property.name, scope: object.scope }
    }
    return undefined
  }

  private callText(call: ts.CallExpression, scope: Scope, name: string): string {
    const callee = call.expression
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'join') {
      const items = this.list(callee.expression, scope)
      const separator = call.arguments[0] === undefined ? ',' : this.text(call.arguments[0], scope)
      if (items !== undefined) return items.map((item) => this.text(item.node, item.scope)).join(separator)
    }
    const called = this.calledFunction(call, scope)
    const returns = called === undefined ? [] : returnsOf(called.fn)
    if (called !== undefined && returns.length === 1 && returns[0]?.expression !== undefined)
      return this.text(returns[0].expression, called.scope, name)
    const text = this.passedThrough(call, scope)
    return text === undefined ? `{${name}}` : this.text(text, scope, name)
  }

  /**
   * The text argument of a call the sources cannot show, such as `accounts.hide(message)`: a call
   * given a sentence returns that sentence, redacted or reformatted (a call given a value is a value).
   */
  private passedThrough(call: ts.CallExpression, scope: Scope): ts.Node | undefined {
    if (!ts.isPropertyAccessExpression(call.expression) || VALUE_METHODS.has(call.expression.name.text))
      return undefined
    const [first] = call.arguments
    if (first === undefined) return undefined
    const { node } = this.resolve(first, scope)
    const isSentence =
      ts.isStringLiteralLike(node) ||
      ts.isTemplateExpression(node) ||
      (ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === 'join')
    return isSentence ? first : undefined
  }

  /** A call of a function declared in the sources, with its parameters bound to the arguments. */
  calledFunction(call: ts.CallExpression, scope: Scope) {
    if (!ts.isIdentifier(call.expression)) return undefined
    const declaration = findDeclaration(call.expression, this.index)
    if (declaration === undefined || declaration === 'parameter' || !ts.isFunctionDeclaration(declaration))
      return undefined
    return { fn: declaration, scope: bindArguments(declaration, call.arguments, scope) }
  }

  /** The items of an array: a literal (and what the same function pushes onto it), Object.values, .map. */
  list(node: ts.Node, scope: Scope): Binding[] | undefined {
    const { node: value, scope: valueScope } = this.resolve(node, scope)
    if (ts.isConditionalExpression(value)) {
      // `...(cond ? [] : [lines])`: lines that may be there; both branches' when neither is known.
      const known = this.branchTaken(value, valueScope)
      if (known !== undefined) return this.list(known, valueScope)
      const [yes, no] = [this.list(value.whenTrue, valueScope), this.list(value.whenFalse, valueScope)]
      return yes === undefined || no === undefined ? undefined : [...yes, ...no]
    }
    if (ts.isArrayLiteralExpression(value)) {
      const items = value.elements.flatMap((element) =>
        ts.isSpreadElement(element)
          ? (this.list(element.expression, valueScope) ?? [{ node: element, scope: valueScope }])
          : [{ node: element, scope: valueScope }],
      )
      return [...items, ...pushedOnto(node, valueScope)]
    }
    if (!ts.isCallExpression(value) || !ts.isPropertyAccessExpression(value.expression)) return undefined
    const { expression: receiver, name } = value.expression
    const argument = value.arguments[0]
    if (argument === undefined) return undefined
    if (ts.isIdentifier(receiver) && receiver.text === 'Object' && name.text === 'values') {
      const object = this.resolve(argument, valueScope)
      if (!ts.isObjectLiteralExpression(object.node)) return undefined
      return object.node.properties.flatMap((p) =>
        ts.isPropertyAssignment(p) ? [{ node: p.initializer, scope: object.scope }] : [],
      )
    }
    if (name.text === 'map' && ts.isArrowFunction(argument) && !ts.isBlock(argument.body)) {
      const body = argument.body
      return this.list(receiver, valueScope)?.map((item) => ({
        node: body,
        scope: bindArguments(argument, [item.node], item.scope, valueScope),
      }))
    }
    return undefined
  }

  /** Every text an expression can have: the branches of a conditional, the cases of a helper's switch. */
  alternatives(node: ts.Node, scope: Scope): Alternative[] {
    const { node: value, scope: valueScope } = this.resolve(node, scope)
    if (ts.isConditionalExpression(value)) {
      const known = this.branchTaken(value, valueScope)
      if (known !== undefined) return this.alternatives(known, valueScope)
      return [
        ...this.alternatives(value.whenTrue, valueScope),
        ...this.alternatives(value.whenFalse, valueScope),
      ]
    }
    if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) {
      const fallback = this.alternatives(value.right, valueScope).map((alt) => ({
        when: alt.when ?? 'otherwise',
        text: alt.text,
      }))
      return [...this.alternatives(value.left, valueScope), ...fallback]
    }
    if (ts.isElementAccessExpression(value)) {
      const object = this.resolve(value.expression, valueScope)
      if (ts.isObjectLiteralExpression(object.node)) {
        return object.node.properties.flatMap((p) =>
          ts.isPropertyAssignment(p)
            ? [{ when: propertyKey(p.name), text: this.text(p.initializer, object.scope) }]
            : [],
        )
      }
    }
    if (ts.isCallExpression(value)) {
      const called = this.calledFunction(value, valueScope)
      if (called !== undefined && returnsOf(called.fn).length > 1)
        return this.returnAlternatives(called.fn, called.scope)
    }
    return [{ text: this.text(node, scope) }]
  }

  private returnAlternatives(fn: ts.FunctionDeclaration, scope: Scope): Alternative[] {
    return returnsOf(fn).flatMap((statement) => {
      if (statement.expression === undefined) return []
      const when = caseLabel(statement)
      return this.alternatives(statement.expression, scope).map((alt) =>
        when === undefined ? alt : { when, text: alt.text },
      )
    })
  }
}

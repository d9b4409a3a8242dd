// Rewrites the module factories of a bundle file so that V8 compiles them eagerly.
//
// A webpack bundle (ncc's output) holds its modules as `{ 1234: (module, exports, require) => {…} }`.
// V8 pre-parses such a function when it compiles the file, then parses it again, fully, when the
// module is first required: the SDK's modules, which a run does require, are parsed twice. A function
// expression in parentheses is the hint V8 takes to compile a function right away
// (https://v8.dev/blog/preparser#pife), so each factory becomes `(function (module, exports, require)
// {…})`. Node 20's V8 takes the hint for `function` expressions only: parenthesized arrows measured
// no faster, hence the rewrite.
//
// An arrow and a function differ in `this` and `arguments` (`new.target` and `super` cannot appear
// in an arrow at the top of a module): webpack calls a factory with `this` = module.exports, which an
// arrow ignores. A factory that uses either at its own level (outside nested non-arrow functions and
// class members) is left as it is.
import { parse } from 'acorn'

/** The object literal holding the modules: a chunk's `export const modules`, an entry's first `var`. */
function findModulesObject(program) {
  for (const statement of program.body) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement
    if (declaration?.type !== 'VariableDeclaration') continue
    for (const { init } of declaration.declarations) {
      const isModules =
        init?.type === 'ObjectExpression' &&
        init.properties.length > 0 &&
        init.properties.every(
          (p) =>
            p.type === 'Property' &&
            p.key.type === 'Literal' &&
            typeof p.key.value === 'number' &&
            /FunctionExpression$/.test(p.value.type),
        )
      if (isModules) return init
    }
  }
  return undefined
}

/** Does the function use, at its own level, what an arrow would take from its surroundings? */
function usesOwnBindings(node) {
  if (node === null || typeof node !== 'object') return false
  if (Array.isArray(node)) return node.some(usesOwnBindings)
  switch (node.type) {
    case 'ThisExpression':
      return true
    case 'Identifier':
      return node.name === 'arguments'
    case 'FunctionExpression':
    case 'FunctionDeclaration':
    case 'StaticBlock':
      return false
    case 'PropertyDefinition':
      return usesOwnBindings(node.computed ? node.key : null)
    case 'MemberExpression':
      return usesOwnBindings(node.object) || (node.computed && usesOwnBindings(node.property))
    case 'Property':
    case 'MethodDefinition':
      return (node.computed && usesOwnBindings(node.key)) || usesOwnBindings(node.value)
  }
  return Object.entries(node).some(
    ([key, value]) => key !== 'type' && value !== null && typeof value === 'object' && usesOwnBindings(value),
  )
}

/** The text that replaces one factory, or undefined to leave it. */
function eagerFactory(code, fn) {
  if (fn.type === 'FunctionExpression') return `(${code.slice(fn.start, fn.end)})`
  if (fn.async || fn.generator || usesOwnBindings(fn.params) || usesOwnBindings(fn.body)) return undefined
  const params = fn.params.map((p) => code.slice(p.start, p.end)).join(',')
  const body = code.slice(fn.body.start, fn.body.end)
  return `(function(${params})${fn.expression ? `{return ${body}}` : body})`
}

/** The bundle file's code with its module factories compiled eagerly; unchanged when it has none. */
export function makeFactoriesEager(code) {
  const modules = findModulesObject(parse(code, { ecmaVersion: 'latest', sourceType: 'module' }))
  if (modules === undefined) return code
  let out = ''
  let at = 0
  for (const { value } of modules.properties) {
    const replacement = eagerFactory(code, value)
    if (replacement === undefined) continue
    out += code.slice(at, value.start) + replacement
    at = value.end
  }
  return out + code.slice(at)
}

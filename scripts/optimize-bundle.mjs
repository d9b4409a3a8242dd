// The one post-processing step after ncc (`npm run bundle`), for load time only: BUNDLE_OPTIMIZE=0 skips it and
// leaves ncc's output as it is (the bundle then works the same, a few tens of milliseconds slower per run).
//
// 1. ncc's --minify minifies each entry file but not the chunks it splits off for dynamic import()
//    (dist/<id>.index.js, ES modules of the form `export const modules = {…}`), and those hold the SDK: a
//    full run would load and compile close to a megabyte of whitespace and comments. They are minified with
//    terser and ncc's own options. Their license texts are in licenses.txt, which ncc writes.
// 2. The module factories of every file are rewritten so that V8 compiles them eagerly (below).
//
// It checks its own assumptions: every file it rewrites must hold ncc's module table, and it fails, naming the
// counts, when ncc's output no longer has the shape it expects (a new ncc version, say).
//
// Eager factories. // A webpack bundle (ncc's output) holds its modules as `{ 1234: (module, exports, require) => {…} }`.
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
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'acorn'
import { minify } from 'terser'

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

// ncc's --minify options (@vercel/ncc 0.45, index.js): names kept, so stack traces and the SDK's error names read
// the same, and no compression, which can change behaviour.
const MINIFY_OPTIONS = { module: true, compress: false, mangle: { keep_classnames: true, keep_fnames: true } }

/** Optimizes the files ncc wrote to `dir`; returns what it did, and throws when ncc's output has another shape. */
export async function optimizeBundle(dir) {
  const files = readdirSync(dir).filter((file) => /^(\d+\.)?index\.js$/.test(file))
  const chunks = files.filter((file) => file !== 'index.js')
  // A chunk is always a module table; an entry has one unless webpack concatenated all of it into one scope.
  let chunkTables = 0
  for (const name of files) {
    const file = path.join(dir, name)
    let code = readFileSync(file, 'utf8')
    if (chunks.includes(name)) {
      const result = await minify(code, MINIFY_OPTIONS)
      if (result.code === undefined) throw new Error(`optimize-bundle: terser returned no code for ${file}`)
      code = result.code
    }
    const hasTable =
      findModulesObject(parse(code, { ecmaVersion: 'latest', sourceType: 'module' })) !== undefined
    if (hasTable && chunks.includes(name)) chunkTables++
    writeFileSync(file, makeFactoriesEager(code))
  }
  if (!files.includes('index.js') || chunkTables !== chunks.length) {
    throw new Error(
      `optimize-bundle: expected an index.js and ncc's module table in each of the ${chunks.length} chunk file(s) of ${dir}, found ${files.includes('index.js') ? 'index.js' : 'no index.js'} and ${chunkTables} table(s). ` +
        "ncc's output has changed shape: update scripts/optimize-bundle.mjs, or bundle with BUNDLE_OPTIMIZE=0.",
    )
  }
  return { files: files.length, chunks: chunks.length }
}

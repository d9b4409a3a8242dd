import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

/** An expression and the parameter values it is read with (a call's arguments bound to its parameters). */
export interface Binding {
  readonly node: ts.Node
  readonly scope: Scope
}

export interface Scope {
  readonly bindings: ReadonlyMap<string, Binding>
}

export const EMPTY_SCOPE: Scope = { bindings: new Map() }

/** The TypeScript files of a source tree, parsed (no type checking: the docs need only the syntax). */
export interface SourceIndex {
  readonly root: string
  readonly files: readonly ts.SourceFile[]
  /** A top-level `const` initializer or function of any file; undefined when two files declare the name. */
  topLevel(name: string): ts.Node | undefined
  /** A class method of any file by name; undefined when two classes declare it. */
  method(name: string): ts.MethodDeclaration | undefined
}

function listTypeScript(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const file = path.join(dir, entry.name)
      if (entry.isDirectory()) return listTypeScript(file)
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [file] : []
    })
    .sort()
}

/** Adds `name → node` unless the name is taken, in which case it becomes ambiguous (null). */
function record<T>(map: Map<string, T | null>, name: string, node: T): void {
  map.set(name, map.has(name) ? null : node)
}

function indexFile(
  file: ts.SourceFile,
  topLevel: Map<string, ts.Node | null>,
  methods: Map<string, ts.MethodDeclaration | null>,
) {
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.initializer !== undefined)
          record(topLevel, declaration.name.text, declaration.initializer)
      }
    } else if (ts.isFunctionDeclaration(statement) && statement.name !== undefined) {
      record(topLevel, statement.name.text, statement)
    } else if (ts.isClassDeclaration(statement)) {
      for (const member of statement.members) {
        if (ts.isMethodDeclaration(member) && ts.isIdentifier(member.name))
          record(methods, member.name.text, member)
      }
    }
  }
}

export function indexSources(root: string, dir = 'src'): SourceIndex {
  const files = listTypeScript(path.join(root, dir)).map(
    (file) => [path.relative(root, file), readFileSync(file, 'utf8')] as const,
  )
  return indexTexts(root, files)
}

/** The index of files given as (path, text) pairs: what indexSources reads from disk, or a test's snippets. */
export function indexTexts(root: string, texts: readonly (readonly [string, string])[]): SourceIndex {
  const files = texts.map(([name, text]) => ts.createSourceFile(name, text, ts.ScriptTarget.ES2022, true))
  const topLevel = new Map<string, ts.Node | null>()
  const methods = new Map<string, ts.MethodDeclaration | null>()
  for (const file of files) indexFile(file, topLevel, methods)
  return {
    root,
    files,
    topLevel: (name) => topLevel.get(name) ?? undefined,
    method: (name) => methods.get(name) ?? undefined,
  }
}

/** Every node of a file, depth first. */
export function* walk(node: ts.Node): Generator<ts.Node> {
  yield node
  for (const child of node.getChildren()) yield* walk(child)
}

/** The nodes that contain a node, innermost first (a SourceFile's parent is undefined at run time). */
export function* ancestors(node: ts.Node): Generator<ts.Node> {
  for (let up = node.parent as ts.Node | undefined; up !== undefined; up = up.parent as ts.Node | undefined)
    yield up
}

/** The declaration an identifier names, looked up from where it is used outwards, then across files. */
export function findDeclaration(id: ts.Identifier, index: SourceIndex): ts.Node | 'parameter' | undefined {
  for (const node of ancestors(id)) {
    if (
      ts.isFunctionLike(node) &&
      node.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === id.text)
    )
      return 'parameter'
    if (ts.isBlock(node) || ts.isSourceFile(node) || ts.isCaseClause(node) || ts.isDefaultClause(node)) {
      const found = declaredIn(node.statements, id.text)
      if (found !== undefined) return found
    }
  }
  return index.topLevel(id.text)
}

function declaredIn(statements: ts.NodeArray<ts.Statement>, name: string): ts.Node | undefined {
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name)
          return declaration.initializer
      }
    } else if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) {
      return statement
    }
  }
  return undefined
}

/** The function a node is written in (where `X.push(...)` calls on a local array are looked for). */
export function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (const up of ancestors(node)) if (ts.isFunctionLike(up)) return up
  return undefined
}

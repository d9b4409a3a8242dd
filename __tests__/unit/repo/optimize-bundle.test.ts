import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { makeFactoriesEager, optimizeBundle } from '../../../scripts/optimize-bundle.mjs'

type Factory = (this: unknown, module: { exports: unknown }, exports: unknown, require: unknown) => void

/** Loads a chunk-shaped module and runs each factory as webpack does: `this` is module.exports. */
async function runFactories(code: string): Promise<Record<string, unknown>> {
  const chunk = (await import(`data:text/javascript,${encodeURIComponent(code)}`)) as {
    modules: Record<string, Factory>
  }
  const results: Record<string, unknown> = {}
  for (const [id, factory] of Object.entries(chunk.modules)) {
    const module = { exports: {} as unknown }
    factory.call(module.exports, module, module.exports, () => 'required')
    results[id] = module.exports
  }
  return results
}

const CHUNK = [
  'export const id=1;export const ids=[1];export const modules={',
  '1:(e,t,n)=>{t.value=n(2);t.inner=function(){return typeof this}()},',
  '2:e=>e.exports={sum:[1,2].reduce((a,b)=>a+b)},',
  '3:(e,t)=>{t.url=typeof import.meta.url},',
  '4:function(e,t){t.kind="function"}',
  '};',
].join('')

test('every factory becomes a parenthesized function expression, and does the same', async () => {
  const eager = makeFactoriesEager(CHUNK)
  expect(eager).toBe(
    [
      'export const id=1;export const ids=[1];export const modules={',
      '1:(function(e,t,n){t.value=n(2);t.inner=function(){return typeof this}()}),',
      '2:(function(e){return e.exports={sum:[1,2].reduce((a,b)=>a+b)}}),',
      '3:(function(e,t){t.url=typeof import.meta.url}),',
      '4:(function(e,t){t.kind="function"})',
      '};',
    ].join(''),
  )
  expect(await runFactories(eager)).toEqual(await runFactories(CHUNK))
  expect(await runFactories(eager)).toEqual({
    1: { value: 'required', inner: 'undefined' },
    2: { sum: 3 },
    3: { url: 'string' },
    4: { kind: 'function' },
  })
})

test.each([
  ['this', '(e,t)=>{t.self=this}'],
  ['this, inside an arrow', '(e,t)=>{t.get=()=>this}'],
  ['arguments', '(e,t)=>{t.n=typeof arguments}'],
  ['a class field initializer key', '(e,t)=>{t.C=class{[this]=1}}'],
])('a factory that uses %s at its own level is left as an arrow', (_what, factory) => {
  const code = `export const modules={1:${factory},2:(e,t)=>{t.ok=1}};`
  expect(makeFactoriesEager(code)).toBe(`export const modules={1:${factory},2:(function(e,t){t.ok=1})};`)
})

test.each([
  ['a nested function', '(e,t)=>{t.f=function(){return this}}'],
  ['a class method or field', '(e,t)=>{t.C=class{x=this;m(){return arguments}}}'],
  ['a property named arguments', '(e,t)=>{t.arguments=t.arguments??{arguments:1}}'],
])('this or arguments inside %s does not hold a factory back', (_what, factory) => {
  expect(makeFactoriesEager(`export const modules={1:${factory}};`)).toMatch(
    /^export const modules=\{1:\(function\(e,t\)\{/,
  )
})

test('a file without a module table is left as it is', () => {
  const code = 'import{x}from"y";var a={1:2};export const b=()=>x;'
  expect(makeFactoriesEager(code)).toBe(code)
})

describe('optimizeBundle: the post-processing step checks its own assumptions', () => {
  let dir: string
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'optimize-bundle-'))
  })
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true })
  })

  test("minifies the chunks and makes every file's factories eager", async () => {
    await fs.writeFile(path.join(dir, 'index.js'), 'var __webpack_modules__={1:(e,t)=>{t.a=1}};export{}')
    await fs.writeFile(path.join(dir, '7.index.js'), `${CHUNK}\n// a comment terser drops\n`)
    expect(await optimizeBundle(dir)).toEqual({ files: 2, chunks: 1 })
    expect(await fs.readFile(path.join(dir, 'index.js'), 'utf8')).toContain('1:(function(e,t){t.a=1})')
    const chunk = await fs.readFile(path.join(dir, '7.index.js'), 'utf8')
    expect(chunk).not.toContain('a comment')
    expect(await runFactories(chunk)).toEqual(await runFactories(CHUNK))
  })

  test('fails loudly, with the counts, when a file has no module table (ncc changed its output)', async () => {
    await fs.writeFile(path.join(dir, 'index.js'), 'var __webpack_modules__={1:(e,t)=>{t.a=1}};export{}')
    await fs.writeFile(path.join(dir, '7.index.js'), 'export const somethingElse = 1\n')
    await expect(optimizeBundle(dir)).rejects.toThrow(
      /each of the 1 chunk file\(s\) .* found index.js and 0 table\(s\)\. ncc's output has changed shape/,
    )
  })

  test('an entry that webpack concatenated into one scope has no table, and needs none', async () => {
    await fs.writeFile(path.join(dir, 'index.js'), 'const a=1;export{a}')
    expect(await optimizeBundle(dir)).toEqual({ files: 1, chunks: 0 })
  })

  test('fails when there is nothing to optimize', async () => {
    await expect(optimizeBundle(dir)).rejects.toThrow(/found no index.js/)
  })
})

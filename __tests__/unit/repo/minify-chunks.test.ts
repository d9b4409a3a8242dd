import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { minifyChunks } from '../../../scripts/minify-chunks.mjs'

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

// A chunk as ncc writes it: unminified, with comments.
const CHUNK = `export const id = 7;
export const ids = [7];
export const modules = {

/***/ 1:
/***/ ((module, exports, require) => {
  // what the factory does
  exports.value = require(2);
  exports.inner = function () { return typeof this }();
  class KeptName {}
  exports.name = KeptName.name;
}),

/***/ 2:
/***/ (function (module) {
  module.exports = { sum: [1, 2].reduce((a, b) => a + b) };
})
};
`

let dir: string
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'minify-chunks-'))
})
afterEach(() => fs.rm(dir, { recursive: true, force: true }))

test('minifies the chunk files, which then do the same and keep class names', async () => {
  const entry = 'import{x}from"y";\n// ncc minified the entry already\n'
  await fs.writeFile(path.join(dir, 'index.js'), entry)
  await fs.writeFile(path.join(dir, '7.index.js'), CHUNK)
  await fs.writeFile(path.join(dir, 'licenses.txt'), 'MIT\n')
  expect(await minifyChunks(dir)).toEqual({ chunks: 1 })
  const chunk = await fs.readFile(path.join(dir, '7.index.js'), 'utf8')
  expect(chunk).not.toContain('what the factory does')
  expect(chunk.length).toBeLessThan(CHUNK.length * 0.7)
  expect(await runFactories(chunk)).toEqual(await runFactories(CHUNK))
  expect(await runFactories(chunk)).toEqual({
    1: { value: 'required', inner: 'undefined', name: 'KeptName' },
    2: { sum: 3 },
  })
  expect(await fs.readFile(path.join(dir, 'index.js'), 'utf8')).toBe(entry)
  expect(await fs.readFile(path.join(dir, 'licenses.txt'), 'utf8')).toBe('MIT\n')
})

test('a bundle without chunks is left as it is', async () => {
  await fs.writeFile(path.join(dir, 'index.js'), 'const a = 1\nexport { a }\n')
  expect(await minifyChunks(dir)).toEqual({ chunks: 0 })
  expect(await fs.readFile(path.join(dir, 'index.js'), 'utf8')).toBe('const a = 1\nexport { a }\n')
})

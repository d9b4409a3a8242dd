import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

// @kubernetes/client-node (4.4 MB minified) runs only in the Kubernetes client's thread, for kubeconfigs the plain
// client does not serve: a static path to it from the main or post entry (a module that imports it, however
// lazily) puts a copy into that bundle and into every checkout of the action.
const DIST = path.join(import.meta.dirname, '..', '..', '..', 'dist')
const scripts = (folder: string): string[] =>
  readdirSync(path.join(DIST, folder))
    .filter((file) => file.endsWith('.js'))
    .map((file) => path.join(folder, file))
const holdsClientNode = (file: string): boolean =>
  readFileSync(path.join(DIST, file), 'utf8').includes('class CoreV1Api')

test('client-node is bundled for the Kubernetes thread only, not into the main or post bundle', () => {
  expect([...scripts('.'), ...scripts('post')].filter(holdsClientNode)).toEqual([])
  expect(scripts('kube-worker').some(holdsClientNode)).toBe(true)
})

// undici (@actions/http-client's proxy dispatcher) costs about 60 ms of CPU on Node 24 wherever it is evaluated:
// @actions/core's and @actions/tool-cache's @actions/http-client is shims/lazy-http-client, which loads the real one
// (and undici) in a chunk of its own on the first request. The marker is one of undici's error codes, a string that
// survives minification; that a chunk holds it keeps the check from passing on a marker undici no longer has.
const holdsUndici = (file: string): boolean =>
  readFileSync(path.join(DIST, file), 'utf8').includes('UND_ERR_CONNECT_TIMEOUT')

test('undici is not in the main or post entry, only in chunks loaded on demand', () => {
  expect(['index.js', path.join('post', 'index.js')].filter(holdsUndici)).toEqual([])
  expect(scripts('.').some(holdsUndici)).toBe(true)
})

// The chunks the main entry loads together for one import() (`Promise.all([n.e(88),n.e(665)])` or `n.e(702)`).
const chunkGroups = (entry: string): string[][] =>
  [
    ...readFileSync(path.join(DIST, entry), 'utf8').matchAll(
      /Promise\.all\(\[((?:\w+\.e\(\d+\),?)+)\]\)|\w+\.e\(\d+\)/g,
    ),
  ].map(([load]) => [...load.matchAll(/\.e\((\d+)\)/g)].map(([, id]) => `${id}.index.js`))

// Looking helm up in the tool cache (the default helm-version, in nearly every deploy, beside auth) loads
// @actions/tool-cache's chunk and the chunks that come with it; they make no request, so no undici.
test("undici is not in the tool cache's chunks", () => {
  const toolCache = scripts('.').filter((file) =>
    readFileSync(path.join(DIST, file), 'utf8').includes('Expected RUNNER_TOOL_CACHE to be defined'),
  )
  expect(toolCache).toHaveLength(1)
  const loaded = chunkGroups('index.js').filter((group) => group.includes(toolCache[0] ?? ''))
  expect(loaded).not.toEqual([])
  expect(loaded.flat().filter(holdsUndici)).toEqual([])
})

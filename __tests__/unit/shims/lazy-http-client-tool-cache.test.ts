import { execFile } from 'node:child_process'
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  mkdirSync,
  writeFileSync,
} from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { jest } from '@jest/globals'
import * as tc from '@actions/tool-cache'
import * as shimRoot from '../../../shims/lazy-http-client/index.js'

// @actions/tool-cache gets shims/lazy-http-client as its @actions/http-client (package.json's overrides): a deploy
// that looks helm up in the tool cache (the default helm-version) no longer loads undici for it; a download loads the
// real client on its first request.
const ROOT = path.join(import.meta.dirname, '..', '..', '..')
const SHIM = path.join(ROOT, 'shims', 'lazy-http-client')
const TOOL_CACHE = path.join(ROOT, 'node_modules', '@actions', 'tool-cache')
const BODY = 'helm, as a tarball would be\n'.repeat(64)

let server: http.Server
let base: string
let work: string
const saved = { cache: process.env.RUNNER_TOOL_CACHE, temp: process.env.RUNNER_TEMP }

beforeAll(async () => {
  server = http.createServer((request, response) => {
    if (request.url === '/helm.tar.gz') response.writeHead(200).end(BODY)
    else response.writeHead(404).end('not here')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})

beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'lazy-http-client-'))
  process.env.RUNNER_TOOL_CACHE = path.join(work, 'cache')
  process.env.RUNNER_TEMP = path.join(work, 'temp')
  // core.debug's workflow commands
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
})

afterEach(() => {
  jest.restoreAllMocks()
  rmSync(work, { recursive: true, force: true })
  if (saved.cache === undefined) delete process.env.RUNNER_TOOL_CACHE
  else process.env.RUNNER_TOOL_CACHE = saved.cache
  if (saved.temp === undefined) delete process.env.RUNNER_TEMP
  else process.env.RUNNER_TEMP = saved.temp
})

test("@actions/tool-cache's @actions/http-client is the shim", () => {
  expect(realpathSync(path.join(TOOL_CACHE, 'node_modules', '@actions', 'http-client'))).toBe(SHIM)
})

test('the shim exports every member @actions/tool-cache reads from @actions/http-client', () => {
  const read = readdirSync(path.join(TOOL_CACHE, 'lib'))
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(path.join(TOOL_CACHE, 'lib', file), 'utf8'))
    .flatMap((source) => [
      ...[...source.matchAll(/import\s*\*\s*as\s+(\w+)\s+from\s*'@actions\/http-client'/g)].flatMap(
        ([, namespace = '']) =>
          [...source.matchAll(new RegExp(String.raw`\b${namespace}\.(\w+)`, 'g'))].map(([, name]) => name),
      ),
      ...[...source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@actions\/http-client(\/[^']*)?'/g)].flatMap(
        ([, names = '', subpath = '']) =>
          names.split(',').map((name) => `${subpath}${name.trim().split(/\s+as\s+/)[0] ?? ''}`),
      ),
    ])
  expect(read).toContain('HttpClient')
  expect(Object.keys(shimRoot)).toEqual(expect.arrayContaining([...new Set(read)]))
})

test('downloadTool downloads through the shim from a loopback server', async () => {
  const dest = path.join(work, 'helm.tar.gz')

  await expect(tc.downloadTool(`${base}/helm.tar.gz`, dest)).resolves.toBe(dest)

  expect(readFileSync(dest, 'utf8')).toBe(BODY)
})

test("downloadTool's 404 is the real client's response: an HTTPError, not retried, no file left", async () => {
  const dest = path.join(work, 'missing.tar.gz')

  const failure = tc.downloadTool(`${base}/missing.tar.gz`, dest)

  await expect(failure).rejects.toBeInstanceOf(tc.HTTPError)
  await expect(failure).rejects.toMatchObject({ httpStatusCode: 404 })
  expect(readdirSync(work)).not.toContain('missing.tar.gz')
})

test('cacheDir and find work as before', async () => {
  const source = path.join(work, 'unpacked')
  mkdirSync(source)
  writeFileSync(path.join(source, 'helm'), '#!/bin/sh\n')

  const cached = await tc.cacheDir(source, 'lazy-shim-helm', '3.18.4')

  expect(tc.find('lazy-shim-helm', '3.18.4')).toBe(cached)
  expect(readFileSync(path.join(cached, 'helm'), 'utf8')).toBe('#!/bin/sh\n')
  expect(tc.find('lazy-shim-helm', '3.18.5')).toBe('')
})

// Outside jest's module registry: whether a plain Node process has evaluated undici (a CommonJS package, so in
// require's cache) after the tool cache's find and cacheDir, and after a download.
test('find and cacheDir load no undici; the first download does', async () => {
  const script = `
    import { createRequire } from 'node:module'
    import { mkdirSync } from 'node:fs'
    import * as tc from '@actions/tool-cache'
    const undici = () => Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('/undici/'))
    const source = process.env.RUNNER_TEMP + '/unpacked'
    mkdirSync(source, { recursive: true })
    const cached = await tc.cacheDir(source, 'lazy-shim-helm', '3.18.4')
    const found = tc.find('lazy-shim-helm', '3.18.4') === cached
    const beforeDownload = undici()
    await tc.downloadTool(process.env.URL, process.env.RUNNER_TEMP + '/helm.tar.gz')
    console.log(JSON.stringify({ found, beforeDownload, afterDownload: undici() }))
  `
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '--eval', script], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', URL: `${base}/helm.tar.gz` },
  })

  expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '')).toEqual({
    found: true,
    beforeDownload: false,
    afterDownload: true,
  })
})

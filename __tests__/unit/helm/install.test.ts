import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ActionError } from '../../../src/lib/errors.js'
import { installHelm, sha256File } from '../../../src/helm/install.js'
import { HttpStatusError, type DownloadLimits } from '../../../src/runner/download.js'
import { FakeRuntime } from '../../fixtures/fake-runtime.js'

const MIRROR = 'https://mirror.example.com'
const ARCHIVE = 'helm-v4.1.4-linux-amd64.tar.gz'
const PARAMS = { version: 'v4.1.4', mirror: MIRROR, os: 'linux', arch: 'x64' }

let dir: string
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'helm-install-'))
})
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

/** A fake tool cache over a temp dir: the mirror's files by URL, and a record of every call. */
function fakeToolCache(runtime: FakeRuntime, served: Record<string, string>, cached = '') {
  const calls: string[] = []
  let downloads = 0
  runtime.toolCache = {
    find: (...args: string[]) => {
      calls.push(`find ${args.join(' ')}`)
      return Promise.resolve(cached)
    },
    download: async (url: string) => {
      calls.push(`download ${url}`)
      const body = served[url]
      if (body === undefined) throw new HttpStatusError(404, '', url)
      const file = path.join(dir, `download-${++downloads}`)
      await fs.writeFile(file, body)
      return file
    },
    extract: async (archive: string) => {
      calls.push(`extract ${path.basename(archive)}`)
      const out = path.join(dir, 'extracted')
      await fs.mkdir(path.join(out, 'linux-amd64'), { recursive: true })
      return out
    },
    cacheDir: (source: string, ...rest: string[]) => {
      calls.push(`cacheDir ${path.relative(dir, source)} ${rest.join(' ')}`)
      return Promise.resolve('/tool-cache/helm/4.1.4/x64')
    },
  }
  return calls
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex')

describe('installHelm', () => {
  test('a cached helm is used as is: no download', async () => {
    const runtime = new FakeRuntime()
    const calls = fakeToolCache(runtime, {}, '/tool-cache/helm/4.1.4/x64')
    const helm = await installHelm(PARAMS, { runtime })
    expect(helm).toEqual({ binary: '/tool-cache/helm/4.1.4/x64/helm', isFromCache: true })
    expect(calls).toEqual(['find helm v4.1.4 x64'])
    expect(runtime.paths).toEqual(['/tool-cache/helm/4.1.4/x64'])
  })

  test('downloads the checksum, then the archive, verifies it, then extracts and caches', async () => {
    const runtime = new FakeRuntime()
    const calls = fakeToolCache(runtime, {
      [`${MIRROR}/${ARCHIVE}.sha256sum`]: `${sha('archive bytes')}  ${ARCHIVE}\n`,
      [`${MIRROR}/${ARCHIVE}`]: 'archive bytes',
    })
    const helm = await installHelm(PARAMS, { runtime })
    expect(helm).toEqual({ binary: '/tool-cache/helm/4.1.4/x64/helm', isFromCache: false })
    expect(calls).toEqual([
      'find helm v4.1.4 x64',
      `download ${MIRROR}/${ARCHIVE}.sha256sum`,
      `download ${MIRROR}/${ARCHIVE}`,
      'extract download-2',
      'cacheDir extracted/linux-amd64 helm v4.1.4 x64',
    ])
    expect(runtime.paths).toEqual(['/tool-cache/helm/4.1.4/x64'])
    expect(runtime.logs).toContain(`Verified SHA-256 ${sha('archive bytes')} of ${ARCHIVE}`)
    expect(await fs.readdir(dir)).toEqual(['extracted'])
  })

  test('a checksum mismatch refuses before extracting, naming the URL, both sums and what to do', async () => {
    const runtime = new FakeRuntime()
    const calls = fakeToolCache(runtime, {
      [`${MIRROR}/${ARCHIVE}.sha256sum`]: `${sha('the real archive')}  ${ARCHIVE}\n`,
      [`${MIRROR}/${ARCHIVE}`]: 'a tampered archive',
    })
    const error = await installHelm(PARAMS, { runtime }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ActionError)
    expect((error as ActionError).message).toBe(
      `Refusing to install helm v4.1.4: the SHA-256 of ${MIRROR}/${ARCHIVE} is ${sha('a tampered archive')}, but ${MIRROR}/${ARCHIVE}.sha256sum says ${sha('the real archive')}.`,
    )
    expect((error as ActionError).hint).toContain('helm-mirror: https://mirror.example.com')
    expect(calls.some((call) => call.startsWith('extract') || call.startsWith('cacheDir'))).toBe(false)
    expect(runtime.paths).toEqual([])
    expect(await fs.readdir(dir)).toEqual([])
  })

  test.each([
    ['the checksum file', {}, `${MIRROR}/${ARCHIVE}.sha256sum`],
    [
      'the archive',
      { [`${MIRROR}/${ARCHIVE}.sha256sum`]: `${sha('x')}  ${ARCHIVE}` },
      `${MIRROR}/${ARCHIVE}`,
    ],
  ])('a failed download of %s fails with the URL and no fallback', async (_name, served, url) => {
    const runtime = new FakeRuntime()
    const calls = fakeToolCache(runtime, served)
    const error = (await installHelm(PARAMS, { runtime }).catch((e: unknown) => e)) as ActionError
    expect(error.message).toBe(`Could not download ${url} to install helm v4.1.4: HTTP 404`)
    expect(error.cause).toEqual(new HttpStatusError(404, '', url))
    // A 404 will not change: no retry.
    expect(runtime.sleeps).toEqual([])
    expect(error.hint).toContain(`helm-mirror (${MIRROR}) serves ${ARCHIVE} and ${ARCHIVE}.sha256sum`)
    expect(error.hint).toContain('helm-version: system')
    expect(calls.filter((call) => call.startsWith('download')).at(-1)).toBe(`download ${url}`)
  })

  test('a mirror answering 503 is retried with backoff, each attempt bounded by what is left of the budget', async () => {
    const runtime = new FakeRuntime()
    const served = {
      [`${MIRROR}/${ARCHIVE}.sha256sum`]: `${sha('archive bytes')}  ${ARCHIVE}\n`,
      [`${MIRROR}/${ARCHIVE}`]: 'archive bytes',
    }
    fakeToolCache(runtime, served)
    const original = { ...runtime.toolCache }
    const download = (url: string, given: DownloadLimits) => original.download(url, given)
    const limits: unknown[] = []
    let failures = 2
    runtime.toolCache.download = (url, given) => {
      limits.push(given)
      runtime.clock += 1_000
      if (failures-- > 0) return Promise.reject(new HttpStatusError(503, 'Service Unavailable', url))
      return download(url, given)
    }
    const budget = { totalMs: 60_000, idleMs: 5_000 }
    await expect(installHelm(PARAMS, { runtime, budget })).resolves.toMatchObject({ isFromCache: false })
    expect(runtime.sleeps).toHaveLength(2)
    expect(limits[0]).toEqual({ idleMs: 5_000, timeoutMs: 60_000 })
    expect(limits).toHaveLength(4)
    // The archive gets what the checksum file (3 attempts, 2 delays) left of the one budget.
    const spent = 3 * 1_000 + runtime.sleeps.reduce((a, b) => a + b, 0)
    expect(limits[3]).toEqual({ idleMs: 5_000, timeoutMs: 60_000 - spent })
    expect(runtime.logs.filter((line) => line.startsWith('warning: Download attempt'))).toHaveLength(2)
  })

  test('the budget spent: the failure says how many attempts, how long, and the last cause', async () => {
    const runtime = new FakeRuntime()
    fakeToolCache(runtime, {})
    // Each attempt fails after 10 s, or when its time is up.
    runtime.toolCache.download = (url, limits) => {
      runtime.clock += Math.min(10_000, limits.timeoutMs)
      return Promise.reject(new HttpStatusError(502, 'Bad Gateway', url))
    }
    const error = await installHelm(PARAMS, { runtime, budget: { totalMs: 25_000, idleMs: 5_000 } }).catch(
      (e: unknown) => e,
    )
    const message = (error as Error).message
    expect(message).toMatch(
      /^Could not download \S+\.sha256sum to install helm v4\.1\.4: gave up after [23] attempts in \d+\.\d s; last error: HTTP 502 Bad Gateway$/,
    )
    expect(Number(/in (\d+\.\d) s/.exec(message)?.[1])).toBeLessThanOrEqual(25)
  })

  test('an unsupported runner fails before any download', async () => {
    const runtime = new FakeRuntime()
    const calls = fakeToolCache(runtime, {})
    await expect(installHelm({ ...PARAMS, arch: 'ppc64' }, { runtime })).rejects.toThrow('linux/ppc64')
    expect(calls).toEqual([])
  })
})

describe('sha256File', () => {
  test('hashes a file', async () => {
    const file = path.join(dir, 'f')
    await fs.writeFile(file, 'hello')
    expect(await sha256File(file)).toBe(sha('hello'))
  })
})

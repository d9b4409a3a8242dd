import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ActionError } from '../../../../src/lib/errors.js'
import { installHelm, sha256File } from '../../../../src/phases/deploy/helm/install.js'
import { FakeRuntime } from '../../../fixtures/fake-runtime.js'

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
      if (body === undefined) throw new Error('Unexpected HTTP response: 404')
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
    expect(error.message).toBe(`Could not download ${url} to install helm v4.1.4.`)
    expect(error.cause).toEqual(new Error('Unexpected HTTP response: 404'))
    expect(error.hint).toContain(`helm-mirror (${MIRROR}) serves ${ARCHIVE} and ${ARCHIVE}.sha256sum`)
    expect(error.hint).toContain('helm-version: system')
    expect(calls.filter((call) => call.startsWith('download')).at(-1)).toBe(`download ${url}`)
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

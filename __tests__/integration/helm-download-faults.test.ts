import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { formatFailure } from '../../src/lib/errors.js'
import { installHelm, type DownloadBudget } from '../../src/helm/install.js'
import { createActionsRuntime } from '../../src/runner/actions-runtime.js'
import { startFaultProxy, type Fault, type FaultProxy, type ProxiedRequest } from '../fixtures/fault-proxy.js'
import { describeWithHelm, fixtureHelmTarball } from '../fixtures/helm-release.js'
import { startHelmMirror, type HelmMirror } from '../fixtures/helm-mirror.js'
import { RealClockRuntime } from '../fixtures/real-clock-runtime.js'

/**
 * The helm download through a fault-injecting proxy in front of the mirror, with the real download
 * and tool cache: what is retried, how many attempts reached the wire, that the budget bounds the
 * wait, and the cause in the message.
 *
 * Each case gives the download's two timers (idle and total) values under which only the timer the
 * case is about can cut an attempt. The proxy and the mirror run in this process: on a loaded machine
 * its event loop can stall for longer than a short idle limit while the proxy buffers the ~20 MB
 * archive, and Node runs an expired timer before it reads a byte that has already arrived. So:
 * - ROOMY: neither timer can fire; the faults alone decide the attempts (4 = the policy's maximum).
 * - STALL: the idle limit is far below the total, so a silent mirror is cut by it, then retried.
 * - DRIP: the idle limit is above the total, so only the deadline can cut a dripping answer: the
 *   idle timer starts after the deadline's and is reset by every byte.
 */
const VERSION = 'v4.1.4'
/** What the budget bounds: seconds, not the 3-minute socket timeout nor a drip's "for ever". */
const SLACK_MS = 10_000
const ROOMY: DownloadBudget = { totalMs: 40_000, idleMs: 40_000 }
const STALL: DownloadBudget = { totalMs: 5_000, idleMs: 400 }
const DRIP: DownloadBudget = { totalMs: 5_000, idleMs: 60_000 }

interface DownloadCase {
  readonly name: string
  readonly fault: Fault
  /** How many requests get it (default: all). */
  readonly times?: number
  readonly file: 'checksum' | 'archive'
  readonly budget: DownloadBudget
  readonly installs: boolean
  readonly attempts: readonly [number, number]
  readonly message?: RegExp
  /** What the first retry's warning says. */
  readonly warning?: RegExp
}

const CASES: readonly DownloadCase[] = [
  {
    name: 'HTTP 503, twice',
    fault: { kind: 'status', status: 503 },
    times: 2,
    file: 'checksum',
    budget: ROOMY,
    installs: true,
    attempts: [3, 3],
  },
  {
    name: 'HTTP 429, once',
    fault: { kind: 'status', status: 429 },
    times: 1,
    file: 'archive',
    budget: ROOMY,
    installs: true,
    attempts: [2, 2],
  },
  {
    name: 'a reset connection, once',
    fault: { kind: 'reset' },
    times: 1,
    file: 'archive',
    budget: ROOMY,
    installs: true,
    attempts: [2, 2],
  },
  {
    name: 'a truncated archive, once',
    fault: { kind: 'truncate' },
    times: 1,
    file: 'archive',
    budget: ROOMY,
    installs: true,
    attempts: [2, 2],
  },
  {
    name: 'HTTP 404',
    fault: { kind: 'status', status: 404 },
    file: 'archive',
    budget: ROOMY,
    installs: false,
    attempts: [1, 1],
    message: /Could not download \S+\.tar\.gz to install helm v4\.1\.4: HTTP 404 Not Found/,
  },
  {
    name: 'HTTP 502, always',
    fault: { kind: 'status', status: 502 },
    file: 'checksum',
    budget: ROOMY,
    installs: false,
    attempts: [4, 4],
    message: /gave up after 4 attempts in \d+\.\d s; last error: HTTP 502 Bad Gateway/,
  },
  {
    name: 'a truncated archive, always',
    fault: { kind: 'truncate' },
    file: 'archive',
    budget: ROOMY,
    installs: false,
    attempts: [4, 4],
    message: /gave up after 4 attempts in \d+\.\d s; last error: aborted/,
  },
  {
    name: 'garbage instead of the checksum',
    fault: { kind: 'garbage' },
    file: 'checksum',
    budget: ROOMY,
    installs: false,
    attempts: [1, 1],
    message: /\.sha256sum does not hold a SHA-256 checksum/,
  },
  {
    name: 'a stalled mirror',
    fault: { kind: 'silent' },
    file: 'checksum',
    budget: STALL,
    installs: false,
    attempts: [2, 4],
    // The first attempt is cut for sending nothing; the last may be cut by what is left of the budget.
    warning: /sent nothing for 0\.4 s/,
    message:
      /last error: http:\/\/127\.0\.0\.1:\d+ (sent nothing for 0\.4 s|gave no complete answer within \d\.\d s)/,
  },
  {
    name: 'a dripping archive',
    fault: { kind: 'drip', intervalMs: 50 },
    file: 'archive',
    budget: DRIP,
    installs: false,
    // Cut by the deadline, which leaves no room for another attempt.
    attempts: [1, 1],
    message: /last error: http:\/\/127\.0\.0\.1:\d+ gave no complete answer within \d\.\d s/,
  },
]

describeWithHelm('the helm download: faults of the mirror, bounded by its budget', () => {
  let mirror: HelmMirror
  let proxy: FaultProxy
  let temp: string
  let archive: string
  const saved = { cache: process.env.RUNNER_TOOL_CACHE, temp: process.env.RUNNER_TEMP }

  beforeAll(async () => {
    mirror = await startHelmMirror([VERSION])
    proxy = await startFaultProxy(mirror.url)
    archive = (await fixtureHelmTarball(VERSION)).name
  })
  afterAll(async () => {
    process.env.RUNNER_TOOL_CACHE = saved.cache
    process.env.RUNNER_TEMP = saved.temp
    await Promise.all([proxy.stop(), mirror.stop()])
  })
  beforeEach(async () => {
    temp = await fs.mkdtemp(path.join(os.tmpdir(), 'helm-download-faults-'))
    // A fresh tool cache each time: every case downloads.
    process.env.RUNNER_TOOL_CACHE = path.join(temp, 'tool-cache')
    process.env.RUNNER_TEMP = path.join(temp, 'runner-temp')
    await fs.mkdir(process.env.RUNNER_TEMP)
  })
  afterEach(async () => {
    proxy.clear()
    await fs.rm(temp, { recursive: true, force: true })
  })

  const isFile =
    (file: DownloadCase['file']) =>
    (request: ProxiedRequest): boolean =>
      request.path === (file === 'checksum' ? `/${archive}.sha256sum` : `/${archive}`)

  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    proxy.inject(isFile(c.file), c.fault, c.times)
    const runtime = new RealClockRuntime()
    runtime.toolCache = createActionsRuntime().toolCache
    const before = proxy.requests.length
    const started = Date.now()
    const outcome = await installHelm(
      { version: VERSION, mirror: proxy.url, os: 'linux', arch: 'x64' },
      { runtime, budget: c.budget },
    ).then(
      (helm) => ({ helm, error: undefined }),
      (error: unknown) => ({ helm: undefined, error }),
    )
    const elapsed = Date.now() - started
    const attempts = proxy.requests.slice(before).filter(isFile(c.file)).length
    expect(attempts).toBeGreaterThanOrEqual(c.attempts[0])
    expect(attempts).toBeLessThanOrEqual(c.attempts[1])
    expect(elapsed).toBeLessThan(c.budget.totalMs + SLACK_MS)
    if (c.installs) {
      expect(outcome.error).toBeUndefined()
      await expect(fs.access(outcome.helm?.binary ?? '')).resolves.toBeUndefined()
      const retries = runtime.logs.filter((line) => line.startsWith('warning: Download attempt'))
      expect(retries).toHaveLength(attempts - 1)
    } else {
      expect(formatFailure(outcome.error)).toMatch(c.message ?? /./)
      if (c.warning !== undefined)
        expect(runtime.logs.find((line) => line.startsWith('warning:'))).toMatch(c.warning)
      // Nothing half-downloaded is left behind.
      expect(await fs.readdir(process.env.RUNNER_TEMP ?? '')).toEqual([])
    }
  })
})

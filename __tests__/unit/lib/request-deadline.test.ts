import http from 'node:http'
import { listenOnLoopback, type LoopbackServer } from '../../fixtures/loopback-server.js'
import { withRequestDeadline } from '../../../src/lib/request-deadline.js'

// A server that takes every request and never answers: what a hung credentials agent does.
let server: LoopbackServer
beforeAll(async () => {
  server = await listenOnLoopback(
    http.createServer((request) => {
      request.resume()
    }),
  )
})
afterAll(async () => {
  await server.stop()
})

/** A GET that only ends when its request is destroyed (the server never answers). */
function hangingGet(): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(`${server.url}/v1/credentials`, () => {
        resolve('answered')
      })
      .on('error', reject)
  })
}

test('at the deadline: rejects with the given error, and the work’s hanging request is destroyed with it', async () => {
  const stalled = new Error('stalled')
  let requestEnded: Promise<unknown> = Promise.resolve()
  const work = async (): Promise<string> => {
    requestEnded = hangingGet().catch((error: unknown) => error)
    return requestEnded.then(() => 'never')
  }
  await expect(withRequestDeadline(work, 50, () => stalled)).rejects.toBe(stalled)
  // The socket is closed, so nothing keeps the process alive.
  await expect(requestEnded).resolves.toBe(stalled)
})

test('a request the work starts after the deadline (a retry) is destroyed at once', async () => {
  const stalled = new Error('stalled')
  let retried: Promise<unknown> = Promise.resolve()
  let retry: () => void = () => undefined
  const retryStarted = new Promise<void>((resolve) => (retry = resolve))
  const work = async (): Promise<string> => {
    await hangingGet().catch(() => undefined)
    retried = hangingGet().catch((error: unknown) => error)
    retry()
    return 'never'
  }
  await expect(withRequestDeadline(work, 50, () => stalled)).rejects.toBe(stalled)
  await retryStarted
  await expect(retried).resolves.toBe(stalled)
})

test('work that ends in time keeps its value; requests outside it are left alone', async () => {
  const outside = http.get(`${server.url}/outside`)
  outside.on('error', () => undefined)
  await expect(
    withRequestDeadline(
      () => Promise.resolve('credentials'),
      60_000,
      () => new Error('x'),
    ),
  ).resolves.toBe('credentials')
  await expect(
    withRequestDeadline(
      () => Promise.reject(new Error('the chain found nothing')),
      60_000,
      () => new Error('x'),
    ),
  ).rejects.toThrow('the chain found nothing')
  expect(outside.destroyed).toBe(false)
  outside.destroy()
})

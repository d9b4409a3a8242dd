import http from 'node:http'
import { makeRunnerFiles, runAction } from '../fixtures/action-runner.js'
import { freePort } from '../fixtures/free-port.js'
import { httpGet } from '../../src/runner/http-get.js'

// The errors come from Node's realm, not jest's, so `instanceof Error` is false here: these tests
// check the fields auth-errors.ts reads (code, name); the bundle test below checks the retry itself.

describe('httpGet: the OIDC request over node:http, against a loopback server', () => {
  let server: http.Server
  let base: string
  const seen: http.IncomingHttpHeaders[] = []

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      seen.push(request.headers)
      if (request.url?.startsWith('/slow')) return // never answers: for the abort test
      const status = request.url?.startsWith('/fail') ? 503 : 200
      response.writeHead(status, { 'content-type': 'application/json' }).end('{"value":"a.b.c"}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  test('answers ok, status and the body, and sends the headers', async () => {
    const response = await httpGet(new URL('/token?audience=sts.amazonaws.com', base), {
      headers: { Authorization: 'Bearer request-token', Accept: 'application/json' },
    })
    expect(response.ok).toBe(true)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('{"value":"a.b.c"}')
    expect(seen.at(-1)).toMatchObject({ authorization: 'Bearer request-token', accept: 'application/json' })
  })

  test('a 5xx is an answer, not an error: ok is false', async () => {
    const response = await httpGet(`${base}/fail`)
    expect(response).toMatchObject({ ok: false, status: 503 })
  })

  test('an unreachable endpoint rejects with the network error code the auth phase retries', async () => {
    const error: unknown = await httpGet(`http://127.0.0.1:${await freePort()}/`).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ECONNREFUSED' })
  })

  test('the signal aborts a request that does not answer, as an AbortError (retried)', async () => {
    const error: unknown = await httpGet(`${base}/slow`, { signal: AbortSignal.timeout(100) }).catch(
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ name: 'AbortError' })
  })

  test('only GET', async () => {
    await expect(httpGet(base, { method: 'POST' })).rejects.toThrow('only sends GET')
  })
})

test('the bundle retries an unreachable OIDC endpoint, then explains', async () => {
  const files = await makeRunnerFiles()
  try {
    const port = await freePort()
    const run = await runAction({
      files,
      inputs: { 'role-to-assume': 'arn:aws:iam::123456789012:role/deploy', 'aws-region': 'eu-west-1' },
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/token`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
        AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9',
      },
    })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/Attempt 1 failed \(Error: connect ECONNREFUSED 127\.0\.0\.1:\d+\); retrying/)
    expect(run.stdout).toMatch(
      /gave up after 5 attempts in \d+\.\d s\. Last error: Error: connect ECONNREFUSED/,
    )
    expect(run.stdout).toContain(`127.0.0.1:${port}`)
  } finally {
    await files.cleanup()
  }
})

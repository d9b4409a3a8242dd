import { readdirSync, readFileSync, realpathSync } from 'node:fs'
import path from 'node:path'
import * as core from '@actions/core'
import { jest } from '@jest/globals'
import { startOidcServer, type OidcServer } from '../../fixtures/oidc-server.js'
import * as shimRoot from '../../../shims/lazy-http-client/index.js'
import * as shimAuth from '../../../shims/lazy-http-client/lib/auth.js'

// @actions/core gets shims/lazy-http-client as its @actions/http-client (package.json's overrides): the real
// client, and undici with it, load on the first request instead of at every start of the action.
const ROOT = path.join(import.meta.dirname, '..', '..', '..')
const SHIM = path.join(ROOT, 'shims', 'lazy-http-client')
const CORE = path.join(ROOT, 'node_modules', '@actions', 'core')

let server: OidcServer
const saved = {
  url: process.env.ACTIONS_ID_TOKEN_REQUEST_URL,
  token: process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
}

beforeAll(async () => {
  server = await startOidcServer()
})

afterAll(async () => {
  await server.stop()
})

afterEach(() => {
  jest.restoreAllMocks()
  if (saved.url === undefined) delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL
  else process.env.ACTIONS_ID_TOKEN_REQUEST_URL = saved.url
  if (saved.token === undefined) delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
  else process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = saved.token
})

test("@actions/core's @actions/http-client is the shim, and the top-level one (@actions/github's, the action's) is the real one", () => {
  expect(realpathSync(path.join(CORE, 'node_modules', '@actions', 'http-client'))).toBe(SHIM)
  expect(realpathSync(path.join(ROOT, 'node_modules', '@actions', 'http-client'))).toBe(
    path.join(ROOT, 'node_modules', '@actions', 'http-client'),
  )
})

test('the shim exports every name @actions/core imports from @actions/http-client', () => {
  const imports = readdirSync(path.join(CORE, 'lib'))
    .filter((file) => file.endsWith('.js'))
    .flatMap((file) => [
      ...readFileSync(path.join(CORE, 'lib', file), 'utf8').matchAll(
        /import\s*\{([^}]*)\}\s*from\s*'@actions\/http-client(\/[^']*)?'/g,
      ),
    ])
    .flatMap(([, names = '', subpath = '']) =>
      names.split(',').map((name) => `${subpath || '.'} ${name.trim().split(/\s+as\s+/)[0] ?? ''}`),
    )
  const exported = [
    ...Object.keys(shimRoot).map((name) => `. ${name}`),
    ...Object.keys(shimAuth).map((name) => `/lib/auth ${name}`),
  ]
  expect(imports).toContain('. HttpClient')
  expect(imports).toContain('/lib/auth BearerCredentialHandler')
  expect(exported).toEqual(expect.arrayContaining(imports))
})

test('core.getIDToken fetches the token through the shim from the runner endpoint, and masks it', async () => {
  process.env.ACTIONS_ID_TOKEN_REQUEST_URL = server.requestUrl
  process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = server.requestToken
  const written: string[] = []
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk))
    return true
  })

  const token = await core.getIDToken('sts.amazonaws.com')

  expect(token).toBe(server.issued.at(-1))
  expect(server.requests.at(-1)).toEqual({ audience: 'sts.amazonaws.com', authorized: true })
  expect(written.join('')).toContain(`::add-mask::${token}`)
})

test("core.getIDToken's failure is the real client's (an HTTP status it does not retry)", async () => {
  process.env.ACTIONS_ID_TOKEN_REQUEST_URL = server.requestUrl
  process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'not-the-request-token'
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true)

  await expect(core.getIDToken('sts.amazonaws.com')).rejects.toThrow(/Error Code : 401/)
})

describe("the shim's HttpClient", () => {
  test('a client disposed before its first request refuses it as the real one does', async () => {
    const client = new shimRoot.HttpClient('test')
    client.dispose()
    await expect(client.get(server.requestUrl)).rejects.toThrow('Client has already been disposed.')
  })

  test('getAgent before the first request says why it cannot answer', () => {
    expect(() => new shimRoot.HttpClient('test').getAgent(server.issuer)).toThrow(/before any request/)
  })

  test('getAgent after a request is the real client’s agent', async () => {
    const client = new shimRoot.HttpClient('test', [
      new shimAuth.BearerCredentialHandler(server.requestToken),
    ])
    const response = await client.getJson<{ value: string }>(`${server.requestUrl}&audience=a`)
    expect(response.result?.value).toBe(server.issued.at(-1))
    expect(client.getAgent(server.issuer)).toBeDefined()
    client.dispose()
  })
})

import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { jest } from '@jest/globals'
import { ActionError } from '../../../../src/lib/errors.js'
import { pinChart } from '../../../../src/phases/deploy/chart-pin.js'

// The deploy's own pin (no verify-chart): recorded answers of Debian's docker-registry (see
// unit/lib/oci-chart.test.ts), the login read from the job's DOCKER_CONFIG as helm reads it.
const MANIFEST =
  '{"schemaVersion":2,"config":{"mediaType":"application/vnd.cncf.helm.config.v1+json","digest":"sha256:1792d5f72c79fb51012360e5b51bc2ad35b30ff58f157ddaf71fe7182ca2da4d","size":192},"layers":[{"mediaType":"application/vnd.cncf.helm.chart.content.v1.tar+gzip","digest":"sha256:9128c8902a6603fcf88a0c85ec196b7bed18cb01622845bff992c95b235cf88e","size":1805}],"annotations":{"org.opencontainers.image.created":"2026-12-06T16:31:03Z","org.opencontainers.image.description":"tiny lab chart (ConfigMap + ClusterIP Service, optional Deployment / failing pieces)","org.opencontainers.image.title":"demo","org.opencontainers.image.version":"0.1.0"}}'
const DIGEST = 'sha256:aaa9c174f7e98db67a788e03584999b063c195f11167e971c6fd2e8799836303'
const HOST = 'registry.example:5000'
const REF = `oci://${HOST}/charts/demo`

let dir: string
const secrets: string[] = []
const runtime = { setSecret: (secret: string) => secrets.push(secret) }

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'chart-pin-'))
  const auth = Buffer.from('AWS:pw').toString('base64')
  await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify({ auths: { [HOST]: { auth } } }))
})
afterEach(async () => {
  jest.restoreAllMocks()
  await fs.rm(dir, { recursive: true, force: true })
})

function answer(status: number, body = ''): string[] {
  const asked: string[] = []
  jest.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    asked.push(`${url} ${new Headers(init?.headers).get('authorization') ?? ''}`)
    if (url.endsWith('/tags/list?n=1000'))
      return Promise.resolve(new Response('{"name":"charts/demo","tags":["0.1.0"]}'))
    return Promise.resolve(new Response(body, { status }))
  })
  return asked
}

const params = (overrides: Partial<Parameters<typeof pinChart>[0]> = {}) => ({
  chart: { kind: 'oci' as const, ref: REF },
  chartVersion: '0.1.0',
  helmArgs: [],
  dockerConfigDir: undefined,
  jobEnv: { DOCKER_CONFIG: dir },
  verified: undefined,
  ...overrides,
})

test('the tag read as its digest with the job’s login: helm is given name@digest and no --version', async () => {
  const asked = answer(200, MANIFEST)
  expect(await pinChart(params(), runtime)).toEqual({
    chart: { kind: 'oci', ref: `${REF}@${DIGEST}` },
    chartVersion: undefined,
    digest: DIGEST,
    note: { level: 'info', text: `Chart ${REF} version 0.1.0: deployed by digest, ${DIGEST}.` },
  })
  expect(asked).toEqual([`https://${HOST}/v2/charts/demo/manifests/0.1.0 Basic QVdTOnB3`])
})

test('helm-args --plain-http: read over http, as helm pulls it', async () => {
  const asked = answer(200, MANIFEST)
  await pinChart(params({ helmArgs: ['--plain-http'] }), runtime)
  expect(asked[0]).toMatch(/^http:\/\//)
})

test('a chart verify-chart pinned is deployed as it is, with no request', async () => {
  const asked = answer(500)
  const pin = await pinChart(params({ verified: { ref: `${REF}@${DIGEST}`, digest: DIGEST } }), runtime)
  expect(pin).toMatchObject({ chart: { ref: `${REF}@${DIGEST}` }, digest: DIGEST })
  expect(asked).toEqual([])
})

test('a version the registry lacks fails the deploy before helm', async () => {
  answer(404, '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}')
  const pin = await pinChart(params({ chartVersion: '9.9.9' }), runtime)
  expect(pin).toBeInstanceOf(ActionError)
  expect((pin as ActionError).message).toContain('has no version 9.9.9')
})

test('a registry the runner cannot read (here: no login it can see, 401) is left to helm, with a warning', async () => {
  answer(401, '{"errors":[{"code":"UNAUTHORIZED"}]}')
  const pin = await pinChart(params({ jobEnv: { DOCKER_CONFIG: path.join(dir, 'none') } }), runtime)
  expect(pin).toMatchObject({ chart: { ref: REF }, chartVersion: '0.1.0', digest: undefined })
  expect(pin).toHaveProperty('note.level', 'warning')
})

test('a chart from a path or a repository is not touched', async () => {
  const asked = answer(500)
  expect(await pinChart(params({ chart: { kind: 'path', path: './chart' } }), runtime)).toEqual({
    chart: { kind: 'path', path: './chart' },
    chartVersion: '0.1.0',
    digest: undefined,
  })
  expect(asked).toEqual([])
})

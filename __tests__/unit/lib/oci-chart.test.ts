import { jest } from '@jest/globals'
import { ActionError } from '../../../src/lib/errors.js'
import { isExactVersion, parseOciChart, pinOciChart } from '../../../src/lib/oci-chart.js'
import { openRegistry, RegistryRefused } from '../../../src/lib/oci-registry.js'

// Answers recorded from Debian's docker-registry (Distribution 2.8.2) holding `helm push`ed demo 0.1.0
// (helm 4.1.4): the manifest as served (its sha256 is the Docker-Content-Digest the registry sent),
// its tag list, and the errors it answers for an unknown tag and for no login.
const MANIFEST =
  '{"schemaVersion":2,"config":{"mediaType":"application/vnd.cncf.helm.config.v1+json","digest":"sha256:1792d5f72c79fb51012360e5b51bc2ad35b30ff58f157ddaf71fe7182ca2da4d","size":192},"layers":[{"mediaType":"application/vnd.cncf.helm.chart.content.v1.tar+gzip","digest":"sha256:9128c8902a6603fcf88a0c85ec196b7bed18cb01622845bff992c95b235cf88e","size":1805}],"annotations":{"org.opencontainers.image.created":"2026-12-06T16:31:03Z","org.opencontainers.image.description":"tiny lab chart (ConfigMap + ClusterIP Service, optional Deployment / failing pieces)","org.opencontainers.image.title":"demo","org.opencontainers.image.version":"0.1.0"}}'
const DIGEST = 'sha256:aaa9c174f7e98db67a788e03584999b063c195f11167e971c6fd2e8799836303'
const UNKNOWN =
  '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"9.9.9"}}]}'
const UNAUTHORIZED =
  '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":[{"Type":"repository","Class":"","Name":"charts/demo","Action":"pull"}]}]}'
const IMAGE_MANIFEST =
  '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}'

const HOST = '127.0.0.1:5000'

/** The registry's recorded answers, by path; what the action asked, in order. */
function serve(
  answers: Record<string, readonly [number, string]>,
  tags: readonly string[] = ['0.1.0'],
): { asked: string[] } {
  const asked: string[] = []
  const fetchStub = jest.fn((input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)
    asked.push(`${url.protocol}${url.pathname}`)
    const headers = new Headers(init?.headers)
    if (headers.get('authorization') !== 'Basic QVdTOnB3')
      return Promise.resolve(
        new Response(UNAUTHORIZED, { status: 401, headers: { 'www-authenticate': 'Basic realm="r"' } }),
      )
    if (url.pathname.endsWith('/tags/list'))
      return Promise.resolve(new Response(JSON.stringify({ name: 'charts/demo', tags })))
    const [status, body] = answers[url.pathname] ?? [404, UNKNOWN]
    return Promise.resolve(new Response(body, { status }))
  })
  jest.spyOn(globalThis, 'fetch').mockImplementation(fetchStub)
  return { asked }
}

afterEach(() => {
  jest.restoreAllMocks()
})

const reader = (auth = 'QVdTOnB3', scheme: 'https' | 'http' = 'https') =>
  openRegistry(HOST, 'charts/demo', auth, () => undefined, { purpose: 'deploy', scheme })

describe('parseOciChart', () => {
  test.each([
    [
      'oci://r.io/charts/demo',
      { host: 'r.io', repository: 'charts/demo', tag: undefined, digest: undefined },
    ],
    [
      'oci://r.io:5000/a/b/demo:1.2.3',
      { host: 'r.io:5000', repository: 'a/b/demo', tag: '1.2.3', digest: undefined },
    ],
    [`oci://r.io/demo@${DIGEST}`, { host: 'r.io', repository: 'demo', tag: undefined, digest: DIGEST }],
    [`oci://r.io/demo:0.1.0@${DIGEST}`, { host: 'r.io', repository: 'demo', tag: '0.1.0', digest: DIGEST }],
  ])('%s', (ref, expected) => {
    expect(parseOciChart(ref)).toEqual(expected)
  })

  test.each([
    ['1.2.3', true],
    ['v1.2.3-rc.1+build.5', true],
    ['^1.2.0', false],
    ['1.2', false],
    ['>=1.0.0 <2.0.0', false],
  ])('chart-version %s names one version: %s', (version, exact) => {
    expect(isExactVersion(parseOciChart('oci://r.io/demo'), version)).toBe(exact)
  })
})

describe('pinOciChart with the registry’s recorded answers', () => {
  test('chart-version 0.1.0 is resolved to the digest of the manifest served', async () => {
    const { asked } = serve({ '/v2/charts/demo/manifests/0.1.0': [200, MANIFEST] })
    const pin = await pinOciChart(parseOciChart(`oci://${HOST}/charts/demo`), '0.1.0', reader())
    expect(pin).toEqual({
      kind: 'pinned',
      ref: `oci://${HOST}/charts/demo@${DIGEST}`,
      digest: DIGEST,
      tag: '0.1.0',
    })
    expect(asked).toEqual(['https:/v2/charts/demo/manifests/0.1.0'])
  })

  test('the tag in the reference, over plain http when helm is told --plain-http', async () => {
    const { asked } = serve({ '/v2/charts/demo/manifests/0.1.0': [200, MANIFEST] })
    const pin = await pinOciChart(
      parseOciChart(`oci://${HOST}/charts/demo:0.1.0`),
      undefined,
      reader('QVdTOnB3', 'http'),
    )
    expect(pin).toMatchObject({ kind: 'pinned', digest: DIGEST })
    expect(asked).toEqual(['http:/v2/charts/demo/manifests/0.1.0'])
  })

  test('no version: the newest stable version of the tags, as helm picks it', async () => {
    const { asked } = serve({ '/v2/charts/demo/manifests/0.10.0': [200, MANIFEST] }, [
      '0.1.0',
      '0.9.0',
      '0.10.0',
      '1.0.0-rc.1',
      'latest',
    ])
    const pin = await pinOciChart(parseOciChart(`oci://${HOST}/charts/demo`), undefined, reader())
    expect(pin).toMatchObject({ kind: 'pinned', tag: '0.10.0', digest: DIGEST })
    expect(asked).toEqual(['https:/v2/charts/demo/tags/list', 'https:/v2/charts/demo/manifests/0.10.0'])
  })

  test('a reference pinned by digest is checked (the manifest by that digest), not resolved again', async () => {
    const { asked } = serve({ [`/v2/charts/demo/manifests/${DIGEST}`]: [200, MANIFEST] })
    const pin = await pinOciChart(parseOciChart(`oci://${HOST}/charts/demo@${DIGEST}`), '0.1.0', reader())
    expect(pin).toEqual({
      kind: 'pinned',
      ref: `oci://${HOST}/charts/demo@${DIGEST}`,
      digest: DIGEST,
      tag: undefined,
    })
    expect(asked).toEqual([`https:/v2/charts/demo/manifests/${DIGEST}`])
  })

  test('a digest the registry does not hold is refused, with the tags it has', async () => {
    serve({})
    const other = `sha256:${'e'.repeat(64)}`
    await expect(
      pinOciChart(parseOciChart(`oci://${HOST}/charts/demo@${other}`), undefined, reader()),
    ).rejects.toThrow(
      `The chart oci://${HOST}/charts/demo has no digest ${other} in ${HOST}/charts/demo: its tags: 0.1.0.`,
    )
  })

  test('a version that does not exist: refused before helm, naming the repository and its tags, newest first', async () => {
    serve({}, ['0.1.0', '0.2.0', '0.10.0', 'latest', ...Array.from({ length: 8 }, (_, i) => `1.${i}.0`)])
    const error = await pinOciChart(parseOciChart(`oci://${HOST}/charts/demo`), '9.9.9', reader()).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ActionError)
    expect((error as ActionError).message).toBe(
      `The chart oci://${HOST}/charts/demo has no version 9.9.9 in ${HOST}/charts/demo: its tags, newest first (8 of 12): 1.7.0, 1.6.0, 1.5.0, 1.4.0, 1.3.0, 1.2.0, 1.1.0, 1.0.0.`,
    )
    expect((error as ActionError).hint).toContain("'chart-version'")
  })

  test('a repository with no tags says so', async () => {
    serve({}, [])
    await expect(pinOciChart(parseOciChart(`oci://${HOST}/charts/demo`), '0.1.0', reader())).rejects.toThrow(
      'it has no tags (no version of the chart was pushed)',
    )
  })

  test('an image is not a chart', async () => {
    serve({ '/v2/charts/demo/manifests/0.1.0': [200, IMAGE_MANIFEST] })
    await expect(pinOciChart(parseOciChart(`oci://${HOST}/charts/demo`), '0.1.0', reader())).rejects.toThrow(
      `oci://${HOST}/charts/demo:0.1.0 is not a Helm chart: its manifest's config is application/vnd.oci.image.config.v1+json`,
    )
  })

  test('a range is left to helm (not pinned); a tag and chart-version that differ are refused', async () => {
    const { asked } = serve({})
    await expect(
      pinOciChart(parseOciChart(`oci://${HOST}/charts/demo`), '^0.1.0', reader()),
    ).resolves.toEqual({
      kind: 'range',
      constraint: '^0.1.0',
    })
    expect(asked).toEqual([])
    await expect(
      pinOciChart(parseOciChart(`oci://${HOST}/charts/demo:0.1.0`), '0.2.0', reader()),
    ).rejects.toThrow('name two versions')
  })

  test('no login: refused (401), and the error says it was sent without one', async () => {
    serve({ '/v2/charts/demo/manifests/0.1.0': [200, MANIFEST] })
    const error = await pinOciChart(
      parseOciChart(`oci://${HOST}/charts/demo`),
      '0.1.0',
      openRegistry(HOST, 'charts/demo', undefined, () => undefined, { purpose: 'deploy' }),
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RegistryRefused)
    expect((error as RegistryRefused).hasLogin).toBe(false)
    expect((error as Error).message).toBe(
      `deploy: ${HOST} refused to read charts/demo (HTTP 401, without a login).`,
    )
  })
})

import type { ChartRef } from '../../../../../src/inputs/types.js'
import { explainChartPullFailure } from '../../../../../src/phases/deploy/helm/chart-pull.js'
import { formatFailure } from '../../../../../src/lib/errors.js'

const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
const OCI: ChartRef = { kind: 'oci', ref: `oci://${ECR}/charts/demo` }
const OTHER: ChartRef = { kind: 'oci', ref: 'oci://127.0.0.1:40511/charts/demo' }

// helm's stderr, as helm 3.17.3 and 4.1.4 print it (captured against __tests__/fixtures/oci-registry.ts).
const HELM3 = {
  401: 'Error: unexpected status from HEAD request to https://HOST/v2/charts/demo/manifests/0.1.0: 401 Unauthorized',
  403: 'Error: unexpected status from HEAD request to https://HOST/v2/charts/demo/manifests/0.1.0: 403 Forbidden',
  404: 'Error: HOST/charts/demo:0.1.0: not found',
  none: 'Error: pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials',
}
const HELM4 = {
  401: 'Error: failed to perform "FetchReference" on source: GET "https://HOST/v2/charts/demo/manifests/0.1.0": response status code 401: unauthorized: authentication required',
  403: 'Error: failed to perform "FetchReference" on source: GET "https://HOST/v2/charts/demo/manifests/0.1.0": response status code 403: denied: not authorized',
  404: 'Error: failed to perform "FetchReference" on source: HOST/charts/demo:0.1.0: not found',
  none: 'Error: failed to perform "FetchReference" on source: GET "https://HOST/v2/charts/demo/manifests/0.1.0": basic credential not found',
}

describe('explainChartPullFailure', () => {
  test.each([
    ['helm 3', HELM3],
    ['helm 4', HELM4],
  ])('%s: 401, 403, 404 and no login each say so, naming the chart and the registry', (_helm, texts) => {
    const explain = (key: keyof typeof texts) =>
      formatFailure(explainChartPullFailure(OCI, '0.1.0', `${texts[key].replaceAll('HOST', ECR)}\n`))
    const head = `helm could not pull the chart oci://${ECR}/charts/demo version 0.1.0: registry ${ECR}`
    expect(explain(401)).toContain(`${head} refused the login (HTTP 401).`)
    expect(explain(401)).toContain('Phase ecr-login logs in to')
    expect(explain(403)).toContain(`${head} denied the pull (HTTP 403).`)
    expect(explain(403)).toContain('ecr:BatchGetImage')
    expect(explain(404)).toContain(`${head} has no such chart or version (HTTP 404).`)
    expect(explain('none')).toContain(`${head} refused the login (HTTP 401).`)
    for (const key of [401, 403, 404, 'none'] as const) expect(explain(key)).not.toMatch(/cluster/i)
  })

  test('a registry that is not ECR: log in with docker login, not helm registry login', () => {
    const stderr = HELM3[401].replaceAll('HOST', '127.0.0.1:40511')
    const message = formatFailure(explainChartPullFailure(OTHER, undefined, stderr))
    expect(message).toContain(
      'helm could not pull the chart oci://127.0.0.1:40511/charts/demo: registry 127.0.0.1:40511 refused',
    )
    expect(message).toContain('`docker login`')
  })

  test.each([
    [
      'a cluster refusal',
      'Error: Kubernetes cluster unreachable: the server has asked for the client to provide credentials',
    ],
    ['a release that is not found', 'Error: UPGRADE FAILED: release: not found'],
    ['a 401 from another host', HELM3[401].replaceAll('HOST', 'example.com')],
    ['a timeout', 'Error: UPGRADE FAILED: context deadline exceeded'],
  ])('not a pull failure of the chart: %s', (_name, stderr) => {
    expect(explainChartPullFailure(OCI, '0.1.0', stderr)).toBeUndefined()
  })

  test('charts that are not oci:// are never a registry failure', () => {
    const stderr = HELM3[401].replaceAll('HOST', ECR)
    expect(explainChartPullFailure({ kind: 'path', path: './chart' }, undefined, stderr)).toBeUndefined()
  })
})

import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parse, parseAllDocuments } from 'yaml'
import { ActionError } from '../../../../../src/lib/errors.js'
import { makeImageRef } from '../../../../../src/lib/image-ref.js'
import {
  prepareManifestChart,
  withManifestReport,
  type ManifestChartParams,
} from '../../../../../src/phases/deploy/manifests/index.js'
import type { DeployResult } from '../../../../../src/phases/deploy/types.js'
import type { ManifestObject, ManifestSet } from '../../../../../src/phases/deploy/manifests/types.js'
import { FakeKube } from '../../../../fixtures/fake-kube.js'
import { FakeRuntime } from '../../../../fixtures/fake-runtime.js'

const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
const IMAGE = makeImageRef(REGISTRY, 'shop/api', '0123abc', undefined)

const deployment: ManifestObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  name: 'web',
  namespace: undefined,
  text: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: ${REGISTRY}/shop/api:latest\n      - name: sidecar\n        image: busybox:1.36\n`,
  source: 'k8s/app.yaml, document 1',
}
const configMap: ManifestObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  name: 'web',
  namespace: 'shop',
  text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: shop}\ndata:\n  t: "{{ .x }}"\n',
  source: 'k8s/app.yaml, document 2',
}
const SET: ManifestSet = {
  chartVersion: '0.0.0-g0123456',
  files: [{ name: 'k8s/app.yaml', objects: [deployment, configMap] }],
}

let runnerTemp: string
beforeEach(async () => {
  runnerTemp = await fs.mkdtemp(path.join(os.tmpdir(), 'manifest-chart-'))
})
afterEach(() => fs.rm(runnerTemp, { recursive: true, force: true }))

async function prepare(overrides: Partial<ManifestChartParams> = {}, kube = new FakeKube()) {
  const runtime = new FakeRuntime()
  const cleanup: string[] = []
  const made = await prepareManifestChart(
    {
      manifests: SET,
      release: 'web',
      namespace: 'shop',
      image: IMAGE,
      runnerTemp,
      isDryRun: false,
      ...overrides,
    },
    {
      runtime,
      cleanup: { add: (paths) => cleanup.push(...paths) },
      connectKube: () => Promise.resolve(kube),
    },
  )
  const dir = made.chart.kind === 'path' ? made.chart.path : ''
  const template = await fs.readFile(path.join(dir, 'templates', '1-app.yaml'), 'utf8')
  return { made, runtime, cleanup, dir, template, kube }
}

describe('prepareManifestChart', () => {
  test('a chart in the step temp directory (for the post step), the image pinned, the rest as written', async () => {
    const { made, runtime, cleanup, dir, template } = await prepare()
    expect(dir.startsWith(path.join(runnerTemp, 'eks-manifests-'))).toBe(true)
    expect(cleanup).toEqual([dir])
    expect(parse(await fs.readFile(path.join(dir, 'Chart.yaml'), 'utf8'))).toMatchObject({
      name: 'web',
      version: '0.0.0-g0123456',
      appVersion: '0123abc',
    })
    expect(template).toBe(
      `${deployment.text.replace(`${REGISTRY}/shop/api:latest`, `"${REGISTRY}/shop/api:0123abc"`)}---\n${configMap.text.replace('{{', '{{"{{"}}')}`,
    )
    expect(made.report).toEqual({
      files: 1,
      clusterScoped: [],
      objects: 2,
      pinned: [
        {
          object: 'Deployment/web',
          container: 'app',
          from: `${REGISTRY}/shop/api:latest`,
          to: `${REGISTRY}/shop/api:0123abc`,
        },
      ],
      adopted: [],
    })
    expect(made.adopt).toBeUndefined()
    expect(runtime.logs).toContain(
      `Deployment/web container app: ${REGISTRY}/shop/api:latest -> ${REGISTRY}/shop/api:0123abc`,
    )
    expect(runtime.logs.filter((line) => line.startsWith('warning:'))).toEqual([])
  })

  test('no container of ecr-repository: a warning, nothing pinned; without an image nothing is looked for', async () => {
    const other = makeImageRef(REGISTRY, 'shop/worker', '0123abc', undefined)
    const { runtime, made } = await prepare({ image: other })
    expect(made.report.pinned).toEqual([])
    expect(runtime.logs).toContainEqual(
      expect.stringMatching(
        /^warning: No container of the manifests runs an image of .*\/shop\/worker \(ecr-repository\)/,
      ),
    )
    const { runtime: quiet, made: plain } = await prepare({ image: undefined })
    expect(plain.report.pinned).toEqual([])
    expect(quiet.logs.filter((line) => line.startsWith('warning:'))).toEqual([])
  })

  test('objects kubectl made: marked keep in the chart, adopted only when helm is about to run', async () => {
    const kube = new FakeKube()
    kube.objects.set('Deployment/shop/web', {
      labels: {},
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    })
    const { made, template, runtime } = await prepare({}, kube)
    expect(made.report.adopted).toEqual(['Deployment/web'])
    expect(runtime.logs).toContain(
      'Adopting into release web (they exist without a Helm release, as kubectl apply leaves them): Deployment/web.',
    )
    const [first] = parseAllDocuments(template).map((document) => document.toJS() as { metadata: object })
    expect(first?.metadata).toEqual({ annotations: { 'helm.sh/resource-policy': 'keep' }, name: 'web' })
    expect(kube.patched).toEqual([])
    expect(await made.adopt?.()).toBeUndefined()
    expect(kube.patched.map((patch) => patch.change.annotations)).toEqual([
      { 'meta.helm.sh/release-name': 'web', 'meta.helm.sh/release-namespace': 'shop' },
    ])
  })

  test('a dry run marks nothing; a failed patch is an error that names the objects and the access', async () => {
    const kube = new FakeKube()
    kube.objects.set('Deployment/shop/web', {
      labels: {},
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    })
    const dry = await prepare({ isDryRun: true }, kube)
    expect(dry.made.adopt).toBeUndefined()
    expect(dry.runtime.logs).toContainEqual(expect.stringMatching(/^Would adopt into release web/))
    kube.patchLabels = () => Promise.reject(new Error('Could not patch Deployment web: forbidden (HTTP 403)'))
    const error = await (await prepare({}, kube)).made.adopt?.()
    expect(error?.message).toBe(
      'Could not adopt the existing objects into release web: Could not patch Deployment web: forbidden (HTTP 403)',
    )
  })

  test('the Kubernetes API out of reach: a warning, no adoption, the chart still made', async () => {
    const runtime = new FakeRuntime()
    const made = await prepareManifestChart(
      { manifests: SET, release: 'web', namespace: 'shop', image: IMAGE, runnerTemp, isDryRun: false },
      {
        runtime,
        cleanup: { add: () => undefined },
        connectKube: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6443')),
      },
    )
    expect(made.adopt).toBeUndefined()
    expect(runtime.logs).toContain(
      'warning: Cannot tell which objects exist already (connect ECONNREFUSED 127.0.0.1:6443): none is adopted.',
    )
  })

  test('a failed first install that adopted objects: the result says they stay as helm applied them', async () => {
    const kube = new FakeKube()
    kube.objects.set('Deployment/shop/web', {
      labels: {},
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    })
    const { made } = await prepare({}, kube)
    const result: DeployResult = {
      helmVersion: 'v4.1.4',
      release: 'web',
      namespace: 'shop',
      isDryRun: false,
      state: undefined,
      previousRevision: undefined,
      isRolledBack: true,
      failure: new ActionError('the rollout failed'),
      failureReason: 'CrashLoopBackOff',
      diagnosis: undefined,
      changes: undefined,
    }
    const runtime = new FakeRuntime()
    expect(withManifestReport(result, made, runtime)).toEqual({ ...result, manifests: made.report })
    expect(runtime.logs).toEqual([
      expect.stringMatching(
        /^warning: This first install adopted Deployment\/web and failed: helm kept them as it had applied them .*`kubectl rollout undo deployment\/<name> -n shop`/,
      ),
    ])
    // An upgrade rolls back to its previous revision: nothing to add.
    const quiet = new FakeRuntime()
    withManifestReport({ ...result, previousRevision: 1 }, made, quiet)
    expect(quiet.logs).toEqual([])
  })
})

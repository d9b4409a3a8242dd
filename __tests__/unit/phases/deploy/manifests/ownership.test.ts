import type { ObjectLabels } from '../../../../../src/kube/kube-api.js'
import {
  adoptObjects,
  checkOwnership,
  ownershipOf,
} from '../../../../../src/phases/deploy/manifests/ownership.js'
import type { ManifestObject } from '../../../../../src/phases/deploy/manifests/types.js'
import { FakeKube } from '../../../../fixtures/fake-kube.js'

const RELEASE = { name: 'web', namespace: 'shop' }
const marked = (name: string, namespace: string, managedBy = 'Helm'): ObjectLabels => ({
  labels: { 'app.kubernetes.io/managed-by': managedBy },
  annotations: { 'meta.helm.sh/release-name': name, 'meta.helm.sh/release-namespace': namespace },
})
const APPLIED = { 'kubectl.kubernetes.io/last-applied-configuration': '{}' }
const kubectlMade: ObjectLabels = { labels: {}, annotations: APPLIED }
const object = (kind: string, name: string, namespace?: string): ManifestObject => ({
  apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1',
  kind,
  name,
  namespace,
  text: '',
  source: `k8s/${name}.yaml, document 1`,
})

describe('ownershipOf: whose an object is, by the marks helm checks', () => {
  test.each([
    ['absent', undefined, { kind: 'absent' }],
    [
      'made by kubectl apply',
      { labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
      { kind: 'unowned' },
    ],
    // `helm template | kubectl apply` leaves the chart's managed-by label but no release annotations.
    [
      'labelled Helm by a chart, applied by kubectl',
      { labels: { 'app.kubernetes.io/managed-by': 'Helm' }, annotations: APPLIED },
      { kind: 'unowned' },
    ],
    ['this release', marked('web', 'shop'), { kind: 'release' }],
    [
      'this release without the label, applied by kubectl',
      {
        ...marked('web', 'shop', 'kubectl'),
        annotations: { ...marked('web', 'shop').annotations, ...APPLIED },
      },
      { kind: 'unowned' },
    ],
    [
      'made by kubectl 1.18+ (a field manager, no annotation)',
      { labels: {}, annotations: {}, managers: ['kubectl-create', 'kube-controller-manager'] },
      { kind: 'unowned' },
    ],
    [
      'made by kubectl server-side apply',
      { labels: {}, annotations: {}, managers: ['kubectl'] },
      { kind: 'unowned' },
    ],
    [
      'made by an operator (nothing shows kubectl)',
      { labels: {}, annotations: {}, managers: ['cert-manager', 'kubectlish'] },
      { kind: 'foreign', managers: ['cert-manager', 'kubectlish'] },
    ],
    [
      "an operator's object a person later labelled and patched with kubectl",
      { labels: {}, annotations: {}, managers: ['cert-manager', 'kubectl-label', 'kubectl-patch'] },
      { kind: 'foreign', managers: ['cert-manager', 'kubectl-label', 'kubectl-patch'] },
    ],
    ['no marks at all', { labels: {}, annotations: {} }, { kind: 'foreign', managers: [] }],
    ['another release', marked('api', 'shop'), { kind: 'other', release: 'api', namespace: 'shop' }],
    [
      'a release of the same name in another namespace',
      marked('web', 'staging'),
      { kind: 'other', release: 'web', namespace: 'staging' },
    ],
  ])('%s', (_, live, expected) => {
    expect(ownershipOf(live, RELEASE)).toEqual(expected)
  })
})

describe('checkOwnership and adoptObjects', () => {
  test('the unowned are found and marked; objects without a namespace are looked up in the release namespace', async () => {
    const kube = new FakeKube()
    kube.objects.set('Deployment/shop/web', kubectlMade)
    kube.objects.set('Service/shop/web', marked('web', 'shop'))
    const objects = [
      object('Deployment', 'web'),
      object('Service', 'web', 'shop'),
      object('ConfigMap', 'new'),
    ]
    const check = await checkOwnership(objects, RELEASE, kube)
    expect(check).toEqual({ unowned: [objects[0]], unknown: [], clusterScoped: [] })
    await adoptObjects(check.unowned, RELEASE, kube)
    expect(kube.patched).toEqual([
      {
        object: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop' },
        change: { labels: marked('web', 'shop').labels, annotations: marked('web', 'shop').annotations },
      },
    ])
    expect((await checkOwnership(objects, RELEASE, kube)).unowned).toEqual([])
  })

  test('an object of another release is refused, naming it, where it was written and its release', async () => {
    const kube = new FakeKube()
    kube.objects.set('ConfigMap/shop/flags', marked('flags', 'shop'))
    kube.objects.set('ConfigMap/shop/cfg', marked('web', 'staging'))
    const error = await checkOwnership(
      [object('ConfigMap', 'flags'), object('ConfigMap', 'cfg'), object('ConfigMap', 'free')],
      RELEASE,
      kube,
    ).catch((caught: unknown) => caught)
    expect(error).toMatchObject({
      name: 'ActionError',
      message:
        "The manifests hold 2 objects that release 'web' does not own and may not take: ConfigMap/flags (k8s/flags.yaml, document 1) belongs to release 'flags' in namespace 'shop'; ConfigMap/cfg (k8s/cfg.yaml, document 1) belongs to release 'web' in namespace 'staging'.",
    })
    expect((error as { hint?: string }).hint).toContain('helm uninstall <release> -n <namespace>')
  })

  test('an object the API will not show is left to helm, with the reason', async () => {
    const kube = new FakeKube()
    kube.readLabels = (ref) =>
      ref.kind === 'CronJob'
        ? Promise.reject(new Error('Could not read CronJob nightly: no matches for kind CronJob in batch/v1'))
        : Promise.resolve(undefined)
    const check = await checkOwnership(
      [object('CronJob', 'nightly'), object('ConfigMap', 'a')],
      RELEASE,
      kube,
    )
    expect(check).toEqual({
      unowned: [],
      clusterScoped: [],
      unknown: ['CronJob/nightly: Could not read CronJob nightly: no matches for kind CronJob in batch/v1'],
    })
  })

  test('many objects: at most 8 requests at a time, every one answered in order', async () => {
    const kube = new FakeKube()
    let inFlight = 0
    let most = 0
    kube.readLabels = async (ref) => {
      most = Math.max(most, ++inFlight)
      await new Promise((resolve) => setImmediate(resolve))
      inFlight--
      return ref.name.endsWith('3') ? kubectlMade : undefined
    }
    const objects = Array.from({ length: 30 }, (_, index) => object('ConfigMap', `c${index}`))
    const check = await checkOwnership(objects, RELEASE, kube)
    expect(check.unowned.map((o) => o.name)).toEqual(['c3', 'c13', 'c23'])
    expect(most).toBe(8)
  })
})

describe('checkOwnership: never a cluster-scoped object, never one kubectl did not make', () => {
  const clusterRole = (name: string): ManifestObject => ({
    ...object('ClusterRole', name),
    apiVersion: 'rbac.authorization.k8s.io/v1',
  })

  test('a pre-existing ClusterRole is refused even when kubectl made it; a new one is listed', async () => {
    const kube = new FakeKube()
    kube.objects.set('ClusterRole/shop/operator', kubectlMade)
    const error = await checkOwnership([clusterRole('operator'), clusterRole('new')], RELEASE, kube).catch(
      (caught: unknown) => caught,
    )
    expect(error).toMatchObject({ name: 'ActionError' })
    expect((error as Error).message).toContain(
      "ClusterRole/operator (k8s/operator.yaml, document 1) is cluster-scoped and exists without release 'web' (kubectl made it): never taken over",
    )
    expect((error as Error).message).not.toContain('ClusterRole/new')
    kube.objects.delete('ClusterRole/shop/operator')
    const check = await checkOwnership([clusterRole('operator'), object('ConfigMap', 'a')], RELEASE, kube)
    expect(check.clusterScoped).toEqual(['ClusterRole/operator'])
  })

  test("discovery decides the scope of kinds the list does not know (a CRD's)", async () => {
    const kube = new FakeKube()
    kube.resources.set('example.com/v1/Widget', {
      group: 'example.com',
      resource: 'widgets',
      isNamespaced: false,
    })
    const widget = { ...object('Widget', 'w'), apiVersion: 'example.com/v1' }
    expect((await checkOwnership([widget], RELEASE, kube)).clusterScoped).toEqual(['Widget/w'])
  })

  test('an existing namespaced object that nothing shows kubectl made is refused, naming its managers', async () => {
    const kube = new FakeKube()
    kube.objects.set('ConfigMap/shop/ca', { labels: {}, annotations: {}, managers: ['cert-manager'] })
    const error = await checkOwnership([object('ConfigMap', 'ca')], RELEASE, kube).catch(
      (caught: unknown) => caught as Error,
    )
    expect(error).toMatchObject({
      message: expect.stringContaining(
        'ConfigMap/ca (k8s/ca.yaml, document 1) exists, and nothing shows kubectl made it (field managers: cert-manager): never taken over',
      ),
    })
    expect(kube.patched).toEqual([])
  })
})

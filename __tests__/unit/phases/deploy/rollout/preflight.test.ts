import { ActionError } from '../../../../../src/lib/errors.js'
import { checkAccess, type PreflightParams } from '../../../../../src/phases/deploy/rollout/preflight.js'
import type { RenderedObject } from '../../../../../src/phases/deploy/rollout/rendered.js'
import { COMMON_RESOURCES, FakeKube } from '../../../../fixtures/fake-kube.js'

const object = (apiVersion: string, kind: string, isHook = false, namespace?: string): RenderedObject => ({
  apiVersion,
  kind,
  name: kind.toLowerCase(),
  namespace,
  isHook,
})
const OBJECTS = [
  object('apps/v1', 'Deployment'),
  object('v1', 'Service'),
  object('v1', 'ConfigMap'),
  object('batch/v1', 'Job', true),
]
const params = (overrides: Partial<PreflightParams> = {}): PreflightParams => ({
  release: 'api',
  namespace: 'shop',
  objects: OBJECTS,
  helmMajor: 4,
  isInstall: false,
  shouldCreateNamespace: false,
  namespaceState: 'exists',
  isWaiting: true,
  isAtomic: false,
  isPruning: false,
  cluster: { clusterName: 'prod', region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/deploy' },
  ...overrides,
})

function kube(): FakeKube {
  const fake = new FakeKube()
  fake.resources = new Map(COMMON_RESOURCES)
  fake.existingNamespaces.add('shop')
  return fake
}
/** The ActionError the pre-flight fails with. */
async function denial(work: Promise<unknown>): Promise<ActionError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof ActionError)) throw new Error(`expected a denial, got ${String(error)}`)
  return error
}

const asked = (fake: FakeKube) =>
  fake.asked.reviews.map(
    (q) =>
      `${q.verb} ${q.group === '' ? q.resource : `${q.resource}.${q.group}`}${q.namespace === undefined ? ' (cluster)' : ` in ${q.namespace}`}`,
  )

const storage = (verbs: string[]) => verbs.map((verb) => `${verb} secrets in shop`)
const each = (verbs: string[], resources: string[]) =>
  verbs.flatMap((verb) => resources.map((resource) => `${verb} ${resource} in shop`))
const RESOURCES = ['deployments.apps', 'services', 'configmaps']

test.each([
  [
    'Helm 4: server-side apply (patch, and create for a new object), kstatus watchers (list, watch)',
    4,
    [
      ...storage(['get', 'list', 'create', 'update']),
      ...each(['get', 'create', 'patch', 'list', 'watch'], RESOURCES),
      // kstatus reads a Deployment's readiness from its ReplicaSets and their pods.
      'list replicasets.apps in shop',
      'list pods in shop',
      ...['get', 'create', 'delete', 'list', 'watch'].map((verb) => `${verb} jobs.batch in shop`),
    ],
  ],
  [
    'Helm 3: create or three-way-merge patch, readiness polled (get) and the ReplicaSets listed',
    3,
    [
      ...storage(['get', 'list', 'create', 'update']),
      ...each(['get', 'create', 'patch'], RESOURCES),
      'list replicasets.apps in shop',
      ...['get', 'create', 'delete', 'watch'].map((verb) => `${verb} jobs.batch in shop`),
    ],
  ],
])('an upgrade into an existing namespace, %s; all allowed', async (_, helmMajor, expected) => {
  const fake = kube()
  await expect(checkAccess(params({ helmMajor }), fake)).resolves.toEqual({
    questions: expected.length,
    denied: [],
  })
  expect(asked(fake).sort()).toEqual([...expected].sort())
})

test.each([
  [4, ['create namespaces (cluster)', 'patch namespaces (cluster)']],
  [3, ['create namespaces (cluster)']],
])(
  'helm %i installing with --create-namespace asks for what it sends for the namespace',
  async (helmMajor, expected) => {
    const fake = kube()
    await checkAccess(
      params({ helmMajor, isInstall: true, shouldCreateNamespace: true, namespaceState: 'missing' }),
      fake,
    )
    expect(asked(fake).filter((q) => q.includes('namespaces'))).toEqual(expected)
  },
)

test('no namespace question when helm does not get --create-namespace, or upgrades (helm creates it on install only)', async () => {
  for (const overrides of [
    { isInstall: true, shouldCreateNamespace: false },
    { isInstall: false, shouldCreateNamespace: true },
  ]) {
    const fake = kube()
    await checkAccess(params(overrides), fake)
    expect(asked(fake).filter((q) => q.includes('namespaces'))).toEqual([])
  }
})

test('atomic: the rollback’s deletes; at history-max or a failed install: the revision Secret’s delete', async () => {
  const atomic = kube()
  await checkAccess(params({ isAtomic: true, isInstall: true }), atomic)
  expect(asked(atomic)).toEqual(
    expect.arrayContaining(['delete secrets in shop', ...each(['delete'], RESOURCES)]),
  )
  const pruning = kube()
  await checkAccess(params({ isPruning: true }), pruning)
  expect(asked(pruning)).toContain('delete secrets in shop')
  expect(asked(pruning)).not.toContain('delete deployments.apps in shop')
  const plain = kube()
  await checkAccess(params({ isWaiting: false }), plain)
  expect(asked(plain).filter((q) => q.startsWith('delete ') && !q.includes('jobs'))).toEqual([])
  expect(
    asked(plain).filter((q) => q.startsWith('list ') && !q.includes('secrets') && !q.includes('jobs')),
  ).toEqual([])
})

test('a missing namespace that the identity may not create: that, and how to create it once, not a list of rights', async () => {
  const fake = kube()
  fake.existingNamespaces.clear()
  fake.user = 'shop-admin'
  fake.isAllowed = (q) => q.resource !== 'namespaces'
  const error = await denial(
    checkAccess(params({ isInstall: true, shouldCreateNamespace: true, namespaceState: 'missing' }), fake),
  )
  expect(error.message).toBe(
    'Namespace shop does not exist and this identity may not create namespaces: Kubernetes user "shop-admin" (IAM role arn:aws:iam::123456789012:role/deploy) may not create, patch namespaces at the cluster scope. Create it once (kubectl create namespace shop; create-namespace can then stay true: the action does not ask helm to create a namespace that exists), or grant a cluster-scoped policy (AmazonEKSClusterAdminPolicy / a ClusterRole with create on namespaces). Nothing was changed: helm did not run (access pre-flight).',
  )
  expect(error.hint).toContain('  kubectl create namespace shop')
  expect(error.hint).toContain('AmazonEKSClusterAdminPolicy --access-scope type=cluster')
  expect(error.hint).not.toContain('AmazonEKSEditPolicy')
})

test('a namespace the identity may not read (a namespace-scoped identity cannot tell a missing one): both said', async () => {
  const refusing = (): FakeKube => {
    const fake = kube()
    fake.isAllowed = (q) => q.resource !== 'namespaces' && q.namespace !== 'shop'
    return fake
  }
  const install = { isInstall: true, shouldCreateNamespace: true, namespaceState: 'unreadable' as const }
  const error = await denial(checkAccess(params(install), refusing()))
  expect(error.message).toMatch(
    /^Namespace shop does not exist \(or this identity may not even read it: the API server refused the GET\) and this identity may not create namespaces: /,
  )
  // create-namespace: false: the rights it lacks in the namespace, and that the namespace may be missing.
  const without = await denial(checkAccess(params({ ...install, shouldCreateNamespace: false }), refusing()))
  expect(without.message).toContain('Namespace shop may not exist: this identity may not read it.')
})

test('a kind the cluster does not serve is skipped (helm says "no matches for kind" itself)', async () => {
  const fake = kube()
  await checkAccess(params({ objects: [object('example.com/v1', 'Widget')] }), fake)
  expect(asked(fake).some((q) => q.includes('widget'))).toBe(false)
})

test('a denial names the user, what it lacks, and the namespace-scoped policy or Role that grants it', async () => {
  const fake = kube()
  fake.user = 'system:serviceaccount:shop:deployer'
  fake.isAllowed = (q) => q.resource !== 'deployments'
  const error = await denial(checkAccess(params(), fake))
  expect(error.message).toBe(
    'Kubernetes user "system:serviceaccount:shop:deployer" (IAM role arn:aws:iam::123456789012:role/deploy) may not do what release api needs: get, create, patch, list, watch deployments.apps in namespace shop. Nothing was changed: helm did not run (access pre-flight).',
  )
  expect(error.hint).toContain(
    'aws eks associate-access-policy --cluster-name prod --region eu-west-1 --principal-arn arn:aws:iam::123456789012:role/deploy',
  )
  expect(error.hint).toContain('AmazonEKSEditPolicy --access-scope type=namespace,namespaces=shop')
  expect(error.hint).toContain(
    '  - apiGroups: ["apps"]\n    resources: ["deployments"]\n    verbs: ["get", "create", "patch", "list", "watch"]',
  )
  // The user's name comes from a list it may not make, of a kind the chart renders.
  expect(fake.asked.probes).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop' }])
})

test('cluster-scope and RBAC denials point at the wider policies', async () => {
  const fake = kube()
  fake.isAllowed = (q) => q.resource !== 'namespaces'
  // Whether the namespace exists is unknown (the identity may not read it): helm gets --create-namespace.
  const cluster = await denial(
    checkAccess(params({ isInstall: true, shouldCreateNamespace: true, namespaceState: 'unknown' }), fake),
  )
  expect(cluster.message).toContain('create, patch namespaces at the cluster scope')
  expect(cluster.message).toContain('The deploying identity (IAM role')
  expect(cluster.hint).toContain('AmazonEKSClusterAdminPolicy --access-scope type=cluster')
  expect(cluster.hint).toContain('kubectl create namespace shop')

  const rbac = kube()
  rbac.isAllowed = (q) => q.group !== 'rbac.authorization.k8s.io'
  const error = await denial(
    checkAccess(params({ objects: [object('rbac.authorization.k8s.io/v1', 'Role')] }), rbac),
  )
  expect(error.hint).toContain('AmazonEKSAdminPolicy --access-scope type=namespace,namespaces=shop')
})

test('no denied list: the user is not probed for (an allowed list would read Secrets for nothing)', async () => {
  const fake = kube()
  fake.isAllowed = (q) => !(q.resource === 'secrets' && q.verb === 'create')
  const error = await denial(checkAccess(params(), fake))
  expect(error.message).toContain('The deploying identity (IAM role')
  expect(error.message).toContain('create secrets in namespace shop')
  expect(fake.asked.probes).toEqual([undefined])
})

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
  shouldCreateNamespace: true,
  isWaiting: true,
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

test('the questions: helm’s storage, each rendered kind (hooks apart), waiting; all allowed', async () => {
  const fake = kube()
  await expect(checkAccess(params(), fake)).resolves.toMatchObject({ denied: [] })
  expect(asked(fake).sort()).toEqual(
    [
      ...['get', 'list', 'create', 'update'].map((verb) => `${verb} secrets in shop`),
      ...['get', 'create', 'patch', 'list', 'watch'].flatMap((verb) =>
        ['deployments.apps', 'services', 'configmaps'].map((resource) => `${verb} ${resource} in shop`),
      ),
      ...['get', 'create', 'delete'].map((verb) => `${verb} jobs.batch in shop`),
    ].sort(),
  )
})

test('create-namespace with a namespace that does not exist asks for the cluster-scope right', async () => {
  const fake = kube()
  fake.existingNamespaces.clear()
  await checkAccess(params({ isWaiting: false }), fake)
  expect(asked(fake)).toContain('create namespaces (cluster)')
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
  fake.existingNamespaces.clear()
  fake.isAllowed = (q) => q.resource !== 'namespaces'
  const cluster = await denial(checkAccess(params(), fake))
  expect(cluster.message).toContain('create namespaces at the cluster scope')
  expect(cluster.message).toContain('The deploying identity (IAM role')
  expect(cluster.hint).toContain('AmazonEKSClusterAdminPolicy --access-scope type=cluster')
  expect(cluster.hint).toContain('set create-namespace: false')

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

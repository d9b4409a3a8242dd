import { explainForbidden, findRefusal } from '../../../src/helm/forbidden.js'
import { explainUpgradeFailure } from '../../../src/helm/failure.js'

const CLUSTER_SCOPE =
  'Error: create: failed to create: namespaces is forbidden: User "viewer" cannot create resource "namespaces" in API group "" at the cluster scope'
const IN_NAMESPACE =
  'Error: UPGRADE FAILED: query: failed to query with labels: secrets is forbidden: User "deployer" cannot list resource "secrets" in API group "" in the namespace "shop"'

describe('findRefusal', () => {
  test.each([
    [CLUSTER_SCOPE, { user: 'viewer', verb: 'create', resource: 'namespaces', namespace: undefined }],
    [IN_NAMESPACE, { user: 'deployer', verb: 'list', resource: 'secrets', namespace: 'shop' }],
    [
      'Error: deployments.apps "api" is forbidden: User "u" cannot patch resource "deployments" in API group "apps" in the namespace "a"',
      { user: 'u', verb: 'patch', resource: 'deployments', namespace: 'a' },
    ],
  ])('%s', (stderr, refusal) => {
    expect(findRefusal(stderr)).toEqual(refusal)
  })

  test.each([
    'Error: UPGRADE FAILED: context deadline exceeded',
    'Error: failed to authorize: 403 Forbidden from the registry',
    'Error: kubernetes cluster unreachable: Unauthorized',
  ])('not an RBAC refusal: %s', (stderr) => {
    expect(findRefusal(stderr)).toBeUndefined()
  })
})

describe('explainForbidden', () => {
  const cluster = {
    clusterName: 'prod',
    region: 'eu-west-1',
    roleArn: 'arn:aws:iam::123456789012:role/deploy',
  }

  test('names the role, the Kubernetes user, what was refused and where, and the policy to associate', () => {
    const refusal = findRefusal(IN_NAMESPACE)!
    const error = explainForbidden({ cluster, namespace: 'shop', refusal, helmError: 'x' })
    expect(error.message).toBe(
      'IAM role arn:aws:iam::123456789012:role/deploy reached the cluster as Kubernetes user "deployer", but RBAC forbids it to list secrets in namespace shop (HTTP 403 Forbidden). helm said: x',
    )
    expect(error.hint).toContain(
      'aws eks associate-access-policy --cluster-name prod --region eu-west-1 --principal-arn arn:aws:iam::123456789012:role/deploy',
    )
    expect(error.hint).toContain('AmazonEKSEditPolicy --access-scope type=namespace,namespaces=shop')
    expect(error.hint).not.toContain('create-namespace: false')
  })

  test.each([
    ['Helm 3', CLUSTER_SCOPE, 'create'],
    [
      'Helm 4',
      // As the lab's API server answers it: a namespace's own name is the request's namespace.
      'Error: namespaces "shop" is forbidden: User "shop-admin" cannot patch resource "namespaces" in API group "" in the namespace "shop"',
      'patch',
    ],
  ])(
    '%s: a namespace it may not create: create it once or the cluster-scoped policy, never a namespace-scoped one',
    (_, stderr, verb) => {
      const error = explainForbidden({
        cluster,
        namespace: 'shop',
        refusal: findRefusal(stderr)!,
        helmError: 'x',
      })
      expect(error.message).toMatch(
        new RegExp(
          `forbids it to ${verb} namespaces (at the cluster scope|in namespace shop) \\(HTTP 403 Forbidden\\)`,
        ),
      )
      expect(error.hint).toContain('kubectl create namespace shop')
      expect(error.hint).toContain('so create-namespace can stay true')
      expect(error.hint).toContain('AmazonEKSClusterAdminPolicy --access-scope type=cluster')
      expect(error.hint).not.toContain('AmazonEKSEditPolicy')
      expect(error.hint).not.toContain('type=namespace')
    },
  )

  test('Roles and RoleBindings: the Admin policy (the Edit policy has no RBAC)', () => {
    const refusal = findRefusal(
      'Error: roles.rbac.authorization.k8s.io "x" is forbidden: User "u" cannot create resource "roles" in API group "rbac.authorization.k8s.io" in the namespace "shop"',
    )!
    const error = explainForbidden({ cluster, namespace: 'shop', refusal, helmError: 'x' })
    expect(error.hint).toContain('AmazonEKSAdminPolicy --access-scope type=namespace,namespaces=shop')
    expect(error.hint).not.toContain('AmazonEKSEditPolicy')
  })

  test('the job kubeconfig (no cluster identity): no ARN is invented', () => {
    const error = explainForbidden({
      cluster: undefined,
      namespace: 'shop',
      refusal: findRefusal(IN_NAMESPACE)!,
      helmError: 'x',
    })
    expect(error.message).toMatch(/^The identity of the kubeconfig reached the cluster/)
    expect(error.hint).toContain('--principal-arn <principal-arn>')
  })

  test('a failed upgrade refused by RBAC is explained as such', () => {
    const error = explainUpgradeFailure({
      release: 'api',
      namespace: 'shop',
      exitCode: 1,
      stdout: '',
      stderr: `${IN_NAMESPACE}\n`,
      state: undefined,
      history: [],
      isRolledBack: false,
      cluster,
    })
    expect(error.message).toContain('(HTTP 403 Forbidden)')
    expect(error.message).toContain(
      'helm said: UPGRADE FAILED: query: failed to query with labels: secrets is forbidden',
    )
  })
})

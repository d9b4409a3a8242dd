import path from 'node:path'
import { makeRunnerFiles, ROOT, runAction, type ActionRun } from '../fixtures/action-runner.js'
import { ACCOUNT, REGION, REGISTRY, REPOSITORY, RUN_ID, SHA } from '../fixtures/eks-e2e.js'
import { startEksStack, type EksStack } from '../fixtures/eks-stack.js'
import type { FixtureHelmVersion } from '../fixtures/helm-release.js'
import { addAccessEntry, describeWithEksLab, labCommand } from '../fixtures/lab.js'
import { readWorkflow } from '../fixtures/workflow-files.js'

// A new user's first deploy, as the quick start says: examples/quick-start.yml's `with:` exactly, but
// for the lab's names, through the bundled action, as an IAM role whose access entry gives Kubernetes'
// `admin` role in the existing namespace only (what AmazonEKSAdminPolicy scoped to the namespace gives:
// a RoleBinding there, nothing at the cluster scope).
const QUICK_START = 'examples/quick-start.yml'
const CHART = path.join(ROOT, '__tests__', 'fixtures', 'charts', 'api')
const SHOP_ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/deploy-shop-api-${RUN_ID}`
const SHOP_ADMIN_USER = `shop-admin-${RUN_ID}`
// The stack's access entry for a cluster-admin role, which this suite never uses.
const UNUSED_ROLE = `arn:aws:iam::${ACCOUNT}:role/first-contact-unused-${RUN_ID}`
const HELM_VERSIONS: readonly FixtureHelmVersion[] = ['v4.1.4', 'v3.17.3']

/** The quick start's `with:`, from the file as a user pastes it. */
function quickStartInputs(): Record<string, string> {
  const steps = Object.values(readWorkflow(QUICK_START).jobs ?? {}).flatMap((job) => job.steps ?? [])
  const step = steps.find((s) => /\/eks-deploy-action@/.test(s.uses ?? ''))
  if (step?.with === undefined) throw new Error(`${QUICK_START} has no step that uses the action`)
  return Object.fromEntries(Object.entries(step.with).map(([key, value]) => [key, String(value)]))
}

/** The step's failure as the runner shows it (the ::error:: command, its escapes decoded). */
const failureOf = (run: ActionRun): string =>
  (/^::error::(.*)$/m.exec(run.stdout)?.[1] ?? '')
    .replace(/%0A/g, '\n')
    .replace(/%0D/g, '\r')
    .replace(/%25/g, '%')

const major = (version: FixtureHelmVersion): string => version.slice(1, 2)

describeWithEksLab('first contact: the quick start as written, as an admin of its namespace only', (lab) => {
  const written = quickStartInputs()
  let stack: EksStack | undefined
  const undo: (() => Promise<unknown>)[] = []
  const kubectl = (args: string[]) => labCommand(lab, lab.kubectl, args)

  beforeAll(async () => {
    stack = await startEksStack({
      lab,
      region: REGION,
      repository: REPOSITORY,
      tags: ['0123456'],
      helmVersions: HELM_VERSIONS,
      deployRole: UNUSED_ROLE,
      name: 'first-contact',
    })
    undo.push(() => stack?.stop() ?? Promise.resolve())
    const entry = { username: SHOP_ADMIN_USER, groups: [] }
    undo.push(await addAccessEntry(lab, SHOP_ADMIN_ROLE, entry, 'first-contact-shop-admin'))
  })
  afterAll(async () => {
    for (const step of undo.reverse()) await step().catch(() => undefined)
  })

  /** An existing namespace, and the user bound to the ClusterRole admin in it (and nowhere else). */
  async function shopNamespace(name: string): Promise<void> {
    undo.push(() => kubectl(['delete', 'namespace', name, '--wait=false']))
    await kubectl(['create', 'namespace', name])
    await kubectl([
      '-n',
      name,
      'create',
      'rolebinding',
      'shop-admin',
      '--clusterrole=admin',
      `--user=${SHOP_ADMIN_USER}`,
    ])
  }

  /** The quick start's inputs with the lab's names; every other key as written (create-namespace too). */
  async function deploy(helm: FixtureHelmVersion, namespace: string): Promise<ActionRun> {
    const current = stack
    if (current === undefined) throw new Error('no stack')
    const files = await makeRunnerFiles()
    try {
      return await runAction({
        files,
        inputs: {
          ...written,
          'role-to-assume': SHOP_ADMIN_ROLE,
          'aws-region': REGION,
          'cluster-name': lab.clusterName,
          chart: CHART,
          namespace,
          // Which helm, and where the test's copy of it is downloaded from.
          'helm-version': helm,
          'helm-mirror': current.mirror.url,
        },
        env: {
          PATH: current.binDir,
          RUNNER_TOOL_CACHE: current.toolCache,
          GITHUB_SHA: SHA,
          ACTIONS_ID_TOKEN_REQUEST_URL: current.oidc.requestUrl,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: current.oidc.requestToken,
          AWS_ENDPOINT_URL: current.proxy.url,
        },
      })
    } finally {
      await files.cleanup()
    }
  }

  test('the quick start names what the lab swaps, and leaves create-namespace at its default', () => {
    for (const key of ['role-to-assume', 'aws-region', 'cluster-name', 'chart', 'namespace', 'release'])
      expect(written[key]).toEqual(expect.any(String))
    expect(written['ecr-repository']).toBe(REPOSITORY)
    expect(written['create-namespace']).toBeUndefined()
  })

  test.each(HELM_VERSIONS)('%s: the first deploy installs and the second upgrades', async (helm) => {
    const namespace = `${written.namespace ?? 'shop'}-${RUN_ID}-h${major(helm)}`
    await shopNamespace(namespace)
    const image = `${REGISTRY}/${REPOSITORY}:0123456@${stack?.digests.get('0123456') ?? ''}`
    for (const revision of ['1', '2']) {
      const run = await deploy(helm, namespace)
      expect({ revision, exitCode: run.exitCode, error: failureOf(run) }).toEqual({
        revision,
        exitCode: 0,
        error: '',
      })
      expect(run.outputs).toMatchObject({ 'release-revision': revision, 'release-status': 'deployed' })
      // The pre-flight asked for what helm then did, and helm was not asked to create the namespace.
      expect(run.stdout).toMatch(/^Access: \d+ SelfSubjectAccessReviews, all allowed\.$/m)
      expect(run.stdout).toMatch(
        /^::debug::\S+\/helm upgrade --install api \S+ --namespace \S+ --set-string /m,
      )
      expect(run.stdout).not.toContain('--create-namespace')
    }
    const deployed = await kubectl([
      '-n',
      namespace,
      'get',
      'deployment',
      written.release ?? 'api',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    ])
    expect(deployed).toBe(image)
  })

  test.each(HELM_VERSIONS)(
    '%s: a namespace that does not exist: the namespace error before helm writes anything',
    async (helm) => {
      const namespace = `${written.namespace ?? 'shop'}-${RUN_ID}-missing-h${major(helm)}`
      const run = await deploy(helm, namespace)
      expect(run.exitCode).toBe(1)
      const failure = failureOf(run)
      // The API server refuses a namespace-scoped identity the GET of a namespace that does not exist.
      expect(failure).toContain(
        `Namespace ${namespace} does not exist (or this identity may not even read it: the API server refused the GET) and this identity may not create namespaces: Kubernetes user "${SHOP_ADMIN_USER}" (IAM role ${SHOP_ADMIN_ROLE}) may not create`,
      )
      expect(failure).toContain(`Create it once (kubectl create namespace ${namespace};`)
      expect(failure).toContain('AmazonEKSClusterAdminPolicy --access-scope type=cluster')
      expect(failure).not.toContain('AmazonEKSEditPolicy')
      expect(run.stdout).not.toContain('::group::helm upgrade --install')
      // Nothing was written: no namespace (so no release Secret in it either).
      await expect(kubectl(['get', 'namespace', namespace])).rejects.toThrow(/NotFound/)
      expect(run.outputs).toMatchObject({ 'release-revision': '', 'release-status': '' })
    },
  )
})

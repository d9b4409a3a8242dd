import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { planPhases, type Plan } from '../../../src/action/plan.js'
import { runnerFiles, type PlanFiles } from '../../../src/runner/plan-files.js'
import { parseInputs } from '../../../src/inputs/parse.js'
import { readRunnerContext } from '../../../src/runner/context.js'
import { mapReader } from '../../fixtures/parsed-inputs.js'
import { fakeFiles } from '../../fixtures/plan-files.js'

const WORKSPACE = '/home/runner/work/shop/shop'
const CHECKOUT = fakeFiles(
  {
    [`${WORKSPACE}/charts/api/Chart.yaml`]: 'name: api',
    [`${WORKSPACE}/values/prod.yaml`]: 'replicaCount: 2\n',
    [`${WORKSPACE}/values/image.yaml`]: 'api:\n  image:\n    tag: 1.2.3\n',
  },
  [`${WORKSPACE}/charts/api`, `${WORKSPACE}/charts`, `${WORKSPACE}/values`],
)
const JOB = { GITHUB_SHA: 'a'.repeat(40), GITHUB_WORKSPACE: WORKSPACE, HOME: '/home/runner' }
const DEPLOY = { 'aws-region': 'eu-west-1', release: 'api', chart: './charts/api', 'cluster-name': 'prod' }

function planOf(
  values: Record<string, string>,
  env: Record<string, string> = JOB,
  files: PlanFiles = CHECKOUT,
): Promise<Plan> {
  const context = readRunnerContext(env, { os: 'linux', arch: 'x64', tmpdir: '/tmp' })
  return planPhases(parseInputs(mapReader(values), context), {
    readEventPayload: () => Promise.reject(new Error('not needed')),
    files,
  })
}

async function refusal(...args: Parameters<typeof planOf>): Promise<string> {
  try {
    await planOf(...args)
  } catch (error) {
    if (error instanceof Error) return error.message
    throw error
  }
  throw new Error('the plan accepted it')
}

describe('a deploy with no cluster fails before any AWS call', () => {
  const NO_CLUSTER = { ...DEPLOY, 'cluster-name': '' }
  test.each([
    [
      'auto, no cluster-name',
      NO_CLUSTER,
      "input 'cluster-name' is empty",
      'set cluster-name (or run after a step that exports KUBECONFIG)',
    ],
    [
      'phases: deploy, no cluster-name',
      { ...NO_CLUSTER, phases: 'deploy' },
      "input 'cluster-name' is empty",
      'set cluster-name',
    ],
    [
      'phases: deploy with a cluster-name',
      { ...DEPLOY, phases: 'deploy' },
      "input 'phases' leaves out kubeconfig",
      'add kubeconfig to phases (or run after a step that exports KUBECONFIG)',
    ],
    [
      'an uninstall',
      { ...NO_CLUSTER, chart: '', uninstall: 'true' },
      "Phase deploy (uninstall: true) has no cluster to talk to: input 'cluster-name' is empty",
      'set cluster-name',
    ],
  ])('%s', async (_, values, why, fix) => {
    const message = await refusal(values)
    expect(message).toContain(why)
    expect(message).toContain(fix)
  })

  test.each([
    ['KUBECONFIG from an earlier step', { KUBECONFIG: '/runner/temp/kubeconfig' }, CHECKOUT],
    ['a runner inside Kubernetes (its service account)', { KUBERNETES_SERVICE_HOST: '10.0.0.1' }, CHECKOUT],
    [
      "a self-hosted runner's ~/.kube/config",
      {},
      fakeFiles({ [`${WORKSPACE}/charts/api/Chart.yaml`]: '', '/home/runner/.kube/config': 'x' }, [
        `${WORKSPACE}/charts/api`,
      ]),
    ],
  ])('%s is a cluster', async (_, env, files) => {
    const plan = await planOf({ ...NO_CLUSTER }, { ...JOB, ...env }, files)
    expect([plan.kubeconfig, plan.deploy?.spec.release]).toEqual([undefined, 'api'])
  })

  test('with cluster-name the kubeconfig phase is the cluster', async () => {
    expect((await planOf(DEPLOY)).kubeconfig?.clusterName).toBe('prod')
  })
})

describe('a local chart or values file that is not there fails before any AWS call', () => {
  const NOTE = `(relative to the workspace GITHUB_WORKSPACE=${WORKSPACE}; did the job run actions/checkout?).`
  test.each([
    [{ chart: './charts/web' }, `Input 'chart': './charts/web' does not exist ${NOTE}`],
    [{ chart: '/opt/charts/api' }, `Input 'chart': '/opt/charts/api' does not exist ${NOTE}`],
    [{ chart: 'api' }, `Input 'chart': 'api' does not exist ${NOTE}`],
    [
      { chart: 'charts/web' },
      `Input 'chart': 'charts/web' does not exist, and 'charts' is no repository that helm repo add has added ${NOTE}`,
    ],
    [
      { 'values-files': 'values/prod.yaml\nvalues/staging.yaml' },
      `Input 'values-files': 'values/staging.yaml' does not exist ${NOTE}`,
    ],
    [
      { 'values-files': 'values' },
      `Input 'values-files': 'values' is a directory, not a values file ${NOTE}`,
    ],
  ])('%j', async (values, message) => {
    expect((await refusal({ ...DEPLOY, ...values })).split('\n')).toContain(message)
  })

  test('every such path in one message', async () => {
    const message = await refusal({ ...DEPLOY, chart: './nope', 'values-files': 'a.yaml\nb.yaml' })
    expect(message.split('\n')).toHaveLength(3)
  })

  test('without GITHUB_WORKSPACE, the working directory', async () => {
    const env = { GITHUB_SHA: JOB.GITHUB_SHA, HOME: JOB.HOME }
    expect(await refusal({ ...DEPLOY, chart: './nope' }, env)).toContain(
      `(relative to the workspace the working directory ${process.cwd()} (no GITHUB_WORKSPACE); did the job run actions/checkout?)`,
    )
  })

  test.each([
    ['a chart directory', { chart: './charts/api' }],
    ['a chart directory without ./', { chart: 'charts/api' }],
    ['a chart by URL', { chart: 'https://charts.example.com/api-1.0.0.tgz' }],
    ['a chart repository', { chart: 'api', 'chart-repository': 'https://charts.example.com' }],
    ['an OCI chart', { chart: 'oci://registry.example.com/charts/api' }],
    ['a values file by URL', { 'values-files': 'https://config.example.com/prod.yaml' }],
  ])('%s is accepted', async (_, values) => {
    await expect(planOf({ ...DEPLOY, ...values })).resolves.toBeDefined()
  })

  test.each([
    ['HELM_REPOSITORY_CONFIG', { HELM_REPOSITORY_CONFIG: '/etc/helm/repos.yaml' }, '/etc/helm/repos.yaml'],
    ['HELM_CONFIG_HOME', { HELM_CONFIG_HOME: '/etc/helm' }, '/etc/helm/repositories.yaml'],
    ['XDG_CONFIG_HOME', { XDG_CONFIG_HOME: '/xdg' }, '/xdg/helm/repositories.yaml'],
    ['HOME', {}, '/home/runner/.config/helm/repositories.yaml'],
  ])('repo/name of a repository helm repo add added (found through %s) is accepted', async (_, env, file) => {
    const files = fakeFiles({
      [file]:
        'apiVersion: ""\nrepositories:\n- caFile: ""\n  name: bitnami\n  url: https://charts.bitnami.com/bitnami\n',
    })
    const plan = await planOf({ ...DEPLOY, chart: 'bitnami/nginx' }, { ...JOB, ...env }, files)
    expect(plan.deploy?.source).toEqual({ kind: 'chart', chart: { kind: 'path', path: 'bitnami/nginx' } })
  })
})

describe('a chart deploy that sets no image says so', () => {
  test.each([
    ['no ecr-repository, no image values', {}, true],
    ['ecr-repository', { 'ecr-repository': 'shop/api' }, false],
    ['image values in set', { set: 'image.repository=nginx\nimage.tag=1.27' }, false],
    ['image values in set-string, another key', { 'set-string': 'api.image.tag=1' }, false],
    ['image values in a values file', { 'values-files': 'values/image.yaml' }, false],
    ['a values file without image values', { 'values-files': 'values/prod.yaml' }, true],
    ['helm-args that set it', { 'helm-args': '--set=image.tag=1' }, false],
  ])('%s: %s', async (_, values, warns) => {
    const plan = await planOf({ ...DEPLOY, ...values })
    expect(plan.warnings).toEqual(
      warns
        ? [
            "No image is set for release 'api': no ecr-repository and no image values in set, set-string or values-files, so the chart's default image will run. Set ecr-repository: <repository> (the tag comes from the commit), or set the chart's image values yourself.",
          ]
        : [],
    )
  })

  test('image-tag without ecr-repository sets nothing, and the warning says so', async () => {
    const plan = await planOf({ ...DEPLOY, 'image-tag': 'v1.2.3' })
    expect(plan.warnings[0]).toContain(
      "image-tag 'v1.2.3' alone sets nothing: the image values need ecr-repository too.",
    )
  })

  test('plain manifests (they name their images) and an uninstall warn of nothing', async () => {
    const workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'plan-checks-'))
    try {
      await fs.mkdir(path.join(workspace, 'k8s'))
      await fs.writeFile(
        path.join(workspace, 'k8s', 'config.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n',
      )
      const manifests = await planOf(
        { ...DEPLOY, chart: '', manifests: 'k8s/' },
        { ...JOB, GITHUB_WORKSPACE: workspace },
        runnerFiles,
      )
      expect([manifests.deploy?.source.kind, manifests.warnings]).toEqual(['manifests', []])
    } finally {
      await fs.rm(workspace, { recursive: true, force: true })
    }
    const uninstall = await planOf({ ...DEPLOY, chart: '', uninstall: 'true' })
    expect([uninstall.teardown?.release, uninstall.warnings]).toEqual(['api', []])
  })
})

import path from 'node:path'
import type { ActionRun } from '../fixtures/action-runner.js'
import { ROOT } from '../fixtures/action-runner.js'
import type { FixtureHelmVersion } from '../fixtures/helm-release.js'
import { describeWithLab, labCommand } from '../fixtures/lab.js'
import { DEMO_IMAGE, startLabDeployer, type LabDeployer } from '../fixtures/lab-deploy.js'

const VERSIONS: FixtureHelmVersion[] = ['v4.1.4', 'v3.17.3']
const major = (version: FixtureHelmVersion): string => version.slice(1, 2)
const errorLine = (run: ActionRun): string => /^::error::(.*)$/m.exec(run.stdout)?.[1] ?? ''
const WEB = path.join(ROOT, '__tests__', 'fixtures', 'manifests', 'web')
const REGISTRY = DEMO_IMAGE.split('/')[0] ?? ''
const SIDECAR = 'registry.example.com/tools/log-shipper:2.1'

/** A deploy of the web folder as release `web`, the image of ecr-repository `demo` at `tag`. */
const manifestInputs = (tag: string, extra: Record<string, string> = {}): Record<string, string> => ({
  release: 'web',
  chart: '',
  set: '',
  manifests: WEB,
  'ecr-repository': 'demo',
  registries: REGISTRY,
  'image-tag': tag,
  'require-image': 'false',
  ...extra,
})

// Each scenario runs for Helm 4 and Helm 3 at once, in namespaces of its own.
describeWithLab('plain manifests as a release against the EKS lab (bundled action, real helm)', (lab) => {
  let lab$: LabDeployer
  // Manifests are read only from the checkout: here the repository, which holds the fixtures.
  const deployWeb: LabDeployer['deploy'] = (version, namespace, inputs, options = {}) =>
    lab$.deploy(version, namespace, inputs, { ...options, env: { GITHUB_WORKSPACE: ROOT, ...options.env } })
  // The deployer's tool cache holds both helms already: no first install to warm up, which concurrent
  // cases would race (a deploy of the same inputs is the first case's first step).
  beforeAll(async () => {
    lab$ = await startLabDeployer(lab, 'manifests')
  })
  afterAll(async () => {
    await lab$.stop()
  })

  const kubectl = (namespace: string, ...args: string[]): Promise<string> =>
    labCommand(lab, lab.kubectl, ['-n', namespace, ...args])
  const images = (namespace: string, field: 'containers' | 'initContainers'): Promise<string> =>
    kubectl(namespace, 'get', 'deployment', 'web', '-o', `jsonpath={.spec.template.spec.${field}[*].image}`)

  test.concurrent.each(VERSIONS)(
    '%s: a folder deploys as revision 1 with the commit tag pinned and the sidecar untouched; a crash rolls back to it',
    async (version) => {
      const namespace = lab$.namespace(`web-h${major(version)}`)
      const first = await deployWeb(version, namespace, manifestInputs('good0001'))
      expect({ exitCode: first.exitCode, error: errorLine(first) }).toEqual({ exitCode: 0, error: '' })
      expect(first.outputs).toMatchObject({
        'release-revision': '1',
        'release-status': 'deployed',
        'chart-name': 'web',
        'chart-version': '0.0.0-g0123456',
        'app-version': 'good0001',
        'images-pinned': [
          `migrate: ${DEMO_IMAGE} -> ${DEMO_IMAGE}:good0001`,
          `app: ${DEMO_IMAGE}:latest -> ${DEMO_IMAGE}:good0001`,
        ].join('\n'),
      })
      expect(await images(namespace, 'containers')).toBe(`${DEMO_IMAGE}:good0001 ${SIDECAR}`)
      expect(await images(namespace, 'initContainers')).toBe(`${DEMO_IMAGE}:good0001`)
      // Applied exactly as written: no template ran over the braces, 0644 stayed YAML 1.1 octal (420).
      const greeting = await kubectl(
        namespace,
        'get',
        'configmap',
        'web',
        '-o',
        'jsonpath={.data.greeting\\.tmpl}',
      )
      expect(greeting).toBe('Hello {{ .Name }}, {{- "braces" -}} stay\n')
      expect(await kubectl(namespace, 'get', 'configmap', 'web', '-o', 'jsonpath={.data.mode}')).toBe(
        '{{ .Values.mode }}',
      )
      expect(
        await kubectl(
          namespace,
          'get',
          'deployment',
          'web',
          '-o',
          'jsonpath={.spec.template.spec.volumes[0].configMap.defaultMode}',
        ),
      ).toBe('420')
      expect(await kubectl(namespace, 'get', 'service', 'web', '-o', 'jsonpath={.spec.ports[0].port}')).toBe(
        '80',
      )
      expect(first.summary).toContain('| Manifests | 4 objects from 3 files |')

      const crash = await deployWeb(version, namespace, manifestInputs('crash0002', { timeout: '5m' }))
      expect(crash.exitCode).toBe(1)
      expect(crash.outputs).toMatchObject({
        'rolled-back': 'true',
        'previous-revision': '1',
        'release-status': 'deployed',
      })
      expect(crash.outputs['failure-reason']).toMatch(/^CrashLoopBackOff: pod web-\S+ container app exited 1/)
      expect(crash.stdout).toMatch(/::warning::fail-fast: the rollout cannot succeed/)
      expect(await images(namespace, 'containers')).toBe(`${DEMO_IMAGE}:good0001 ${SIDECAR}`)
      expect(await lab$.releaseStatus(namespace, 'web')).toEqual({ revision: 3, status: 'deployed' })
    },
    300_000,
  )

  /** The web folder applied with kubectl, as a team deploys before this action. */
  const kubectlApply = async (namespace: string): Promise<void> => {
    await labCommand(lab, lab.kubectl, ['create', 'namespace', namespace])
    await kubectl(namespace, 'apply', '-f', WEB)
  }
  const annotations = async (namespace: string, object: string): Promise<Record<string, string>> =>
    (
      JSON.parse(await kubectl(namespace, 'get', object, '-o', 'json')) as {
        metadata: { annotations?: Record<string, string> }
      }
    ).metadata.annotations ?? {}

  test.concurrent.each(VERSIONS)(
    '%s: objects first created by kubectl apply are adopted (marked keep for that revision only)',
    async (version) => {
      const namespace = lab$.namespace(`adopt-h${major(version)}`)
      await kubectlApply(namespace)
      const run = await deployWeb(version, namespace, manifestInputs('good0001'))
      expect({ exitCode: run.exitCode, error: errorLine(run) }).toEqual({ exitCode: 0, error: '' })
      expect(run.stdout).toContain(
        'Adopting into release web (they exist without a Helm release, as kubectl apply leaves them): ConfigMap/web, ConfigMap/web-flags, Deployment/web, Service/web.',
      )
      expect(run.outputs['release-revision']).toBe('1')
      expect(run.summary).toContain(
        '| Adopted | ConfigMap/web, ConfigMap/web-flags, Deployment/web, Service/web |',
      )
      expect(await annotations(namespace, 'deployment/web')).toMatchObject({
        'meta.helm.sh/release-name': 'web',
        'meta.helm.sh/release-namespace': namespace,
        'helm.sh/resource-policy': 'keep',
      })
      expect(
        await kubectl(
          namespace,
          'get',
          'service/web',
          '-o',
          'jsonpath={.metadata.labels.app\\.kubernetes\\.io/managed-by}',
        ),
      ).toBe('Helm')
      expect(await images(namespace, 'containers')).toBe(`${DEMO_IMAGE}:good0001 ${SIDECAR}`)

      const next = await deployWeb(version, namespace, manifestInputs('good0003'))
      expect({ exitCode: next.exitCode, error: errorLine(next) }).toEqual({ exitCode: 0, error: '' })
      expect(next.stdout).not.toContain('Adopting')
      expect(next.outputs['release-revision']).toBe('2')
      expect(await annotations(namespace, 'deployment/web')).not.toHaveProperty(['helm.sh/resource-policy'])
    },
    300_000,
  )

  test.concurrent.each(VERSIONS)(
    '%s: a dry run over objects kubectl created says what it would adopt and changes nothing',
    async (version) => {
      const namespace = lab$.namespace(`dry-h${major(version)}`)
      await kubectlApply(namespace)
      const run = await deployWeb(version, namespace, manifestInputs('good0001', { 'dry-run': 'true' }))
      expect({ exitCode: run.exitCode, error: errorLine(run) }).toEqual({ exitCode: 0, error: '' })
      expect(run.stdout).toContain('Would adopt into release web')
      expect(run.outputs).toMatchObject({
        'release-revision': '1',
        'images-pinned': expect.stringContaining('app: '),
      })
      expect(await lab$.releaseStatus(namespace, 'web')).toBeUndefined()
      expect(await annotations(namespace, 'deployment/web')).not.toHaveProperty(['meta.helm.sh/release-name'])
      expect(await images(namespace, 'containers')).toBe(`${DEMO_IMAGE}:latest ${SIDECAR}`)
    },
    120_000,
  )

  test.concurrent.each(VERSIONS)(
    '%s: a failed first install that adopted objects is rolled back without deleting them',
    async (version) => {
      const namespace = lab$.namespace(`keep-h${major(version)}`)
      await kubectlApply(namespace)
      const run = await deployWeb(version, namespace, manifestInputs('crash0002'))
      expect(run.exitCode).toBe(1)
      expect(run.outputs['failure-reason']).toMatch(/^CrashLoopBackOff: pod web-\S+ container app exited 1/)
      expect(run.outputs['rolled-back']).toBe('true')
      expect(await lab$.releaseStatus(namespace, 'web')).toBeUndefined()
      expect(run.stdout).toContain(
        '::warning::This first install adopted ConfigMap/web, ConfigMap/web-flags, Deployment/web, Service/web and failed: helm kept them as it had applied them',
      )
      // The Deployment keeps its ReplicaSet of before, still serving, beside the failed one.
      expect(
        await kubectl(namespace, 'get', 'deployment/web', '-o', 'jsonpath={.status.readyReplicas}'),
      ).toBe('1')
      // helm uninstalled the failed release but kept what existed before it.
      expect(
        await kubectl(
          namespace,
          'get',
          'deployment/web',
          'service/web',
          'configmap/web',
          'configmap/web-flags',
          '-o',
          'name',
        ),
      ).toBe('deployment.apps/web\nservice/web\nconfigmap/web\nconfigmap/web-flags\n')
    },
    300_000,
  )

  test.concurrent.each(VERSIONS)(
    '%s: an object of another release is refused before helm runs',
    async (version) => {
      const namespace = lab$.namespace(`taken-h${major(version)}`)
      await labCommand(lab, lab.kubectl, ['create', 'namespace', namespace])
      await kubectl(namespace, 'create', 'configmap', 'web-flags')
      await kubectl(
        namespace,
        'annotate',
        'configmap/web-flags',
        'meta.helm.sh/release-name=flags',
        `meta.helm.sh/release-namespace=${namespace}`,
      )
      const run = await deployWeb(version, namespace, manifestInputs('good0001'))
      expect(run.exitCode).toBe(1)
      expect(errorLine(run)).toContain(
        `The manifests hold 1 object that release 'web' does not own and may not take: ConfigMap/web-flags (__tests__/fixtures/manifests/web/configmap.yaml, document 2) belongs to release 'flags' in namespace '${namespace}'.`,
      )
      expect(run.stdout).not.toContain('helm upgrade --install')
      expect(await lab$.releaseStatus(namespace, 'web')).toBeUndefined()
      expect(await kubectl(namespace, 'get', 'deployments', '-o', 'name')).toBe('')
    },
    120_000,
  )
})

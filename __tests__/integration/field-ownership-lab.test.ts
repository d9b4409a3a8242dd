import type { ActionRun } from '../fixtures/action-runner.js'
import type { FixtureHelmVersion } from '../fixtures/helm-release.js'
import { describeWithLab, labCommand } from '../fixtures/lab.js'
import { DEMO_IMAGE, startLabDeployer, type LabDeployer } from '../fixtures/lab-deploy.js'

// Issue 23, parts 1 and 2: who owns each field the release sets, and what changed outside helm since
// the last revision. Another manager edits the release's Deployment (kubectl scale records none on
// Kubernetes 1.20; kubectl set image records kubectl-set; an HPA's replicas are written as
// kube-controller-manager, the HPA controller's manager), then the bundled action deploys in each mode.

const errorLine = (run: ActionRun): string => /^::error::(.*)$/m.exec(run.stdout)?.[1] ?? ''
const IMAGE_FIELD = '.spec.template.spec.containers[name="app"].image'

interface DriftRow {
  readonly kind: string
  readonly name: string
  readonly field: string
  readonly change: string
  readonly manager: string
  readonly applied?: string
  readonly live?: string
}
const driftOf = (run: ActionRun): DriftRow[] => JSON.parse(run.outputs.drift ?? '[]') as DriftRow[]

describeWithLab('field ownership pre-flight and drift report (bundled action, real helm)', (lab) => {
  let lab$: LabDeployer
  beforeAll(async () => {
    lab$ = await startLabDeployer(lab, 'fo23')
  }, 120_000)
  afterAll(async () => {
    await lab$.stop()
  })
  const kubectl = (namespace: string, ...args: string[]): Promise<string> =>
    labCommand(lab, lab.kubectl, ['-n', namespace, ...args])
  const deploy = (version: FixtureHelmVersion, namespace: string, inputs: Record<string, string>) =>
    lab$.deploy(version, namespace, {
      'create-namespace': 'true',
      set: 'deployment.enabled=true\ndeployment.replicas=2',
      ...inputs,
    })

  /** Installs tag v1, then scales it (no manager recorded) and sets its image (manager kubectl-set). */
  async function installAndEdit(version: FixtureHelmVersion, namespace: string): Promise<void> {
    const install = await deploy(version, namespace, { 'set-string': 'image.tag=v1' })
    expect(install.exitCode).toBe(0)
    expect(install.outputs.drift).toBe('')
    await kubectl(namespace, 'scale', 'deployment/demo', '--replicas=3')
    await kubectl(namespace, 'set', 'image', 'deployment/demo', `app=${DEMO_IMAGE}:edited`)
  }

  /** A dry run of tag v2 shows the drift; nothing changes. */
  async function expectDrift(version: FixtureHelmVersion, namespace: string): Promise<ActionRun> {
    const dryRun = await deploy(version, namespace, { 'set-string': 'image.tag=v2', 'dry-run': 'true' })
    expect(dryRun.exitCode).toBe(0)
    expect(driftOf(dryRun)).toEqual([
      {
        kind: 'Deployment',
        name: 'demo',
        namespace,
        field: '.spec.replicas',
        change: 'changed',
        manager: '',
        operation: '',
        since: '',
        applied: '2',
        live: '3',
      },
      expect.objectContaining({
        field: IMAGE_FIELD,
        change: 'changed',
        manager: 'kubectl-set',
        operation: 'Update',
        applied: `${DEMO_IMAGE}:v1`,
        live: `${DEMO_IMAGE}:edited`,
      }),
    ])
    expect(dryRun.summary).toContain('#### Field ownership: release demo')
    expect(dryRun.summary).toContain('Changed outside helm since the last revision')
    expect(dryRun.summary).toContain('#### What would change: dry run of release demo')
    expect(await lab$.deployedImage(namespace)).toBe(`${DEMO_IMAGE}:edited`)
    return dryRun
  }

  test.concurrent(
    'v4.1.4: conflicts refused (fail), taken over (auto), an HPA’s replicas left to it (auto: the chart’s value dropped), taken (take-over)',
    async () => {
      const version = 'v4.1.4'
      const namespace = lab$.namespace('h4')
      await installAndEdit(version, namespace)
      const dryRun = await expectDrift(version, namespace)
      expect(dryRun.summary).toContain(
        '| Deployment/demo | <code>.spec.template.spec.containers&#91;name=&#34;app&#34;&#93;.image</code> | <code>kubectl-set</code> | Update |',
      )

      const refused = await deploy(version, namespace, {
        'set-string': 'image.tag=v2',
        'field-conflicts': 'fail',
      })
      expect(refused.exitCode).toBe(1)
      expect(errorLine(refused)).toContain(
        'field-conflicts: fail: helm would take 1 field from other field managers; nothing was deployed.',
      )
      expect(refused.stdout).toContain(
        `Deployment demo: ${IMAGE_FIELD} is owned by "kubectl-set" (Update since `,
      )
      expect(refused.stdout).toContain(
        `kubectl get deployment demo -n ${namespace} -o jsonpath='{.spec.template.spec.containers[?(@.name=="app")].image}'`,
      )
      expect(await lab$.releaseStatus(namespace)).toEqual({ revision: 1, status: 'deployed' })

      const taken = await deploy(version, namespace, { 'set-string': 'image.tag=v2' })
      expect(taken.exitCode).toBe(0)
      expect(taken.summary).toContain('taken over (field-conflicts: auto, --force-conflicts)')
      expect(await lab$.deployedImage(namespace)).toBe(`${DEMO_IMAGE}:v2`)
      expect(await lab$.releaseStatus(namespace)).toEqual({ revision: 2, status: 'deployed' })

      // An HPA scales the Deployment: the HPA controller writes replicas as kube-controller-manager.
      await labCommand(lab, lab.kubectl, [
        '-n',
        namespace,
        'autoscale',
        'deployment/demo',
        '--min=2',
        '--max=9',
      ])
      await kubectl(
        namespace,
        'patch',
        'deployment/demo',
        '--type=merge',
        '-p',
        '{"spec":{"replicas":5}}',
        '--field-manager=kube-controller-manager',
      )
      // auto: the chart's replicas are dropped for that object (a post-renderer), the rest is upgraded.
      const scaled = await deploy(version, namespace, { 'set-string': 'image.tag=v3' })
      expect({ exitCode: scaled.exitCode, error: errorLine(scaled) }).toEqual({ exitCode: 0, error: '' })
      expect(scaled.stdout).toContain(
        'conflict: Deployment/demo .spec.replicas owned by kube-controller-manager (Update)',
      )
      expect(scaled.summary).toContain(
        '.spec.replicas of Deployment/demo left to its autoscaler (the chart&#39;s value dropped)',
      )
      expect(scaled.summary).toContain('HorizontalPodAutoscaler demo')
      expect(await kubectl(namespace, 'get', 'deployment/demo', '-o', 'jsonpath={.spec.replicas}')).toBe('5')
      expect(await lab$.deployedImage(namespace)).toBe(`${DEMO_IMAGE}:v3`)
      expect(await lab$.releaseStatus(namespace)).toEqual({ revision: 3, status: 'deployed' })

      const forced = await deploy(version, namespace, {
        'set-string': 'image.tag=v4',
        'field-conflicts': 'take-over',
      })
      expect(forced.exitCode).toBe(0)
      expect(forced.summary).toContain('taken over (field-conflicts: take-over, --force-conflicts)')
      expect(await kubectl(namespace, 'get', 'deployment/demo', '-o', 'jsonpath={.spec.replicas}')).toBe('2')
    },
    300_000,
  )

  test.concurrent(
    'v3.17.3: the same table and drift, as information; field-conflicts: fail does not refuse; an HPA’s replicas are overwritten, as the table says',
    async () => {
      const version = 'v3.17.3'
      const namespace = lab$.namespace('h3')
      await installAndEdit(version, namespace)
      await expectDrift(version, namespace)
      const upgraded = await deploy(version, namespace, {
        'set-string': 'image.tag=v2',
        'field-conflicts': 'fail',
      })
      expect(upgraded.exitCode).toBe(0)
      expect(upgraded.summary).toContain('Helm 3 applies client-side and overwrites them: information only')
      expect(upgraded.stdout).toContain(
        `conflict: Deployment/demo ${IMAGE_FIELD} owned by kubectl-set (Update)`,
      )
      expect(await lab$.deployedImage(namespace)).toBe(`${DEMO_IMAGE}:v2`)

      // An HPA's replicas: Helm 3's three-way merge sets every field the chart sets back to the chart's value
      // (live 5, chart 2): the table says so, as information. Dropping the chart's replicas there would
      // delete the field the last revision set (replicas back to 1), so Helm 3 keeps that behaviour.
      await kubectl(namespace, 'autoscale', 'deployment/demo', '--min=2', '--max=9')
      await kubectl(
        namespace,
        'patch',
        'deployment/demo',
        '--type=merge',
        '-p',
        '{"spec":{"replicas":5}}',
        '--field-manager=kube-controller-manager',
      )
      const scaled = await deploy(version, namespace, { 'set-string': 'image.tag=v3' })
      expect(scaled.exitCode).toBe(0)
      expect(scaled.stdout).toContain(
        'conflict: Deployment/demo .spec.replicas owned by kube-controller-manager (Update)',
      )
      expect(await kubectl(namespace, 'get', 'deployment/demo', '-o', 'jsonpath={.spec.replicas}')).toBe('2')
      expect(await lab$.deployedImage(namespace)).toBe(`${DEMO_IMAGE}:v3`)
    },
    300_000,
  )
})

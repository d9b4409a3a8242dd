import type { ActionRun } from '../fixtures/action-runner.js'
import type { FixtureHelmVersion } from '../fixtures/helm-release.js'
import { describeWithLab, labCommand, waitFor } from '../fixtures/lab.js'
import { DEMO_IMAGE, startLabDeployer, type LabDeployer } from '../fixtures/lab-deploy.js'

const VERSIONS: FixtureHelmVersion[] = ['v4.1.4', 'v3.17.3']
const major = (version: FixtureHelmVersion): string => version.slice(1, 2)
const errorLine = (run: ActionRun): string => /^::error::(.*)$/m.exec(run.stdout)?.[1] ?? ''

// Issue 23's fail-fast rules and evidence on the lab (real back-off: restarts at 10, 30, 70 s). Every
// test runs at once, each in namespaces of its own (prefix rules-): the pods take their time, not the CPU.
describeWithLab('fail-fast rules and evidence before rollback (bundled action, real helm)', (lab) => {
  let lab$: LabDeployer
  beforeAll(async () => {
    lab$ = await startLabDeployer(lab, 'rules')
  })
  afterAll(async () => {
    await lab$.stop()
  })

  const installGood = async (version: FixtureHelmVersion, namespace: string): Promise<void> => {
    const first = await lab$.deploy(version, namespace, { 'set-string': 'image.tag=good0001' })
    expect({ exitCode: first.exitCode, error: errorLine(first) }).toEqual({ exitCode: 0, error: '' })
  }
  const pods = (namespace: string): Promise<string> =>
    labCommand(lab, lab.kubectl, ['-n', namespace, 'get', 'pods', '-o', 'name'])

  test.concurrent.each(VERSIONS)(
    '%s: the same crash twice with no new pod ever Ready stops helm before the third restart, naming the rule and how to relax it',
    async (version) => {
      const namespace = lab$.namespace(`twice-h${major(version)}`)
      await installGood(version, namespace)
      const run = await lab$.deploy(version, namespace, {
        'set-string': 'image.tag=crash0002',
        timeout: '5m',
      })
      expect(run.exitCode).toBe(1)
      const error = errorLine(run)
      expect(error).toMatch(/fail-fast stopped helm after \d+ s \(rule same failure twice: Error \(exit 1\)/)
      expect(error).toContain('every new pod so far (1 of 1)')
      expect(run.stdout).toContain(
        `annotate Deployment ${namespace}/demo with eks-deploy-action/fail-fast: "false" (in the chart)`,
      )
      // Fewer than 3 restarts: the verdict did not wait for the 3-restart rule (~70 s on this lab).
      expect(run.stdout).not.toMatch(/CrashLoopBackOff, [3-9] restarts/)
      expect(run.outputs).toMatchObject({ 'rolled-back': 'true', 'release-status': 'deployed' })
      expect(run.stdout).toContain('panic: cannot connect to database')
      expect(await lab$.deployedImage(namespace)).toBe(`${DEMO_IMAGE}:good0001`)
      const seconds = /fail-fast stopped helm after (\d+) s/.exec(error)?.[1]
      process.stderr.write(
        `rollout-rules-lab: ${version} same failure twice: helm stopped after ${seconds} s\n`,
      )
    },
    300_000,
  )

  test.concurrent.each(VERSIONS)(
    '%s: keep-failed-install keeps a failed first install, with its pods, instead of uninstalling it',
    async (version) => {
      const namespace = lab$.namespace(`keep-h${major(version)}`)
      const run = await lab$.deploy(version, namespace, {
        'set-string': 'image.tag=crash0001',
        timeout: '5m',
        'keep-failed-install': 'true',
      })
      expect(run.exitCode).toBe(1)
      expect(run.stdout).toContain('keep-failed-install: a first install')
      expect(errorLine(run)).toContain(
        `The failed first install was kept (revision 1, status failed) with its pods for debugging; run \`helm uninstall demo -n ${namespace}\``,
      )
      expect(await lab$.releaseStatus(namespace)).toEqual({ revision: 1, status: 'failed' })
      expect(await pods(namespace)).toMatch(/^pod\/demo-/m)
    },
    300_000,
  )

  test.concurrent.each(VERSIONS)(
    '%s: the annotation eks-deploy-action/fail-fast: "false" lets helm time out; the evidence is taken before its rollback',
    async (version) => {
      const namespace = lab$.namespace(`off-h${major(version)}`)
      await installGood(version, namespace)
      const run = await lab$.deploy(version, namespace, {
        'set-string': 'image.tag=crash0003\ndeployment.annotations.eks-deploy-action/fail-fast=false',
        timeout: '25s',
      })
      expect(run.exitCode).toBe(1)
      expect(run.stdout).toMatch(
        /::warning::fail-fast is off for Deployment \S+\/demo \(annotation eks-deploy-action\/fail-fast: "false"\)/,
      )
      expect(run.stdout).not.toContain('fail-fast stopped helm')
      expect(run.outputs['failure-reason']).toMatch(/^Timed out after 25s: CrashLoopBackOff: pod demo-/)
      // The diagnosis (before helm's rollback removed the pod): its previous log and its warning events.
      expect(run.stdout).toContain('::group::Why the rollout failed')
      expect(run.stdout).toContain('panic: cannot connect to database')
      expect(run.outputs['rolled-back']).toBe('true')
    },
    300_000,
  )

  test.concurrent(
    'Helm 4: a crash-looping pod of the OLD revision during an upgrade does not stop helm',
    async () => {
      const version: FixtureHelmVersion = 'v4.1.4'
      const namespace = lab$.namespace('old-h4')
      // Revision 1 crash-loops (deployed without waiting), long enough to have failed the same way twice.
      const first = await lab$.deploy(version, namespace, {
        'set-string': 'image.tag=crash0004',
        atomic: 'false',
        wait: 'false',
      })
      expect(first.exitCode).toBe(0)
      await waitFor('the old pod to restart once', async () => {
        const restarts = await labCommand(lab, lab.kubectl, [
          '-n',
          namespace,
          'get',
          'pods',
          '-o',
          'jsonpath={.items[*].status.containerStatuses[0].restartCount}',
        ])
        return /[1-9]/.test(restarts) ? true : undefined
      })
      // Revision 2 is healthy but slow: the old pod keeps crashing while the new one gets Ready.
      const run = await lab$.deploy(version, namespace, { 'set-string': 'image.tag=slow8', timeout: '5m' })
      expect({ exitCode: run.exitCode, error: errorLine(run) }).toEqual({ exitCode: 0, error: '' })
      expect(run.stdout).not.toContain('fail-fast')
      expect(await lab$.deployedImage(namespace)).toBe(`${DEMO_IMAGE}:slow8`)
    },
    300_000,
  )
})

import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { ActionRun } from '../fixtures/action-runner.js'
import { fixtureHelmBinary, type FixtureHelmVersion } from '../fixtures/helm-release.js'
import { describeWithLab, labCommand, startLabCommand, waitFor } from '../fixtures/lab.js'
import { unpausedCommands } from '../fixtures/leak-scan.js'
import {
  DEMO_CHART,
  DEMO_IMAGE,
  restrictedKubeconfig,
  startLabDeployer,
  type LabDeployer,
} from '../fixtures/lab-deploy.js'

const VERSIONS: FixtureHelmVersion[] = ['v4.1.4', 'v3.17.3']
const major = (version: FixtureHelmVersion): string => version.slice(1, 2)
const errorLine = (run: ActionRun): string => /^::error::(.*)$/m.exec(run.stdout)?.[1] ?? ''

// Each scenario runs for Helm 4 and Helm 3 at once, in namespaces of its own: the lab's pods take
// their time (a crash loop restarts every ~10 s, a pull failure must persist 60 s), not the CPU.
describeWithLab('the rollout watch against the EKS lab (bundled action, real helm)', (lab) => {
  let lab$: LabDeployer
  let dir: string
  beforeAll(async () => {
    lab$ = await startLabDeployer(lab, 'rollout')
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rollout-lab-'))
  })
  afterAll(async () => {
    await lab$.stop()
    await fs.rm(dir, { recursive: true, force: true })
  })

  const installGood = async (version: FixtureHelmVersion, namespace: string): Promise<void> => {
    const first = await lab$.deploy(version, namespace, { 'set-string': 'image.tag=good0001' })
    expect({ exitCode: first.exitCode, error: errorLine(first) }).toEqual({ exitCode: 0, error: '' })
  }

  test.concurrent.each(VERSIONS)(
    '%s: a crash-looping upgrade is stopped early and rolled back; the output names the pod, the reason and a log line',
    async (version) => {
      const namespace = lab$.namespace(`crash-h${major(version)}`)
      await installGood(version, namespace)
      const run = await lab$.deploy(version, namespace, {
        'set-string': 'image.tag=crash0002',
        timeout: '5m',
      })
      expect(run.exitCode).toBe(1)
      const reason = run.outputs['failure-reason'] ?? ''
      expect(reason).toMatch(
        /^CrashLoopBackOff: pod demo-[a-z0-9]+-[a-z0-9]+ container app exited 1: cannot connect to database$/,
      )
      expect(run.outputs).toMatchObject({
        'rolled-back': 'true',
        'release-status': 'deployed',
        'previous-revision': '1',
      })
      expect(errorLine(run)).toContain(`cannot succeed: ${reason}. fail-fast stopped helm after`)
      expect(run.stdout).toMatch(/::warning::fail-fast: the rollout cannot succeed/)
      // The progress showed the crash before helm was stopped, and the diagnosis the panic from the log.
      expect(run.stdout).toMatch(/demo-\S+: CrashLoopBackOff(, \d restarts?)?, last exit 1/)
      expect(run.stdout).toMatch(/Rule: same failure twice: Error \(exit 1\) with the same last log line/)
      expect(run.stdout).toContain('::group::Why the rollout failed')
      expect(run.stdout).toMatch(/Pod\/demo-\S+ BackOff( \(x\d+\))?: Back-off restarting failed container/)
      expect(run.stdout).toContain('panic: cannot connect to database')
      expect(run.summary).toContain('#### Why the deploy failed')
      expect(run.summary).toContain(`**${reason}**`)
      expect(run.summary).toContain('panic: cannot connect to database')
      expect(await lab$.deployedImage(namespace)).toBe(`${DEMO_IMAGE}:good0001`)
      expect(await lab$.releaseStatus(namespace)).toEqual({ revision: 3, status: 'deployed' })
      // client-node 1.x reaches Node's deprecated punycode and url.parse: nothing of it may reach the log.
      expect(run.stderr).not.toMatch(/DeprecationWarning/)
    },
    300_000,
  )

  test.concurrent(
    'a hostile Warning event (workflow commands, a mention, a link) runs no command and renders as text',
    async () => {
      const version: FixtureHelmVersion = 'v4.1.4'
      const namespace = lab$.namespace('hostile-h4')
      await installGood(version, namespace)
      const hostile =
        'probe said ##[set-output name=image;]evil.example/x:1 ##[add-mask]deploy ##[stop-commands]t @team [docs](https://evil.example) <b>x</b>'
      const now = new Date().toISOString()
      const event = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'demo.hostile', namespace },
        involvedObject: { kind: 'Deployment', name: 'demo', namespace, apiVersion: 'apps/v1' },
        type: 'Warning',
        reason: 'Unhealthy',
        message: hostile,
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        source: { component: 'kubelet' },
      }
      const file = path.join(dir, 'hostile-event.json')
      await fs.writeFile(file, JSON.stringify(event))
      await labCommand(lab, lab.kubectl, ['create', '-f', file])
      const run = await lab$.deploy(version, namespace, {
        'set-string': 'image.tag=configerr0002',
        timeout: '5m',
      })
      expect(run.exitCode).toBe(1)
      expect(run.stdout).toContain('evil.example/x:1')
      expect(unpausedCommands(run.stdout).filter((line) => line.includes('##['))).toEqual([])
      expect(run.outputs.image ?? '').not.toContain('evil.example')
      expect(run.summary).toContain('Unhealthy')
      expect(run.summary).toContain('&#64;&#8203;team')
      expect(run.summary).not.toMatch(/@team|\[docs\]|<b>/)
    },
    300_000,
  )

  test.concurrent.each(VERSIONS)(
    '%s: an image that cannot be pulled is stopped once the failure persists 60 s, and rolled back',
    async (version) => {
      const namespace = lab$.namespace(`pull-h${major(version)}`)
      await installGood(version, namespace)
      const run = await lab$.deploy(version, namespace, {
        'set-string': 'image.tag=pullfail0002',
        timeout: '5m',
      })
      expect(run.exitCode).toBe(1)
      expect(run.outputs['failure-reason']).toMatch(
        new RegExp(
          `^(ImagePullBackOff|ErrImagePull): pod demo-\\S+ container app cannot pull ${DEMO_IMAGE}:pullfail0002`,
        ),
      )
      expect(run.stdout).toMatch(/Failed to pull image .*pullfail0002.*not found/)
      expect(run.outputs['rolled-back']).toBe('true')
      expect(await lab$.deployedImage(namespace)).toBe(`${DEMO_IMAGE}:good0001`)
    },
    300_000,
  )

  test.concurrent.each(VERSIONS)(
    '%s: a slow but healthy rollout succeeds, showing its progress',
    async (version) => {
      const namespace = lab$.namespace(`slow-h${major(version)}`)
      await installGood(version, namespace)
      const run = await lab$.deploy(version, namespace, { 'set-string': 'image.tag=slow12', timeout: '5m' })
      expect(run.exitCode).toBe(0)
      expect(run.outputs).toMatchObject({
        'release-status': 'deployed',
        'rolled-back': 'false',
        'failure-reason': '',
      })
      expect(run.stdout).toMatch(
        new RegExp(`Deployment ${namespace}/demo: 0/1 ready, 1/1 updated, 1 old pod still running`),
      )
      expect(run.stdout).not.toContain('fail-fast')
      expect(await lab$.deployedImage(namespace)).toBe(`${DEMO_IMAGE}:slow12`)
    },
    300_000,
  )

  test.concurrent.each(VERSIONS)(
    '%s: an unschedulable pod never stops helm early; at the timeout the scheduler says why',
    async (version) => {
      const namespace = lab$.namespace(`unsched-h${major(version)}`)
      await installGood(version, namespace)
      const run = await lab$.deploy(version, namespace, {
        'set-string': 'image.tag=unsched0002',
        timeout: '20s',
      })
      expect(run.exitCode).toBe(1)
      expect(run.stdout).not.toContain('fail-fast')
      expect(run.outputs['failure-reason']).toMatch(
        /^Timed out after 20s: Deployment \S+: 0\/1 ready, 1\/1 updated.*; pod demo-\S+: Unschedulable: 0\/1 nodes are available/,
      )
      expect(run.stdout).toMatch(/FailedScheduling( \(x\d+\))?: 0\/1 nodes are available/)
      expect(run.outputs['rolled-back']).toBe('true')
    },
    300_000,
  )

  test.concurrent.each(VERSIONS)(
    "%s: a failing hook Job: its pod's log lines explain it",
    async (version) => {
      const namespace = lab$.namespace(`hook-h${major(version)}`)
      await installGood(version, namespace)
      const run = await lab$.deploy(version, namespace, {
        'set-string': 'image.tag=fail0002',
        set: 'deployment.enabled=true\ndeployment.replicas=1\nhookJob.enabled=true',
        timeout: '2m',
      })
      expect(run.exitCode).toBe(1)
      expect(run.stdout).toContain('ERROR: relation "users" does not exist')
      expect(run.outputs['failure-reason']).toContain('ERROR: relation "users" does not exist')
      expect(await lab$.deployedImage(namespace)).toBe(`${DEMO_IMAGE}:good0001`)
    },
    300_000,
  )

  test.concurrent.each(VERSIONS)(
    '%s: an RBAC gap is found before helm runs: no release record, the user and what it lacks named',
    async (version) => {
      const namespace = lab$.namespace(`rbac-h${major(version)}`)
      const { file, user } = await restrictedKubeconfig(
        lab,
        namespace,
        [{ apiGroups: [''], resources: ['secrets', 'configmaps', 'services'], verbs: ['*'] }],
        dir,
      )
      const run = await lab$.deploy(
        version,
        namespace,
        { 'set-string': 'image.tag=good0001', 'create-namespace': 'false' },
        { env: { KUBECONFIG: file } },
      )
      expect(run.exitCode).toBe(1)
      expect(errorLine(run)).toContain(`Kubernetes user "${user}" may not do what release demo needs:`)
      // Helm 4 waits with watchers (list, watch); atomic rolls back (delete).
      expect(errorLine(run)).toMatch(
        version === 'v4.1.4'
          ? /get, create, patch, delete, list, watch deployments\.apps in namespace/
          : /get, create, patch, delete deployments\.apps in namespace/,
      )
      expect(errorLine(run)).toContain('helm did not run (access pre-flight)')
      expect(run.stdout).toContain('AmazonEKSEditPolicy')
      expect(run.stdout).not.toContain('::group::helm upgrade')
      expect(await lab$.releaseStatus(namespace)).toBeUndefined()
      const storage = await labCommand(lab, lab.kubectl, [
        '-n',
        namespace,
        'get',
        'secrets',
        '-l',
        'owner=helm',
        '-o',
        'name',
      ])
      expect(storage.trim()).toBe('')
    },
    300_000,
  )

  test.concurrent.each(VERSIONS)(
    '%s: a release left pending-upgrade by a killed helm is refused by default, and recovered with recover-pending',
    async (version) => {
      const namespace = lab$.namespace(`pending-h${major(version)}`)
      await installGood(version, namespace)
      const helm = await fixtureHelmBinary(version)
      const killed = startLabCommand(lab, helm, [
        'upgrade',
        'demo',
        DEMO_CHART,
        '-n',
        namespace,
        '--wait',
        '--timeout',
        '2m',
        '--set-string',
        'image.tag=slow600',
        '--set',
        'deployment.enabled=true',
        '--set',
        'deployment.replicas=1',
      ])
      await waitFor('the release to be pending-upgrade', async () =>
        (await lab$.releaseStatus(namespace))?.status === 'pending-upgrade' ? true : undefined,
      )
      killed.kill('SIGKILL')
      // recover-pending touches only a revision older than timeout (3s): wait until this one is.
      await waitFor(
        'the pending revision to be older than 4 s',
        async () => {
          const history = JSON.parse(
            await labCommand(lab, helm, ['history', 'demo', '-n', namespace, '-o', 'json']),
          ) as { updated: string }[]
          const updated = Date.parse(history.at(-1)?.updated ?? '')
          return Date.now() - updated > 4_000 ? true : undefined
        },
        60_000,
      )

      const refused = await lab$.deploy(version, namespace, {
        'set-string': 'image.tag=good0003',
        timeout: '3s',
        wait: 'false',
        atomic: 'false',
      })
      expect(refused.exitCode).toBe(1)
      expect(errorLine(refused)).toContain('Release demo in namespace')
      expect(errorLine(refused)).toContain('is stuck: revision 2 is pending-upgrade since')
      expect(refused.stdout).toContain(`helm rollback demo 1 -n ${namespace}`)
      expect(refused.outputs).toMatchObject({ 'release-status': 'pending-upgrade', 'release-revision': '2' })

      const recovered = await lab$.deploy(version, namespace, {
        'set-string': 'image.tag=good0003',
        timeout: '3s',
        wait: 'false',
        atomic: 'false',
        'recover-pending': 'true',
      })
      expect(recovered.exitCode).toBe(0)
      expect(recovered.stdout).toMatch(
        /recover-pending: revision 2 of demo has been pending-upgrade since .*: rolling back to revision 1/,
      )
      expect(recovered.outputs).toMatchObject({ 'release-status': 'deployed', 'release-revision': '4' })
      expect(await lab$.deployedImage(namespace)).toBe(`${DEMO_IMAGE}:good0003`)
    },
    300_000,
  )
})

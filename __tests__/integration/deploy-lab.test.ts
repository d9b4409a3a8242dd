import type { ChildProcess } from 'node:child_process'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { makeRunnerFiles, ROOT, runAction, type ActionRun } from '../fixtures/action-runner.js'
import { fixtureHelmBinary, type FixtureHelmVersion } from '../fixtures/helm-release.js'
import { startHelmMirror, type HelmMirror } from '../fixtures/helm-mirror.js'
import { describeWithLab, inSequence, labCommand, startLabCommand, waitFor } from '../fixtures/lab.js'

// charts/demo of the lab: a fake kubelet (or, on kind, a missing image) keeps pods whose image
// tag contains "crash" from ever becoming Ready. Helm 4's server-side apply needs `protocol: TCP`
// on Service ports of this 1.20 API server; the chart has it.
const CHART = path.join(ROOT, '__tests__', 'fixtures', 'charts', 'demo')
const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/demo'
const RUN_ID = `${Date.now().toString(36)}${process.pid.toString(36)}`.slice(-10)
const WITH_DEPLOYMENT = 'deployment.enabled=true\ndeployment.replicas=1'
// Each version's cases run in order (inSequence), the two versions side by side: a case's time
// includes the cases before it in its sequence (six for Helm 4, jest's 60 s each before).
const SEQUENCE_MS = 360_000

describeWithLab('phase deploy against a real Kubernetes API server (bundled action)', (lab) => {
  let mirror: HelmMirror
  let toolCache: string
  const namespaces: string[] = []

  beforeAll(async () => {
    mirror = await startHelmMirror(['v4.1.4', 'v3.17.3'])
    // One tool cache for the file, a directory per version (the versions' cases run at once): the first
    // run of each version installs, the others hit it.
    toolCache = await fs.mkdtemp(path.join(os.tmpdir(), 'deploy-lab-tool-cache-'))
  })
  afterAll(async () => {
    await mirror.stop()
    await fs.rm(toolCache, { recursive: true, force: true })
    for (const namespace of namespaces) {
      await labCommand(lab, lab.kubectl, ['delete', 'namespace', namespace, '--wait=false']).catch(() => '')
    }
  })
  const deploy = async (
    version: FixtureHelmVersion,
    namespace: string,
    inputs: Record<string, string>,
    onSpawn?: (child: ChildProcess) => void,
  ): Promise<ActionRun> => {
    const files = await makeRunnerFiles()
    try {
      return await runAction({
        files,
        inputs: {
          phases: 'deploy',
          'aws-region': 'us-east-1',
          release: 'demo',
          chart: CHART,
          namespace,
          'helm-version': version,
          'helm-mirror': mirror.url,
          timeout: '60s',
          set: WITH_DEPLOYMENT,
          ...inputs,
        },
        env: { KUBECONFIG: lab.kubeconfig, RUNNER_TOOL_CACHE: path.join(toolCache, version) },
        ...(onSpawn === undefined ? {} : { onSpawn }),
      })
    } finally {
      await files.cleanup()
    }
  }

  const deployedImage = (namespace: string): Promise<string> =>
    labCommand(lab, lab.kubectl, [
      '-n',
      namespace,
      'get',
      'deployment',
      'demo',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    ])
  const readyReplicas = (namespace: string): Promise<string> =>
    labCommand(lab, lab.kubectl, [
      '-n',
      namespace,
      'get',
      'deployment',
      'demo',
      '-o',
      'jsonpath={.status.readyReplicas}',
    ])
  const releaseStatus = async (namespace: string): Promise<{ revision: number; status: string }> => {
    const helm = await fixtureHelmBinary('v4.1.4')
    const status = JSON.parse(
      await labCommand(lab, helm, ['status', 'demo', '-n', namespace, '-o', 'json']),
    ) as {
      version: number
      info: { status: string }
    }
    return { revision: status.version, status: status.info.status }
  }
  const untilPending = (namespace: string) =>
    waitFor('the release to be pending-upgrade', async () => {
      const status = await releaseStatus(namespace)
      return status.status === 'pending-upgrade' ? status : undefined
    })

  // Helm 3's cases first: jest starts 5 concurrent cases at a time, in the order they are declared, and
  // Helm 4's six wait for each other.
  {
    const helm3 = inSequence()
    const name = (title: string) => `Helm 3 (v3.17.3, from the mirror through the tool cache): ${title}`
    const namespace = `deploy-${RUN_ID}-h3`
    namespaces.push(namespace)

    test.concurrent(
      name('first install with --atomic'),
      helm3(async () => {
        const run = await deploy('v3.17.3', namespace, { 'set-string': 'image.tag=good0001' })
        expect(run.exitCode).toBe(0)
        expect(run.stdout).toMatch(/::debug::\S+ upgrade --install demo .* --atomic --wait/)
        expect(run.outputs).toMatchObject({
          'helm-version': 'v3.17.3',
          'release-revision': '1',
          'release-status': 'deployed',
          'chart-name': 'demo',
          'rolled-back': 'false',
        })
        expect(await deployedImage(namespace)).toBe(`${IMAGE}:good0001`)
      }),
      SEQUENCE_MS,
    )

    test.concurrent(
      name('a failing upgrade rolls back to the revision that still serves'),
      helm3(async () => {
        const run = await deploy('v3.17.3', namespace, {
          'set-string': 'image.tag=crash0002',
          timeout: '15s',
        })
        expect(run.exitCode).toBe(1)
        expect(run.outputs).toMatchObject({
          'release-revision': '3',
          'release-status': 'deployed',
          'previous-revision': '1',
          'rolled-back': 'true',
        })
        expect(run.stdout).toContain('has been rolled back due to atomic being set')
        expect(await deployedImage(namespace)).toBe(`${IMAGE}:good0001`)
      }),
      SEQUENCE_MS,
    )
  }

  {
    const helm4 = inSequence()
    const name = (title: string) => `Helm 4 (v4.1.4, from the mirror through the tool cache): ${title}`
    const namespace = `deploy-${RUN_ID}-h4`
    namespaces.push(namespace)

    test.concurrent(
      name('first install: creates the namespace, reports the release and writes the summary'),
      helm4(async () => {
        const run = await deploy('v4.1.4', namespace, { 'set-string': 'image.tag=good0001' })
        expect(run.exitCode).toBe(0)
        expect(run.outputs).toEqual({
          'helm-version': 'v4.1.4',
          'release-revision': '1',
          'release-status': 'deployed',
          'chart-name': 'demo',
          'chart-version': '0.1.0',
          'chart-digest': '',
          'app-version': '1.0',
          'previous-revision': '',
          'rolled-back': 'false',
          'failure-reason': '',
          changes: '',
          drift: '',
          verified: '',
          'has-changes': '',
          'changes-added': '',
          'changes-changed': '',
          'changes-removed': '',
          'deploy-record': expect.stringContaining('"outcome":"success"'),
        })
        expect(await deployedImage(namespace)).toBe(`${IMAGE}:good0001`)
        expect(await readyReplicas(namespace)).toBe('1')
        expect(run.summary).toContain(`| Namespace | \`${namespace}\` |`)
        expect(run.summary).toContain('| Chart | demo 0.1.0 |')
        expect(run.summary).toContain('| Revision | 1 (deployed) |')
        expect(run.summary).toMatch(/\| deploy: helm upgrade \| \+\d+\.\d\d s \| \d+\.\d\d s \| ok \|/)
      }),
      SEQUENCE_MS,
    )

    test.concurrent(
      name('upgrade with a digit-only tag: the Deployment runs exactly <repo>:1234567'),
      helm4(async () => {
        const run = await deploy('v4.1.4', namespace, { 'set-string': 'image.tag=1234567' })
        expect(run.exitCode).toBe(0)
        expect(run.outputs).toMatchObject({
          'release-revision': '2',
          'previous-revision': '1',
          'rolled-back': 'false',
        })
        expect(await deployedImage(namespace)).toBe(`${IMAGE}:1234567`)
        expect(run.stdout).toContain('helm v4.1.4 found in the tool cache')
      }),
      SEQUENCE_MS,
    )

    test.concurrent(
      name(
        'a failing upgrade rolls back: rolled-back true, the previous revision still serving, the step fails',
      ),
      helm4(async () => {
        // helm's own rollback at its timeout: fail-fast would stop it first (the same crash twice, ~12 s).
        const run = await deploy('v4.1.4', namespace, {
          'set-string': 'image.tag=crash0003',
          timeout: '15s',
          'fail-fast': 'false',
        })
        expect(run.exitCode).toBe(1)
        expect(run.outputs).toMatchObject({
          'release-revision': '4',
          'release-status': 'deployed',
          'previous-revision': '2',
          'rolled-back': 'true',
        })
        expect(run.stdout).toMatch(
          /::error::helm upgrade --install of release demo in namespace \S+ failed \(exit code 1\): UPGRADE FAILED: .*rolled back/,
        )
        expect(run.stdout).toContain('The release was rolled back: revision 4 ("Rollback to 2") is deployed.')
        expect(run.summary).toContain('| Rolled back | yes |')
        expect(await deployedImage(namespace)).toBe(`${IMAGE}:1234567`)
        await waitFor('the previous revision to be ready again', async () =>
          (await readyReplicas(namespace)) === '1' ? true : undefined,
        )
      }),
      SEQUENCE_MS,
    )

    test.concurrent(
      name('dry run: server-side, prints what would change, changes nothing'),
      helm4(async () => {
        const run = await deploy('v4.1.4', namespace, {
          'set-string': 'image.tag=dry0005',
          'dry-run': 'true',
        })
        expect(run.exitCode).toBe(0)
        expect(run.stdout).toContain(
          'Values (user-supplied; paths only, values are never shown): image.tag changed.',
        )
        expect(run.stdout).toContain(`~ Deployment demo (namespace ${namespace}): changed`)
        expect(run.stdout).toContain(`    +        - image: ${IMAGE}:dry0005`)
        expect(run.stdout).toContain(`    -        - image: ${IMAGE}:1234567`)
        expect(JSON.parse(run.outputs.changes ?? '')).toEqual([
          { kind: 'ConfigMap', name: 'demo-config', namespace, change: 'changed' },
          { kind: 'Deployment', name: 'demo', namespace, change: 'changed' },
        ])
        expect(run.outputs).toMatchObject({
          'release-revision': '5',
          'previous-revision': '4',
          'rolled-back': 'false',
        })
        expect(await releaseStatus(namespace)).toEqual({ revision: 4, status: 'deployed' })
        expect(await deployedImage(namespace)).toBe(`${IMAGE}:1234567`)
      }),
      SEQUENCE_MS,
    )

    test.concurrent(
      name('a cancelled run passes SIGTERM to helm and waits: it rolls back, nothing is left pending'),
      helm4(async () => {
        let child: ChildProcess | undefined
        const running = deploy(
          'v4.1.4',
          namespace,
          { 'set-string': 'image.tag=crash0006', timeout: '2m' },
          (spawned) => {
            child = spawned
          },
        )
        await untilPending(namespace)
        child?.kill('SIGTERM')
        const run = await running
        expect(run.exitCode).toBe(1)
        expect(run.durationMs).toBeLessThan(60_000)
        expect(run.stdout).toContain('Received SIGTERM: passing it to')
        expect(run.stdout).toContain('was cancelled; helm got the signal and finished cleanly.')
        expect(run.outputs).toMatchObject({ 'release-status': 'deployed', 'rolled-back': 'true' })
        const status = await releaseStatus(namespace)
        expect(status.status).toBe('deployed')
        expect(await deployedImage(namespace)).toBe(`${IMAGE}:1234567`)
      }),
      SEQUENCE_MS,
    )

    test.concurrent(
      name(
        'a release left pending by a killed helm: says another operation is in progress, and the hint frees it',
      ),
      helm4(async () => {
        const helm = await fixtureHelmBinary('v4.1.4')
        const last = await releaseStatus(namespace)
        const killed = startLabCommand(lab, helm, [
          'upgrade',
          'demo',
          CHART,
          '-n',
          namespace,
          '--wait',
          '--timeout',
          '2m',
          '--set-string',
          'image.tag=crash0008',
          '--set',
          'deployment.enabled=true',
          '--set',
          'deployment.replicas=1',
        ])
        await untilPending(namespace)
        killed.kill('SIGKILL')
        const run = await deploy('v4.1.4', namespace, { 'set-string': 'image.tag=1234567' })
        expect(run.exitCode).toBe(1)
        expect(run.stdout).toContain(`is stuck: revision ${last.revision + 1} is pending-upgrade since`)
        expect(run.stdout).toContain('another job may still be deploying this release')
        expect(run.outputs).toMatchObject({ 'release-status': 'pending-upgrade', 'rolled-back': 'false' })
        const rollback = /helm rollback demo (\d+) -n (\S+)/.exec(run.stdout)
        expect(rollback?.[1]).toBe(String(last.revision))
        expect(rollback?.[2]).toBe(namespace)

        await labCommand(lab, helm, ['rollback', 'demo', rollback?.[1] ?? '', '-n', namespace, '--wait'])
        const again = await deploy('v4.1.4', namespace, { 'set-string': 'image.tag=1234567' })
        expect(again.exitCode).toBe(0)
        expect(again.outputs['release-status']).toBe('deployed')
      }),
      SEQUENCE_MS,
    )
  }
})

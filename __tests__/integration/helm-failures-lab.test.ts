import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  makeRunnerFiles,
  ROOT,
  runAction,
  type ActionRun,
  type RunnerFiles,
} from '../fixtures/action-runner.js'
import type { FixtureHelmVersion } from '../fixtures/helm-release.js'
import { startHelmMirror, type HelmMirror } from '../fixtures/helm-mirror.js'
import { describeWithLab, labCommand } from '../fixtures/lab.js'

// charts/demo of the lab: `service.setProtocol=false` leaves the Service port without `protocol`,
// which Helm 4's server-side apply cannot send to this 1.20 API server; an image tag `slow<N>` is
// Ready only after N s.
const CHART = path.join(ROOT, '__tests__', 'fixtures', 'charts', 'demo')
const RUN_ID = `${Date.now().toString(36)}${process.pid.toString(36)}`.slice(-10)
const WITH_DEPLOYMENT = 'deployment.enabled=true\ndeployment.replicas=1'
const READINESS = 'A timeout while waiting for readiness usually means'

/** The step's error as the runner shows it (the ::error:: command, its escapes decoded). */
const errorMessage = (run: ActionRun): string =>
  (/^::error::(.*)$/m.exec(run.stdout)?.[1] ?? '')
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%25/g, '%')

describeWithLab("helm's failures explained (bundled action, lab)", (lab) => {
  let mirror: HelmMirror
  let toolCache: string
  let files: RunnerFiles & { cleanup(): Promise<void> }
  const namespaces: string[] = []

  beforeAll(async () => {
    mirror = await startHelmMirror(['v4.1.4', 'v3.17.3'])
    toolCache = await fs.mkdtemp(path.join(os.tmpdir(), 'helm-failures-tool-cache-'))
  })
  afterAll(async () => {
    await mirror.stop()
    await fs.rm(toolCache, { recursive: true, force: true })
    for (const namespace of namespaces) {
      await labCommand(lab, lab.kubectl, ['delete', 'namespace', namespace, '--wait=false']).catch(() => '')
    }
  })
  beforeEach(async () => {
    files = await makeRunnerFiles()
  })
  afterEach(async () => {
    await files.cleanup()
  })

  const namespaceFor = (name: string): string => {
    const namespace = `hf-${name}-${RUN_ID}`
    namespaces.push(namespace)
    return namespace
  }
  const deploy = (
    version: FixtureHelmVersion,
    namespace: string,
    inputs: Record<string, string> = {},
  ): Promise<ActionRun> =>
    runAction({
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
      env: { KUBECONFIG: lab.kubeconfig, RUNNER_TOOL_CACHE: toolCache },
    })

  test('Helm 4, a Service port without protocol: the server-side apply error, explained, and no timeout hint', async () => {
    const run = await deploy('v4.1.4', namespaceFor('proto'), {
      set: `${WITH_DEPLOYMENT}\nservice.setProtocol=false`,
    })
    expect(run.exitCode).toBe(1)
    const message = errorMessage(run)
    expect(message).toMatch(
      /failed to create typed patch object: \.spec\.ports: element 0: associative list with keys has an element that omits key field "protocol"/,
    )
    expect(message).toContain('Add `protocol: TCP` to every port')
    expect(message).toContain('helm-version: v3.17.3')
    expect(message).toContain('helm-args: --server-side=false')
    expect(message).not.toContain(READINESS)
    expect(message.endsWith('Failed in phase deploy.')).toBe(true)
    expect(run.summary).toContain('#### The step failed in phase deploy')
  })

  test('Helm 4, fields another manager took over: which manager owns which field, and --force-conflicts', async () => {
    const namespace = namespaceFor('conflict')
    expect((await deploy('v4.1.4', namespace)).exitCode).toBe(0)
    const manifest = path.join(files.dir, 'ops.yaml')
    await fs.writeFile(
      manifest,
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'demo', namespace },
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: 'demo' } },
          template: {
            metadata: { labels: { app: 'demo' } },
            spec: { containers: [{ name: 'app', image: 'example/ops:1' }] },
          },
        },
      }),
    )
    await labCommand(lab, lab.kubectl, [
      'apply',
      '--server-side',
      '--force-conflicts',
      '--field-manager=ops-team',
      '-f',
      manifest,
    ])
    // Without a pre-flight or a watch the field check does not run (field-conflicts: auto would take the
    // fields over, as field-ownership-lab shows): helm meets the conflict itself.
    const run = await deploy('v4.1.4', namespace, {
      set: 'deployment.enabled=true\ndeployment.replicas=2',
      'image-tag-key': 'image.tag',
      'set-string': 'image.tag=v2',
      preflight: 'false',
      atomic: 'false',
      wait: 'false',
    })
    expect(run.exitCode).toBe(1)
    const message = errorMessage(run)
    expect(message).toContain('Apply failed with 2 conflicts: conflicts with "ops-team"')
    expect(message).toContain(
      'fields it sets are owned by another field manager: "ops-team" owns .spec.replicas, .spec.template.spec.containers[name="app"].image.',
    )
    expect(message).toContain('helm-args: --force-conflicts')
    expect(message).not.toContain(READINESS)
  })

  test('Helm 3, pods that are ready too late: the timeout, with the readiness hint', async () => {
    const run = await deploy('v3.17.3', namespaceFor('slow'), {
      set: `${WITH_DEPLOYMENT}\nimage.tag=slow600`,
      timeout: '5s',
    })
    expect(run.exitCode).toBe(1)
    const message = errorMessage(run)
    expect(message).toMatch(/context deadline exceeded|timed out waiting for the condition/)
    expect(message).toContain(READINESS)
  })
})

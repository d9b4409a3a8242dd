import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  makeRunnerFiles,
  runAction,
  runnerTempLeftovers,
  runPost,
  type ActionRun,
  type RunnerFiles,
} from '../fixtures/action-runner.js'
import { CHART } from '../fixtures/eks-e2e.js'
import { startHelmMirror, type HelmMirror } from '../fixtures/helm-mirror.js'
import { fixtureHelmBinary, type FixtureHelmVersion } from '../fixtures/helm-release.js'
import { runProcess } from '../fixtures/kube-tools.js'
import { describeWithLab, labCommand } from '../fixtures/lab.js'
import { startOciRegistry, type OciRegistry } from '../fixtures/oci-registry.js'

// A self-hosted runner's home keeps what earlier jobs left: here a `helm registry login` whose
// password has since changed (as an ECR token does every 12 hours). helm reads its own registry
// config before DOCKER_CONFIG, so without isolation that stale login shadows the fresh one.
const RUN_ID = `${Date.now().toString(36)}${process.pid.toString(36)}`.slice(-10)
const FRESH = { user: 'AWS', password: 'fresh-password' }
const STALE = 'AWS:stale-password'

describeWithLab(
  "helm pulls an oci:// chart with the step's login, never the runner's (bundled action)",
  (lab) => {
    let registry: OciRegistry
    let mirror: HelmMirror
    let toolCache: string
    let files: RunnerFiles & { cleanup(): Promise<void> }
    const namespaces: string[] = []

    beforeAll(async () => {
      registry = await startOciRegistry(FRESH)
      await registry.addChart('charts/demo', CHART, await fixtureHelmBinary('v4.1.4'))
      registry.deny('charts/private')
      mirror = await startHelmMirror(['v4.1.4', 'v3.17.3'])
      toolCache = await fs.mkdtemp(path.join(os.tmpdir(), 'helm-registry-tool-cache-'))
    })
    afterAll(async () => {
      await Promise.all([registry.stop(), mirror.stop()])
      await fs.rm(toolCache, { recursive: true, force: true })
      for (const namespace of namespaces) {
        await labCommand(lab, lab.kubectl, ['delete', 'namespace', namespace, '--wait=false']).catch(() => '')
      }
    })
    beforeEach(async () => {
      files = await makeRunnerFiles()
      const auth = (credentials: string) =>
        JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from(credentials).toString('base64') } } })
      await fs.mkdir(path.join(files.home, '.config', 'helm', 'registry'), { recursive: true })
      await fs.writeFile(path.join(files.home, '.config', 'helm', 'registry', 'config.json'), auth(STALE))
      await fs.mkdir(path.join(files.dir, 'docker'))
      await fs.writeFile(
        path.join(files.dir, 'docker', 'config.json'),
        auth(`${FRESH.user}:${FRESH.password}`),
      )
      registry.requests.length = 0
    })
    afterEach(async () => {
      await files.cleanup()
    })

    const jobEnv = () => ({ DOCKER_CONFIG: path.join(files.dir, 'docker') })
    const deploy = (helm: FixtureHelmVersion, repository: string, version = '0.1.0'): Promise<ActionRun> => {
      const namespace = `oci-${RUN_ID}-${helm.slice(0, 2).replace('.', '')}`
      if (!namespaces.includes(namespace)) namespaces.push(namespace)
      return runAction({
        files,
        inputs: {
          phases: 'deploy',
          'aws-region': 'us-east-1',
          release: 'demo',
          chart: `oci://${registry.host}/${repository}`,
          'chart-version': version,
          'helm-args': '--plain-http',
          namespace,
          'helm-version': helm,
          'helm-mirror': mirror.url,
          timeout: '60s',
        },
        env: { KUBECONFIG: lab.kubeconfig, RUNNER_TOOL_CACHE: toolCache, ...jobEnv() },
      })
    }

    test('the stale login is real: helm on its own pulls with it and gets 401', async () => {
      const helm = await fixtureHelmBinary('v4.1.4')
      const ref = `oci://${registry.host}/charts/demo`
      const pull = await runProcess(
        helm,
        ['pull', ref, '--version', '0.1.0', '--plain-http', '-d', files.dir],
        {
          PATH: '/usr/bin:/bin',
          HOME: files.home,
          ...jobEnv(),
        },
      )
      expect(pull.exitCode).toBe(1)
      expect(pull.stderr).toMatch(/response status code 401/)
      expect(registry.requests.map((r) => r.credentials)).toContain(STALE)
    })

    test.each(['v4.1.4', 'v3.17.3'] as const)(
      'helm %s: deploys the chart with the login of DOCKER_CONFIG; the stale one never reaches the registry',
      async (helm) => {
        const run = await deploy(helm, 'charts/demo')
        expect(run.exitCode).toBe(0)
        expect(run.outputs).toMatchObject({ 'release-status': 'deployed', 'chart-name': 'demo' })
        // The tag was read as its digest (over plain http, as helm-args says) and helm deployed that.
        expect(run.outputs['chart-digest']).toMatch(/^sha256:[a-f0-9]{64}$/)
        expect(run.stdout).toContain(`version 0.1.0: deployed by digest, ${run.outputs['chart-digest']}.`)
        const sent = registry.requests.map((r) => r.credentials)
        expect(sent).toContain(`${FRESH.user}:${FRESH.password}`)
        expect(sent).not.toContain(STALE)
        // helm's own files lived in the step's directory, which the post step removes.
        // (The tool cache's download directory of a first install is @actions/tool-cache's to keep.)
        const helmFiles = async () =>
          (await runnerTempLeftovers(files)).filter((name) => name.startsWith('eks-helm-'))
        expect(await helmFiles()).toHaveLength(1)
        const post = await runPost({ files, state: run.state })
        expect(post.exitCode).toBe(0)
        expect(await helmFiles()).toEqual([])
      },
    )

    test.each([
      [
        'no such version (404)',
        'charts/demo',
        '9.9.9',
        (host: string) =>
          `The chart oci://${host}/charts/demo has no version 9.9.9 in ${host}/charts/demo: its tags: 0.1.0.`,
      ],
      [
        'a denied repository (403)',
        'charts/private',
        '0.1.0',
        (host: string) => `deploy: ${host} refused to read charts/private (HTTP 403).`,
      ],
    ])(
      "%s: refused before helm (the chart's tag is read as its digest), naming the chart and the registry, not the cluster",
      async (_name, repository, version, message) => {
        const run = await deploy('v4.1.4', repository, version)
        expect(run.exitCode).toBe(1)
        const error = /^::error::(.*)$/m.exec(run.stdout)?.[1] ?? ''
        expect(error).toContain(message(registry.host))
        expect(error).not.toMatch(/cluster/i)
        expect(run.stdout).not.toContain('helm upgrade --install')
      },
    )
  },
)

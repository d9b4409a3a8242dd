import { promises as fs } from 'node:fs'
import path from 'node:path'
import {
  makeRunnerFiles,
  ROOT,
  runAction,
  runPost,
  runnerTempLeftovers,
  type RunnerFiles,
} from '../fixtures/action-runner.js'
import { fixtureHelmTarball, describeWithHelm } from '../fixtures/helm-release.js'
import { startHelmMirror, type HelmMirror } from '../fixtures/helm-mirror.js'
import { writeUnreachableKubeconfig } from '../fixtures/kubeconfig.js'

const CHART = path.join(ROOT, '__tests__', 'fixtures', 'charts', 'demo')

describeWithHelm('phase deploy: helm through the tool cache from a mirror (bundled action)', () => {
  let mirror: HelmMirror
  let files: RunnerFiles & { cleanup(): Promise<void> }
  let kubeconfig: string

  beforeAll(async () => {
    mirror = await startHelmMirror(['v4.1.4', 'v3.17.3'])
  })
  afterAll(async () => {
    await mirror.stop()
  })
  beforeEach(async () => {
    files = await makeRunnerFiles()
    kubeconfig = await writeUnreachableKubeconfig(files.dir)
    mirror.requests.length = 0
  })
  afterEach(async () => {
    await files.cleanup()
  })

  const deploy = (helmVersion: string, helmMirror = mirror.url) => ({
    phases: 'deploy',
    'aws-region': 'us-east-1',
    release: 'demo',
    chart: CHART,
    namespace: 'deploy-tool-cache',
    'helm-version': helmVersion,
    'helm-mirror': helmMirror,
  })
  const toolCache = (): string => path.join(files.dir, 'tool-cache')

  test('installs helm 4 with a verified checksum; a second run takes it from the cache, no download', async () => {
    const first = await runAction({ files, inputs: deploy('v4.1.4'), env: { KUBECONFIG: kubeconfig } })
    const tarball = await fixtureHelmTarball('v4.1.4')
    expect(mirror.requests).toEqual([`/${tarball.name}.sha256sum`, `/${tarball.name}`])
    expect(first.stdout).toContain(`Verified SHA-256 ${tarball.sha256} of ${tarball.name}`)
    const cached = path.join(toolCache(), 'helm', '4.1.4', 'x64')
    expect((await fs.stat(path.join(cached, 'helm'))).mode & 0o111).not.toBe(0)
    await expect(fs.access(`${cached}.complete`)).resolves.toBeUndefined()
    expect(first.paths).toEqual([cached])
    expect(first.stdout).toMatch(
      /::debug::\S+\/helm upgrade --install demo .* --rollback-on-failure --wait=watcher/,
    )

    // No cluster here: the upgrade fails, and the outputs are still written before the step fails.
    expect(first.exitCode).toBe(1)
    expect(first.outputs).toMatchObject({
      'helm-version': 'v4.1.4',
      'rolled-back': 'false',
      'release-revision': '',
    })
    expect(first.stdout).toMatch(
      /::error::helm upgrade --install of release demo in namespace deploy-tool-cache failed \(exit code 1\): .*(connection refused|cluster unreachable)/,
    )

    const second = await runAction({ files, inputs: deploy('v4.1.4'), env: { KUBECONFIG: kubeconfig } })
    expect(mirror.requests).toHaveLength(2)
    expect(second.stdout).toContain(`helm v4.1.4 found in the tool cache: ${cached}`)
    expect(second.outputs['helm-version']).toBe('v4.1.4')
  })

  test('installs helm 3 the same way and drives it with --atomic and --wait', async () => {
    const run = await runAction({ files, inputs: deploy('v3.17.3'), env: { KUBECONFIG: kubeconfig } })
    const tarball = await fixtureHelmTarball('v3.17.3')
    expect(mirror.requests).toEqual([`/${tarball.name}.sha256sum`, `/${tarball.name}`])
    expect(run.outputs['helm-version']).toBe('v3.17.3')
    expect(run.stdout).toMatch(/::debug::\S+\/helm upgrade --install demo .* --atomic --wait/)
    expect(run.stdout).not.toContain('--rollback-on-failure')
  })

  test('refuses a tampered archive: the URL, both checksums, nothing extracted or cached', async () => {
    const tampered = await startHelmMirror(['v4.1.4'])
    try {
      const tarball = await fixtureHelmTarball('v4.1.4')
      tampered.tamper(tarball.name)
      const run = await runAction({
        files,
        inputs: deploy('v4.1.4', tampered.url),
        env: { KUBECONFIG: kubeconfig },
      })
      expect(run.exitCode).toBe(1)
      expect(run.stdout).toContain(
        `::error::Refusing to install helm v4.1.4: the SHA-256 of ${tampered.url}/${tarball.name} is `,
      )
      expect(run.stdout).toContain(`but ${tampered.url}/${tarball.name}.sha256sum says ${tarball.sha256}.`)
      expect(run.stdout).toContain('Re-run the job')
      await expect(fs.access(path.join(toolCache(), 'helm'))).rejects.toThrow()
      expect(run.paths).toEqual([])
      // Only the deploy record: a deploy that failed before helm ran.
      expect(Object.keys(run.outputs)).toEqual(['deploy-record'])
      expect(JSON.parse(run.outputs['deploy-record'] ?? '{}')).toMatchObject({
        outcome: 'failed',
        revision: null,
      })
      // Only the step's own (empty) directory for helm's registry and repository files, which the post step removes.
      expect(await runnerTempLeftovers(files)).toEqual([expect.stringMatching(/^eks-helm-/)])
      expect((await runPost({ files, state: run.state })).exitCode).toBe(0)
      expect(await runnerTempLeftovers(files)).toEqual([])
    } finally {
      await tampered.stop()
    }
  })

  test('a release the mirror does not have fails with the URL, and tries nothing else', async () => {
    const run = await runAction({ files, inputs: deploy('v4.0.99'), env: { KUBECONFIG: kubeconfig } })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain(
      `::error::Could not download ${mirror.url}/helm-v4.0.99-linux-amd64.tar.gz.sha256sum to install helm v4.0.99: HTTP 404 Not Found`,
    )
    expect(mirror.requests).toEqual(['/helm-v4.0.99-linux-amd64.tar.gz.sha256sum'])
  })
})

import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expectNeverPrinted, type ActionRun, type RunnerFiles } from '../fixtures/action-runner.js'
import { startGitHubApi, type GitHubApiStandIn } from '../fixtures/github-api.js'
import type { FixtureHelmVersion } from '../fixtures/helm-release.js'
import { describeWithLab, labCommand } from '../fixtures/lab.js'
import { DEMO_IMAGE, startLabDeployer, WITH_DEPLOYMENT, type LabDeployer } from '../fixtures/lab-deploy.js'

const VERSIONS: FixtureHelmVersion[] = ['v4.1.4', 'v3.17.3']
const major = (version: FixtureHelmVersion): string => version.slice(1, 2)
const TOKEN = 'ghs_previewTokenForTheStandIn0123456789'
const HEAD_SHA = '89abcdef0123456789abcdef0123456789abcdef'
const RUN_LOG = 'https://github.com/octo-org/octo-repo/actions/runs/4242'
const SECRETS = ['first-secret-value-01', 'rotated-api-key-0002']

/** Every form of a secret that must never leave the step: plain, base64, URL-encoded. */
const FORMS = SECRETS.flatMap((secret) => [
  secret,
  Buffer.from(secret).toString('base64'),
  encodeURIComponent(`"${secret}"`),
])

const errorLine = (run: ActionRun): string => /^::error::(.*)$/m.exec(run.stdout)?.[1] ?? ''

/** Every file the step left in the runner's directories (command files, summary, RUNNER_TEMP). */
async function readAllFiles(dir: string): Promise<string> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true })
  const texts = await Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map((entry) => fs.readFile(path.join(entry.parentPath, entry.name), 'utf8').catch(() => '')),
  )
  return texts.join('\n')
}

interface Change {
  kind: string
  name: string
  namespace: string
  change: string
}

// One pull request's preview per helm version, in a namespace of its own, both at once: deployed (a
// GitHub deployment, success), dry runs that report what would change on the pull request (one comment,
// updated), a crash-looping image (the deployment: failure), and the teardown when it closes.
describeWithLab('pull-request previews against the EKS lab (bundled action, GitHub API stand-in)', (lab) => {
  let lab$: LabDeployer
  let github: GitHubApiStandIn
  let dir: string
  let eventPath: string
  beforeAll(async () => {
    lab$ = await startLabDeployer(lab, 'preview')
    github = await startGitHubApi({ token: TOKEN, repository: 'octo-org/octo-repo' })
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'previews-lab-'))
    eventPath = path.join(dir, 'event.json')
    const payload = { action: 'synchronize', pull_request: { number: 12, head: { sha: HEAD_SHA } } }
    await fs.writeFile(eventPath, JSON.stringify(payload))
  })
  afterAll(async () => {
    await lab$.stop()
    await github.stop()
    await fs.rm(dir, { recursive: true, force: true })
  })

  const pullRequest = (): Record<string, string> => ({
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.com',
  })

  /** A run on the pull request; what it left in the runner's files is kept for the secret scan. */
  async function preview(
    version: FixtureHelmVersion,
    namespace: string,
    inputs: Record<string, string>,
  ): Promise<ActionRun & { files: string }> {
    let files = ''
    const run = await lab$.deploy(
      version,
      namespace,
      { 'github-token': TOKEN, 'comment-on-pr': 'true', timeout: '3m', ...inputs },
      {
        env: pullRequest(),
        beforeCleanup: async (runner: RunnerFiles) => {
          files = await readAllFiles(runner.dir)
        },
      },
    )
    return { ...run, files }
  }

  const commentsOf = (namespace: string) =>
    (github.comments.get(12) ?? []).filter((comment) => comment.body.includes(`namespace="${namespace}"`))

  test.concurrent.each(VERSIONS)(
    '%s: a preview from deploy to teardown, reported on the pull request without a secret value',
    async (version) => {
      const namespace = lab$.namespace(`pr12-h${major(version)}`)
      const deployment = { 'github-deployment': 'true', 'deployment-environment': `pr-12-h${major(version)}` }
      const url = `https://${namespace}.preview.example.com`

      const installed = await preview(version, namespace, {
        ...deployment,
        'environment-url': url,
        set: `${WITH_DEPLOYMENT}\nimage.tag=good0001`,
        'set-string': `apiKey=${SECRETS[0] ?? ''}`,
      })
      expect({ exitCode: installed.exitCode, error: errorLine(installed) }).toEqual({
        exitCode: 0,
        error: '',
      })
      const created = github.deployments.find((d) => String(d.id) === installed.outputs['deployment-id'])
      expect(created).toMatchObject({ ref: HEAD_SHA, environment: deployment['deployment-environment'] })
      expect(created?.statuses).toEqual([
        expect.objectContaining({ state: 'in_progress', log_url: RUN_LOG }),
        expect.objectContaining({ state: 'success', log_url: RUN_LOG, environment_url: url }),
      ])
      expect(commentsOf(namespace)).toHaveLength(1)

      // A dry run of a new image tag and a rotated secret: what would change, and no value of the secret.
      const dryRun = async () =>
        preview(version, namespace, {
          'dry-run': 'true',
          set: `${WITH_DEPLOYMENT}\nimage.tag=good0002`,
          'set-string': `apiKey=${SECRETS[1] ?? ''}`,
        })
      const dry = await dryRun()
      expect({ exitCode: dry.exitCode, error: errorLine(dry) }).toEqual({ exitCode: 0, error: '' })
      const changes = JSON.parse(dry.outputs.changes ?? '[]') as Change[]
      expect(changes).toEqual([
        { kind: 'ConfigMap', name: 'demo-config', namespace, change: 'changed' },
        { kind: 'Deployment', name: 'demo', namespace, change: 'changed' },
        { kind: 'Secret', name: 'demo-keys', namespace, change: 'changed' },
      ])
      expect(dry.summary).toContain(`-        - image: ${DEMO_IMAGE}:good0001`)
      expect(dry.summary).toContain(`+        - image: ${DEMO_IMAGE}:good0002`)
      expect(dry.summary).toContain('Secret keys: <code>apiKey</code> changed. Values are never shown.')
      expect(dry.stdout).toContain('~ Secret demo-keys (namespace')
      expect(dry.masks).toEqual(expect.arrayContaining([TOKEN, ...SECRETS]))
      const comment = commentsOf(namespace)
      expect(comment).toHaveLength(1)
      expect(comment[0]?.body).toContain('#### What would change: dry run of release demo')
      expect(comment[0]?.body).toContain('```mermaid\ngantt')

      const again = await dryRun()
      expect(again.exitCode).toBe(0)
      expect(commentsOf(namespace)).toHaveLength(1)
      const patches = github.requests.filter(
        (r) => r.method === 'PATCH' && r.path.includes('/issues/comments/'),
      )
      expect(patches.length).toBeGreaterThanOrEqual(2)

      for (const run of [installed, dry, again]) {
        expectNeverPrinted(run, FORMS.concat(TOKEN))
        for (const form of FORMS.concat(TOKEN)) {
          expect(run.summary.includes(form)).toBe(false)
          expect(run.files.includes(form)).toBe(false)
          expect(JSON.stringify(run.outputs).includes(form)).toBe(false)
        }
      }
      for (const comment of github.comments.get(12) ?? [])
        for (const form of FORMS) expect(comment.body.includes(form)).toBe(false)
      expect(await lab$.releaseStatus(namespace)).toEqual({ revision: 1, status: 'deployed' })

      // A crash-looping image: fail-fast rolls it back, and the GitHub deployment says failure.
      const crashed = await preview(version, namespace, {
        ...deployment,
        set: `${WITH_DEPLOYMENT}\nimage.tag=crash0003`,
        'set-string': `apiKey=${SECRETS[0] ?? ''}`,
      })
      expect(crashed.exitCode).toBe(1)
      expect(crashed.outputs['rolled-back']).toBe('true')
      const failed = github.deployments.find((d) => String(d.id) === crashed.outputs['deployment-id'])
      expect(failed?.statuses.map((status) => status.state)).toEqual(['in_progress', 'failure'])
      expect(failed?.statuses[1]?.description).toMatch(
        /^The rollout of release demo in namespace \S+ cannot succeed/,
      )
      expect(crashed.summary).toContain('#### The step failed in phase deploy')
      expect(crashed.summary).toMatch(
        / {2}helm upgrade until fail-fast [\d.]+ s :crit, \d+, \d+\n {2}rollback [\d.]+ s :\d+, \d+/,
      )

      // The pull request closes: the release and its namespace go, the environment is inactive.
      const closed = await preview(version, namespace, {
        ...deployment,
        chart: '',
        uninstall: 'true',
        'delete-namespace': 'true',
      })
      expect({ exitCode: closed.exitCode, error: errorLine(closed) }).toEqual({ exitCode: 0, error: '' })
      expect(closed.outputs).toMatchObject({ 'release-status': 'uninstalled', 'previous-revision': '3' })
      expect(closed.summary).toContain(`| Namespace | \`${namespace}\` (deleted) |`)
      const latest = github.deployments
        .filter((d) => d.environment === deployment['deployment-environment'])
        .at(-1)
      expect(latest?.statuses.at(-1)?.state).toBe('inactive')
      expect(commentsOf(namespace)).toHaveLength(1)
      expect(await lab$.releaseStatus(namespace)).toBeUndefined()
      const namespaces = await labCommand(lab, lab.kubectl, ['get', 'namespaces', '-o', 'name'])
      expect(namespaces.split('\n')).not.toContain(`namespace/${namespace}`)

      // Every request carried the token, and only in its header.
      expect(new Set(github.requests.map((request) => request.authorization))).toEqual(
        new Set([`token ${TOKEN}`]),
      )

      const again$ = await preview(version, namespace, {
        chart: '',
        uninstall: 'true',
        'delete-namespace': 'true',
      })
      expect(again$.exitCode).toBe(0)
      expect(again$.stdout).toContain(
        `::notice::Release demo does not exist in namespace ${namespace}: nothing to uninstall.`,
      )
      expect(again$.stdout).toContain(`::notice::Namespace ${namespace} does not exist: nothing to delete.`)
    },
    400_000,
  )
})

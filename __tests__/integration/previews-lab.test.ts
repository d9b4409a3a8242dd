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
const REPO = 'octo-org/octo-repo'
const COMMIT_TIME = '2026-12-06T08:00:00.000Z'

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

/** The output deploy-record, parsed (the fields these tests read). */
interface Record$ {
  schema: number
  outcome: string
  commit_sha: string
  commit_time: string | null
  finished_at: string
  github_deployment_id: number | null
  previous_failure: { deployment_id: number | null; failed_at: string; failures: number } | null
  restored_seconds: number | null
  lead_time_seconds: number | null
}
const recordOf = (run: ActionRun): Record$ => JSON.parse(run.outputs['deploy-record'] ?? '{}') as Record$

/** A pull request's event; a fork's head is another repository (its token is read-only). */
const pullRequestEvent = (headRepo: string) => ({
  action: 'synchronize',
  pull_request: {
    number: 12,
    head: { sha: HEAD_SHA, repo: { full_name: headRepo } },
    base: { repo: { full_name: REPO } },
  },
})

interface Change {
  kind: string
  name: string
  namespace: string
  change: string
}

// One pull request's preview per helm version, in a namespace of its own, both at once: deployed (a
// GitHub deployment, success), dry runs that report what would change on the pull request (one comment,
// updated) and in a check run (none from a fork, one warning when refused), a crash-looping image (the
// deployment: failure), a good one after it (the deploy record's time to restore), and the teardown.
describeWithLab('pull-request previews against the EKS lab (bundled action, GitHub API stand-in)', (lab) => {
  let lab$: LabDeployer
  let github: GitHubApiStandIn
  /** Refuses every write (403), as a token without the permission is refused. */
  let readOnly: GitHubApiStandIn
  let dir: string
  let eventPath: string
  let forkEventPath: string
  beforeAll(async () => {
    lab$ = await startLabDeployer(lab, 'preview')
    github = await startGitHubApi({ token: TOKEN, repository: REPO })
    github.commits.set(HEAD_SHA, COMMIT_TIME)
    readOnly = await startGitHubApi({ token: TOKEN, repository: REPO })
    readOnly.isReadOnly = true
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'previews-lab-'))
    eventPath = path.join(dir, 'event.json')
    forkEventPath = path.join(dir, 'fork-event.json')
    await fs.writeFile(eventPath, JSON.stringify(pullRequestEvent(REPO)))
    await fs.writeFile(forkEventPath, JSON.stringify(pullRequestEvent('someone/octo-repo')))
  })
  afterAll(async () => {
    await lab$.stop()
    await github.stop()
    await readOnly.stop()
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
    env: Record<string, string> = {},
  ): Promise<ActionRun & { files: string }> {
    let files = ''
    const run = await lab$.deploy(
      version,
      namespace,
      { 'github-token': TOKEN, 'comment-on-pr': 'true', timeout: '3m', ...inputs },
      {
        env: { ...pullRequest(), ...env },
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
      const dryRun = async (env: Record<string, string> = {}) =>
        preview(
          version,
          namespace,
          {
            'dry-run': 'true',
            'check-run': 'true',
            set: `${WITH_DEPLOYMENT}\nimage.tag=good0002`,
            'set-string': `apiKey=${SECRETS[1] ?? ''}`,
          },
          env,
        )
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
      // One check run of the release on the pull request's head, written by the first and updated by the second.
      const checkName = `eks-deploy-action: demo (${namespace})`
      expect(github.checkRuns.filter((run) => run.name === checkName)).toEqual([
        expect.objectContaining({
          head_sha: HEAD_SHA,
          conclusion: 'neutral',
          output: expect.objectContaining({ title: '0 to add, 3 to change, 0 to remove' }) as unknown,
        }),
      ])
      expect(recordOf(dry)).toMatchObject({ schema: 1, outcome: 'dry-run', commit_sha: HEAD_SHA })
      const checkWrites = () =>
        github.requests.filter(
          (r) =>
            r.method !== 'GET' &&
            r.path.includes('/check-runs') &&
            JSON.stringify(r.body ?? {}).includes(namespace),
        ).length
      const writes = checkWrites()
      // From a fork: the job summary only, no write to GitHub.
      const fork = await dryRun({ GITHUB_EVENT_PATH: forkEventPath })
      expect(fork.exitCode).toBe(0)
      expect(fork.stdout).toContain('::notice::check-run: a pull request from a fork (someone/octo-repo)')
      expect(checkWrites()).toBe(writes)
      // A token without checks: write: one warning naming it, and the step passes.
      const refused = await dryRun({ GITHUB_API_URL: readOnly.url })
      expect(refused.exitCode).toBe(0)
      const checkWarnings = refused.stdout
        .split('\n')
        .filter((line) => line.startsWith('::warning::check run'))
      expect(checkWarnings).toHaveLength(1)
      expect(checkWarnings[0]).toContain('`checks: write`')
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
      expect(recordOf(crashed)).toMatchObject({
        outcome: 'fail-fast',
        github_deployment_id: failed?.id,
        previous_failure: null,
        restored_seconds: null,
      })

      // A good image again: the deploy record says when the release was restored, and since when it failed.
      const good = await preview(version, namespace, {
        ...deployment,
        set: `${WITH_DEPLOYMENT}\nimage.tag=good0004`,
        'set-string': `apiKey=${SECRETS[0] ?? ''}`,
      })
      expect({ exitCode: good.exitCode, error: errorLine(good) }).toEqual({ exitCode: 0, error: '' })
      const record = recordOf(good)
      const failedAt = failed?.statuses[1]?.created_at ?? ''
      const finishedMs = Date.parse(record.finished_at)
      expect(record).toMatchObject({
        outcome: 'success',
        commit_sha: HEAD_SHA,
        commit_time: COMMIT_TIME,
        previous_failure: { deployment_id: failed?.id, failed_at: failedAt, failures: 1 },
        restored_seconds: Math.round((finishedMs - Date.parse(failedAt)) / 100) / 10,
        lead_time_seconds: Math.round((finishedMs - Date.parse(COMMIT_TIME)) / 1000),
      })
      expect(record.restored_seconds).toBeGreaterThan(0)
      expect(good.summary).toContain('<details><summary>Deploy record (output <code>deploy-record</code>)')
      // The GitHub deployment carries the record as it started.
      const restored = github.deployments.find((d) => d.id === record.github_deployment_id)
      expect(restored?.payload).toMatchObject({
        schema: 1,
        release: 'demo',
        namespace,
        environment: deployment['deployment-environment'],
        commit_sha: HEAD_SHA,
        commit_time: COMMIT_TIME,
        run_url: RUN_LOG,
        outcome: 'in_progress',
      })

      // The pull request closes: the release and its namespace go, the environment is inactive.
      const closed = await preview(version, namespace, {
        ...deployment,
        chart: '',
        uninstall: 'true',
        'delete-namespace': 'true',
      })
      expect({ exitCode: closed.exitCode, error: errorLine(closed) }).toEqual({ exitCode: 0, error: '' })
      expect(closed.outputs).toMatchObject({ 'release-status': 'uninstalled', 'previous-revision': '4' })
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

import { promises as fs } from 'node:fs'
import path from 'node:path'
import {
  expectSecretsMasked,
  makeRunnerFiles,
  runAction,
  type RunnerFiles,
} from '../fixtures/action-runner.js'
import { startGitHubApi, type GitHubApiStandIn } from '../fixtures/github-api.js'

const TOKEN = 'ghs_summaryTestToken0123456789'

/** The message of the step's ::error:: annotation, decoded as the runner decodes it. */
function errorMessage(stdout: string): string {
  const data = /^::error::(.*)$/m.exec(stdout)?.[1] ?? ''
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

// The bundled action as the runner starts it: a step that fails early still writes its job summary,
// with the failing phase, the log's own message and the timeline, and comments it on the pull request.
describe('every run has a job summary (bundled action)', () => {
  let files: RunnerFiles & { cleanup(): Promise<void> }
  let github: GitHubApiStandIn
  beforeEach(async () => {
    files = await makeRunnerFiles()
    github = await startGitHubApi({ token: TOKEN, repository: 'octo-org/octo-repo' })
  })
  afterEach(async () => {
    await files.cleanup()
    await github.stop()
  })

  test('bad inputs: the summary says so, in the words of the log', async () => {
    const run = await runAction({
      files,
      inputs: { 'aws-region': 'eu-west-1', release: 'My_App', chart: './c' },
    })
    expect(run.exitCode).toBe(1)
    const message = errorMessage(run.stdout)
    expect(message).toContain("Input 'release': must be a Helm release name")
    expect(run.summary).toContain(`#### The step failed in phase inputs\n\n\`\`\`text\n${message}\n\`\`\``)
    expect(run.summary).toMatch(
      /```mermaid\ngantt\n {2}dateFormat x\n {2}axisFormat %H:%M:%S\n {2}section inputs\n {2}inputs [\d.]+ s :crit, \d+, \d+/,
    )
  })

  test('a pull request whose deploy fails in phase auth: the summary, and the same on the pull request', async () => {
    const event = path.join(files.dir, 'event.json')
    await fs.writeFile(event, JSON.stringify({ pull_request: { number: 7, head: { sha: 'd'.repeat(40) } } }))
    const run = await runAction({
      files,
      inputs: {
        'aws-region': 'eu-west-1',
        'role-to-assume': 'arn:aws:iam::123456789012:role/deploy',
        'cluster-name': 'prod',
        'comment-on-pr': 'true',
        'github-token': TOKEN,
      },
      env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_API_URL: github.url },
    })
    expect(run.exitCode).toBe(1)
    expect(run.summary).toContain('#### The step failed in phase auth')
    expect(run.summary).toContain(errorMessage(run.stdout))
    const [comment] = github.comments.get(7) ?? []
    expect(comment?.body).toContain(
      '<!-- eks-deploy-action release="" namespace="default" -->\n### eks-deploy-action',
    )
    expect(comment?.body).toContain('#### The step failed in phase auth')
    expectSecretsMasked(run, [TOKEN])
  })
})

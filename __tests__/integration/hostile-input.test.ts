import { promises as fs } from 'node:fs'
import path from 'node:path'
import { makeRunnerFiles, runAction, runPost, type RunnerFiles } from '../fixtures/action-runner.js'
import { unpausedCommands } from '../fixtures/leak-scan.js'

/**
 * The bad-input suite (unit/action/bad-input.test.ts) runs in-process; these few run the bundled
 * action as the runner does, to see the real log and the runner's files.
 */
describe('hostile inputs, bundled action', () => {
  let files: RunnerFiles & { cleanup(): Promise<void> }
  beforeEach(async () => {
    files = await makeRunnerFiles()
  })
  afterEach(async () => {
    await files.cleanup()
  })

  test.each([
    ['chart', { release: 'api', chart: './charts/api\n::set-output name=image::pwned' }],
    ['chart-repository', { release: 'api', chart: 'api', 'chart-repository': 'https://x\r::warning::pwned' }],
    ['namespace', { release: 'api', chart: './c', namespace: 'a\n##[add-mask]pwned' }],
    ['set-string', { release: 'api', chart: './c', 'set-string': 'a=b\r::set-output name=image::pwned' }],
  ])(
    '%s with a line break: refused before any call, the error annotation escaped, nothing in the runner files',
    async (input, inputs) => {
      const run = await runAction({
        files,
        inputs: { 'aws-region': 'eu-west-1', 'helm-version': 'system', ...inputs },
        // Anything that got this far would find nothing listening.
        env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', KUBECONFIG: path.join(files.dir, 'none') },
      })
      expect(run.exitCode).toBe(1)
      expect(run.stdout).toContain(`::error::Invalid input:%0A- Input '${input}'`)
      // Only the error and the masks of secret inputs, registered before any input is validated.
      expect(
        unpausedCommands(run.stdout).filter(
          (line) => !line.startsWith('::error::') && !line.startsWith('::add-mask::'),
        ),
      ).toEqual([])
      expect([run.outputs, run.exportedEnv, run.state, run.paths]).toEqual([{}, {}, {}, []])
      // The summary says why the step failed, the value quoted escaped: no line of its own.
      expect(run.summary).toMatch(new RegExp(`^- Input '${input}': .*control characters.* Received: '`, 'm'))
      expect(run.summary).not.toContain((inputs as Record<string, string>)[input])
      expect(run.summary).not.toMatch(/^\s*(::|##\[)/m)
    },
  )

  test('the post step removes nothing its state names outside what the action makes in RUNNER_TEMP', async () => {
    const outside = path.join(files.dir, 'outside', 'docker-config-x')
    await fs.mkdir(outside, { recursive: true })
    await fs.writeFile(path.join(files.home, 'keep'), 'x')
    const climbing = path.join(files.runnerTemp, '..', 'outside', 'docker-config-x')
    const state = {
      cleanup: JSON.stringify({ paths: [files.home, outside, climbing, '/', files.runnerTemp] }),
    }
    const post = await runPost({ files, state })
    expect(post.exitCode).toBe(0)
    expect(post.stdout.match(/^::warning::Not removing /gm)).toHaveLength(5)
    await expect(fs.access(outside)).resolves.toBeUndefined()
    await expect(fs.access(path.join(files.home, 'keep'))).resolves.toBeUndefined()
    await expect(fs.access(files.runnerTemp)).resolves.toBeUndefined()
  })
})

import {
  runAction,
  runPost,
  type ActionRun,
  type RunOptions,
} from '../../__tests__/fixtures/action-runner.js'
import { RunnerLog } from './runner-log.js'
import { paint, say } from './style.js'
import { printMarkdown, printOutputs } from './terminal.js'

/** The action's main step, run as the runner runs it, its log printed while it runs. */
export async function runStep(options: RunOptions): Promise<ActionRun> {
  const log = new RunnerLog()
  const run = await runAction({
    ...options,
    onSpawn: (child) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        log.write(chunk.toString())
      })
      child.stderr?.on('data', (chunk: Buffer) => process.stdout.write(paint('red', chunk.toString())))
    },
  })
  log.end()
  const verdict =
    run.exitCode === 0 ? paint('green', 'succeeded') : paint('red', `failed (exit code ${run.exitCode})`)
  say(`  The step ${verdict} in ${(run.durationMs / 1000).toFixed(1)} s.`)
  say()
  say(paint('bold', '  Outputs'))
  printOutputs(run.outputs)
  say()
  say(paint('bold', '  Job summary'))
  printMarkdown(run.summary)
  return run
}

/** The post step, with the main step's state, as the runner runs it when the job ends. */
export async function runPostStep(options: RunOptions, main: ActionRun): Promise<void> {
  say()
  say(paint('bold', '  Post step (the end of the job)'))
  const log = new RunnerLog()
  const post = await runPost({ ...options, state: main.state })
  log.write(post.stdout)
  log.end()
  if (post.exitCode !== 0)
    say(paint('red', `  The post step failed (exit code ${post.exitCode}): ${post.stderr}`))
}

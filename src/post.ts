import * as core from '@actions/core'
import { runPostStep } from './action/cleanup.js'

/**
 * The post step with the real runner wired in. Like src/main.ts it takes no arguments and does
 * nothing on import, so GitHub's local-action debugger can run it after the main step
 * (`npx @github/local-action run . src/main.ts .env --post src/post.ts`); it never fails the job.
 */
export async function run(): Promise<void> {
  await runPostStep(core, process.env)
}

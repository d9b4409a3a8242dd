import { readFile } from 'node:fs/promises'
import os from 'node:os'
import * as core from '@actions/core'
import { runAction } from './action/run.js'
import { tokenPluginScriptPath } from './eks-token/plugin-command.js'
import { createAwsClientFactory } from './lib/aws-clients.js'
import { formatFailure } from './lib/errors.js'
import { createActionsRuntime } from './runner/actions-runtime.js'
import { readRunnerContext } from './runner/context.js'
import { httpGet } from './runner/http-get.js'

/**
 * The main step with the real runner wired in. It takes no arguments, so GitHub's local-action
 * debugger can run it (`npx @github/local-action run . src/main.ts .env`). Any failure, of any
 * type, fails the step with its explanation.
 */
export async function run(): Promise<void> {
  try {
    await runAction({
      runtime: createActionsRuntime(),
      readInput: (name) => core.getInput(name),
      context: readRunnerContext(process.env, {
        os: process.platform,
        arch: process.arch,
        tmpdir: os.tmpdir(),
      }),
      clients: createAwsClientFactory(),
      httpGet,
      tokenPlugin: { nodePath: process.execPath, scriptPath: tokenPluginScriptPath(import.meta.url) },
      readFile: (path) => readFile(path, 'utf8'),
    })
  } catch (error) {
    core.setFailed(formatFailure(error))
  }
}

import { readFile } from 'node:fs/promises'
import os from 'node:os'
import { createActionsRuntime } from './actions-runtime.js'
import { createAwsClientFactory } from './aws-clients.js'
import { formatFailure } from './errors.js'
import { tokenPluginScriptPath } from './kubeconfig.js'
import { run } from './main.js'
import { fetchOverNodeHttp } from './node-http-fetch.js'
import { readRunnerContext } from './runner-context.js'
import { getInput, setFailed } from './runner-protocol.js'

/** Wires the real runner into run(); any failure, of any type, fails the step with its explanation. */
export async function runMainStep(): Promise<void> {
  try {
    await run({
      runtime: createActionsRuntime(),
      readInput: (name) => getInput(name),
      context: readRunnerContext(process.env, {
        os: process.platform,
        arch: process.arch,
        tmpdir: os.tmpdir(),
      }),
      clients: createAwsClientFactory(),
      fetch: fetchOverNodeHttp,
      tokenPlugin: { nodePath: process.execPath, scriptPath: tokenPluginScriptPath(import.meta.url) },
      readFile: (path) => readFile(path, 'utf8'),
    })
  } catch (error) {
    setFailed(formatFailure(error))
  }
}

import type { TokenPluginCommand } from '../eks-token/plugin-command.js'
import type { ReadInput } from '../inputs/problems.js'
import type { AwsClientFactory } from '../lib/aws-clients.js'
import type { RunnerContext } from '../runner/context.js'
import type { HttpGet } from '../runner/http-get.js'
import type { ActionRuntime } from '../runner/runtime.js'

/** What a run needs of the world: the runner, the AWS clients, HTTP, and where the token plugin is. */
export interface ActionDeps {
  readonly runtime: ActionRuntime
  readonly readInput: ReadInput
  readonly context: RunnerContext
  readonly clients: AwsClientFactory
  readonly httpGet: HttpGet
  readonly tokenPlugin: TokenPluginCommand
  /** Reads a file the runner wrote (the event payload at GITHUB_EVENT_PATH). */
  readonly readFile: (path: string) => Promise<string>
}

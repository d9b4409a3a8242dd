import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The ExecCredential version the kubeconfig asks of the plugin, and the plugin answers when not told otherwise. */
export const EXEC_API_VERSION = 'client.authentication.k8s.io/v1beta1'

/** How the kubeconfig's exec entry starts the token plugin: this Node, this action's bundle. */
export interface TokenPluginCommand {
  /** Absolute path of the Node that runs the action (process.execPath). */
  readonly nodePath: string
  /** Absolute path of dist/token/index.js. */
  readonly scriptPath: string
}

/**
 * dist/token/index.js, found from the main bundle's own URL (dist/index.js, or an ncc chunk
 * dist/<id>.index.js: both sit in dist/), or from src/main.ts when a debugger such as
 * @github/local-action runs the sources. Not `new URL(..., import.meta.url)`, which ncc would
 * treat as an asset to copy.
 */
export function tokenPluginScriptPath(mainModuleUrl: string): string {
  const dir = path.dirname(fileURLToPath(mainModuleUrl))
  const dist = path.basename(dir) === 'src' ? path.join(dir, '..', 'dist') : dir
  return path.join(dist, 'token', 'index.js')
}

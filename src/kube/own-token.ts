import type * as K8s from '@kubernetes/client-node'
import { processTokenIo, runTokenPlugin } from '../eks-token/plugin.js'
import type { Env } from '../lib/env.js'

/** The name of the auth provider that stands for this action's own token plugin, run in-process. */
const PROVIDER = 'eks-deploy-action-token'
/** A token is made again this long before it expires (client-go asks the plugin again at expiry). */
const REFRESH_BEFORE_MS = 60_000

/** The exec entry of a kubeconfig user, as client-node keeps it (its User type leaves `exec` untyped). */
interface ExecEntry {
  readonly command?: string
  readonly args?: readonly string[]
  readonly env?: readonly { readonly name: string; readonly value: string }[]
}

export interface OwnTokenIo {
  readonly now: () => Date
  readonly readFile: (file: string) => string
}

/**
 * When the kubeconfig's user runs this action's own token plugin (the kubeconfig phase wrote it), the
 * action's Kubernetes client makes the token in-process with the same code (runTokenPlugin: the same
 * arguments, the same environment, the same ExecCredential), instead of starting a Node process for
 * it: 100-500 ms saved on the first request of every deploy. Any other exec plugin (aws eks get-token,
 * a user's kubeconfig) is left to client-node. Returns whether the user was taken over.
 */
export function useOwnTokenPlugin(
  kc: K8s.KubeConfig,
  ownScript: string,
  jobEnv: Env,
  io?: OwnTokenIo,
): boolean {
  const current = kc.getCurrentUser()
  const exec = current?.exec as ExecEntry | undefined
  if (current === null || exec?.args?.[0] !== ownScript) return false
  // client-node gives a plugin the process's environment and the exec entry's; so does this.
  const env: Env = {
    ...jobEnv,
    ...Object.fromEntries((exec.env ?? []).map((entry) => [entry.name, entry.value])),
  }
  const token = ownToken(exec.args.slice(1), env, io)
  kc.users = kc.users.map((user) =>
    user.name === current.name ? { name: user.name, authProvider: { name: PROVIDER, config: {} } } : user,
  )
  kc.addAuthenticator({
    isAuthProvider: (user) => (user.authProvider as { name?: unknown } | undefined)?.name === PROVIDER,
    applyAuthentication: async (_user, opts: { headers?: Record<string, unknown> }) => {
      opts.headers = { ...opts.headers, Authorization: `Bearer ${await token()}` }
    },
  })
  return true
}

/** The token, made once and again only when it nears its expiry; concurrent requests share one. */
export function ownToken(args: readonly string[], env: Env, io?: OwnTokenIo): () => Promise<string> {
  let made: Promise<{ readonly token: string; readonly refreshAtMs: number }> | undefined
  const now = io?.now ?? (() => new Date())
  return async () => {
    const cached = made === undefined ? undefined : await made.catch(() => undefined)
    if (cached === undefined || now().getTime() >= cached.refreshAtMs) {
      made = makeToken(args, env, io)
      return (await made).token
    }
    return cached.token
  }
}

async function makeToken(
  args: readonly string[],
  env: Env,
  io: OwnTokenIo | undefined,
): Promise<{ readonly token: string; readonly refreshAtMs: number }> {
  let stdout = ''
  let stderr = ''
  const code = await runTokenPlugin(args, env, {
    ...processTokenIo,
    ...io,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  })
  if (code !== 0) throw new Error(stderr.trim())
  const credential = JSON.parse(stdout) as {
    status?: { token?: string; expirationTimestamp?: string }
  }
  const token = credential.status?.token
  if (token === undefined) throw new Error('eks-deploy-action token plugin: no token in its ExecCredential')
  const expires = Date.parse(credential.status?.expirationTimestamp ?? '')
  return { token, refreshAtMs: Number.isNaN(expires) ? 0 : expires - REFRESH_BEFORE_MS }
}

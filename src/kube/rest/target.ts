import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { parse } from 'yaml'
import type { Env } from '../../lib/env.js'
import type { KubeConfigParams } from '../kube-config.js'
import { defaultKubeconfig } from '../kubeconfig-file.js'
import { ownToken } from '../own-token.js'
import type { RestTarget } from './transport.js'

interface Named<T> {
  readonly name?: unknown
  readonly cluster?: T
  readonly user?: T
  readonly context?: T
}
type Entry = Readonly<Record<string, unknown>>

/** What a user may hold and still be this client's: a token, or this action's own token plugin. */
const USER_KEYS = new Set(['token', 'exec'])
/** What a cluster may hold: the rest (proxy-url, tls-server-name, extensions…) is client-node's. */
const CLUSTER_KEYS = new Set([
  'server',
  'certificate-authority-data',
  'certificate-authority',
  'insecure-skip-tls-verify',
])

/**
 * The API server of the kubeconfig, when this client can reach it as client-node would: a bearer token
 * in the file, or this action's own token plugin (the kubeconfig phase's, made in-process); a server
 * with its CA (data or file). Any other kubeconfig (another exec plugin, client certificates, an auth
 * provider, a proxy) is undefined: it is client-node's (kube/connect.ts).
 */
export async function restTarget(params: KubeConfigParams): Promise<RestTarget | undefined> {
  const file = params.kubeconfigPath ?? defaultKubeconfig(params.jobEnv)
  if (file === undefined) return undefined
  let config: unknown
  try {
    config = parse(await readFile(file, 'utf8'))
  } catch {
    return undefined // client-node reads it and says what is wrong
  }
  const { 'current-context': current, contexts, clusters, users } = (config ?? {}) as Entry
  const context = find(contexts, current, 'context')
  const cluster = find(clusters, context?.cluster, 'cluster')
  const user = find(users, context?.user, 'user')
  if (cluster === undefined || user === undefined || typeof cluster.server !== 'string') return undefined
  if (!Object.keys(cluster).every((key) => CLUSTER_KEYS.has(key))) return undefined
  if (!Object.keys(user).every((key) => USER_KEYS.has(key)) || Object.keys(user).length !== 1)
    return undefined
  const token = bearer(user, params.ownTokenScript, { ...params.jobEnv }, params.execEnv)
  const ca = await authority(cluster, file)
  if (token === undefined || ca === null) return undefined
  return {
    server: cluster.server,
    ca,
    isInsecure: cluster['insecure-skip-tls-verify'] === true,
    token,
  }
}

function find(list: unknown, name: unknown, key: 'cluster' | 'user' | 'context'): Entry | undefined {
  if (!Array.isArray(list) || typeof name !== 'string') return undefined
  const found = (list as Named<Entry>[]).find((entry) => entry.name === name)
  return found?.[key]
}

function bearer(
  user: Entry,
  ownScript: string | undefined,
  jobEnv: Env,
  execEnv: Readonly<Record<string, string>>,
): (() => Promise<string>) | undefined {
  if (typeof user.token === 'string') {
    const token = user.token
    return () => Promise.resolve(token)
  }
  const exec = user.exec as
    { args?: unknown; env?: readonly { name?: unknown; value?: unknown }[] | null } | undefined
  const args = Array.isArray(exec?.args) ? (exec.args as unknown[]) : []
  if (ownScript === undefined || args[0] !== ownScript || !args.every((arg) => typeof arg === 'string'))
    return undefined
  // As client-node gives a plugin: the process's environment, the exec entry's, the caller's extra.
  const env: Env = {
    ...jobEnv,
    ...Object.fromEntries((exec?.env ?? []).map((entry) => [String(entry.name), String(entry.value)])),
    ...execEnv,
  }
  return ownToken(args.slice(1), env)
}

/** The CA as PEM; undefined: the system's; null: a file that cannot be read (left to client-node). */
async function authority(cluster: Entry, kubeconfig: string): Promise<string | undefined | null> {
  const data = cluster['certificate-authority-data']
  if (typeof data === 'string') return Buffer.from(data, 'base64').toString()
  const file = cluster['certificate-authority']
  if (typeof file !== 'string') return undefined
  return readFile(resolve(dirname(kubeconfig), file), 'utf8').catch(() => null)
}

import type { Agent } from 'node:http'
import type * as K8s from '@kubernetes/client-node'
import type { Env } from '../lib/env.js'
import { defaultKubeconfig } from './kubeconfig-file.js'

export interface KubeConfigParams {
  /** The kubeconfig helm uses: phase kubeconfig's, else the job's KUBECONFIG (or ~/.kube/config). */
  readonly kubeconfigPath: string | undefined
  /** The job's environment, for KUBECONFIG and HOME when no path is given. */
  readonly jobEnv: Env
  /**
   * Variables the kubeconfig's exec plugin needs (AWS credentials, region, STS endpoint): helm gets
   * them in its environment; here they go into the in-memory kubeconfig's exec env, never to a file.
   */
  readonly execEnv: Readonly<Record<string, string>>
  /** dist/token/index.js of this action (tests give another path); the bundle finds its own. */
  readonly ownTokenScript?: string
}

/** The kubeconfig helm uses, in memory, with the exec plugin's environment and a token already made. */
export async function loadKubeConfig(k8s: typeof K8s, params: KubeConfigParams): Promise<K8s.KubeConfig> {
  const kc = new k8s.KubeConfig()
  const file = params.kubeconfigPath ?? defaultKubeconfig(params.jobEnv)
  if (file === undefined) kc.loadFromDefault()
  else kc.loadFromFile(file)
  injectExecEnv(kc, params.execEnv)
  // This action's own plugin (the kubeconfig phase's) runs in-process: no Node process per token.
  // Loaded here, not with this module: the head start loads this module while the kubeconfig phase
  // loads its own, which shares these files, and jest's ESM loader fails a graph linked twice at once
  // ("request for 'node:path' is not in cache"). Node itself does not mind; both are tiny.
  const [{ tokenPluginScriptPath }, { useOwnTokenPlugin }] = await Promise.all([
    import('../eks-token/plugin-command.js'),
    import('./own-token.js'),
  ])
  useOwnTokenPlugin(kc, params.ownTokenScript ?? tokenPluginScriptPath(import.meta.url), params.jobEnv)
  shareConnections(kc)
  await primeCredentials(kc)
  return kc
}

/**
 * A burst (the pre-flight's access reviews all at once) shares a few connections instead of opening one
 * each: a handshake costs more than the API server's answer to a review.
 */
const MAX_SOCKETS = 6

/** client-node's agent factory, which it keeps private (present in 1.x). */
type AgentFactory = (cluster: K8s.Cluster | null, options: object) => Agent

/**
 * client-node 1.x makes a new HTTPS agent for every request, so every request opened a connection of
 * its own with a TLS handshake: the pre-flight's 17-odd access reviews, the watch's six lists every
 * poll. One keep-alive agent per cluster reuses them (Node unrefs an idle kept-alive socket, so none
 * holds the process at its end), at most MAX_SOCKETS at once. A client-node without the factory keeps its own behaviour.
 */
function shareConnections(kc: K8s.KubeConfig): void {
  const target = kc as unknown as { createAgent?: AgentFactory }
  const make = target.createAgent?.bind(kc)
  if (make === undefined) return
  const agents = new Map<string, Agent>()
  target.createAgent = (cluster, options) => {
    const key = `${cluster?.name ?? ''} ${cluster?.server ?? ''}`
    const agent = agents.get(key) ?? make(cluster, { ...options, keepAlive: true, maxSockets: MAX_SOCKETS })
    agents.set(key, agent)
    return agent
  }
}

/** client-node itself: a deploy starts loading it with the step (deploy/deploy-start.ts). */
export function loadKubeModule(): Promise<typeof K8s> {
  // client-node 1.x reaches Node's deprecated punycode and url.parse through node-fetch 2: Node 22+
  // would print those deprecation warnings into the job log, about our dependency, not the user's deploy.
  process.noDeprecation = true
  return import('@kubernetes/client-node')
}

/**
 * client-node runs the kubeconfig's exec plugin for every request that finds no cached token, and the
 * pre-flight's first requests (discovery, 20-odd access reviews, the snapshot) go out together: each
 * started a token process of its own (1 s of the pre-flight on the lab, 6 s on a loaded runner). One
 * run here fills the cache they all read. A failure is left to the first request to report.
 */
async function primeCredentials(kc: K8s.KubeConfig): Promise<void> {
  await kc.applyToHTTPSOptions({}).catch(() => undefined)
}

/** A kubeconfig exec entry, as client-node keeps it (its User type leaves `exec` untyped). */
interface ExecEntry {
  readonly env?: readonly { readonly name: string; readonly value: string }[]
}

function injectExecEnv(kc: K8s.KubeConfig, extra: Readonly<Record<string, string>>): void {
  const current = kc.getCurrentUser()
  const exec = current?.exec as ExecEntry | undefined
  if (current === null || exec === undefined) return
  const env = [
    ...(exec.env ?? []).filter((entry) => !(entry.name in extra)),
    ...Object.entries(extra).map(([name, value]) => ({ name, value })),
  ]
  kc.users = kc.users.map((user) => (user.name === current.name ? { ...user, exec: { ...exec, env } } : user))
}

import type { Env } from '../lib/env.js'

// Apart from kube-config.ts, which imports client-node: the plain client (rest/target.ts) finds the same
// file without it, and so without client-node in the main and post bundles.

/** The kubeconfig a client reads when it is given none: KUBECONFIG's first file, else ~/.kube/config. */
export function defaultKubeconfig(env: Env): string | undefined {
  const fromEnv = env.KUBECONFIG?.split(process.platform === 'win32' ? ';' : ':')[0]?.trim()
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  const home = env.HOME?.trim() ?? env.USERPROFILE?.trim()
  return home === undefined || home === '' ? undefined : `${home}/.kube/config`
}

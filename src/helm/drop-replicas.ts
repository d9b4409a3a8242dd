import { promises as fs } from 'node:fs'
import path from 'node:path'
import { parseAllDocuments } from 'yaml'

/** The post-renderer plugin's name (Helm 4 takes --post-renderer <plugin name>). */
export const DROP_REPLICAS_PLUGIN = 'eks-deploy-action-drop-replicas'

/**
 * helm's rendered manifest (a YAML stream) without `.spec.replicas` of the objects named `Kind/name`:
 * what the release sets for an object an autoscaler scales. Every other document and field is left as
 * helm wrote it (comments too). Pure.
 */
export function dropReplicas(manifest: string, targets: readonly string[]): string {
  const wanted = new Set(targets)
  return parseAllDocuments(manifest)
    .map((document) => {
      const kind: unknown = document.get('kind')
      const name: unknown = document.getIn(['metadata', 'name'])
      if (typeof kind === 'string' && typeof name === 'string' && wanted.has(`${kind}/${name}`))
        document.deleteIn(['spec', 'replicas'])
      return document.toString()
    })
    .join('---\n')
}

/**
 * The post-renderer for Helm 4, which runs a plugin of type postrenderer/v1 by name, found in HELM_PLUGINS
 * (written here, in the step's own directory `dir`): this bundle's post-render entry, run by the action's
 * own node, argv only. Not for Helm 3: its three-way merge would delete a field the last revision set.
 * Returns helm's flags and HELM_PLUGINS.
 */
export async function dropReplicasArgs(
  targets: readonly string[],
  where: { readonly dir: string; readonly node: string; readonly entry: string },
): Promise<{ readonly args: string[]; readonly env: Record<string, string> }> {
  const targetArgs = targets.flatMap((target) => ['--post-renderer-args', target])
  const pluginDir = path.join(where.dir, 'plugins', DROP_REPLICAS_PLUGIN)
  await fs.mkdir(pluginDir, { recursive: true })
  const plugin = {
    apiVersion: 'v1',
    type: 'postrenderer/v1',
    name: DROP_REPLICAS_PLUGIN,
    version: '1.0.0',
    runtime: 'subprocess',
    runtimeConfig: { platformCommand: [{ command: where.node, args: [where.entry] }] },
  }
  // JSON is YAML: no quoting of the paths to get wrong.
  await fs.writeFile(path.join(pluginDir, 'plugin.yaml'), `${JSON.stringify(plugin, null, 2)}\n`)
  return {
    args: ['--post-renderer', DROP_REPLICAS_PLUGIN, ...targetArgs],
    env: { HELM_PLUGINS: path.join(where.dir, 'plugins') },
  }
}

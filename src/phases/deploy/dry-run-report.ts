import type { ReleaseSpec } from './helm/args.js'
import { readDeployed, type HelmCli } from './helm/cli.js'
import { diffManifests, diffValues, parseDryRun } from './helm/dry-run.js'
import type { ReleaseState } from './helm/result.js'

/** Prints what the upgrade would change: the user-supplied values and the rendered resources. */
export async function reportDryRun(helm: HelmCli, spec: ReleaseSpec, stdout: string): Promise<ReleaseState> {
  const rendered = parseDryRun(stdout)
  const deployed = await readDeployed(helm, spec.release, spec.namespace)
  const { runtime } = helm
  await runtime.group(`Dry run of ${spec.release}: what would change (nothing was changed)`, () => {
    const values = diffValues(deployed.values, rendered.values)
    runtime.info(`Values (user-supplied), deployed -> rendered:\n${values.join('\n') || '  (no change)'}`)
    const manifest = diffManifests(deployed.manifest, rendered.manifest)
    runtime.info(`Resources (Secrets not shown):\n${manifest.join('\n') || '  (no change)'}`)
    runtime.debug(`Rendered manifest:\n${rendered.manifest}`)
    return Promise.resolve()
  })
  return rendered.state
}

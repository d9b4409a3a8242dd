import type { ImageRef } from '../../lib/image-ref.js'
import { buildHelmArgs, type ReleaseSpec } from '../../helm/args.js'
import type { HelmCli } from '../../helm/cli.js'
import type { HistoryEntry } from '../../helm/result.js'
import type { PhaseDeps } from '../phase.js'
import { hasKeyChanges, type ChangeSet } from './changes/types.js'
import { runUpgrade } from './upgrade.js'

/**
 * skip-unchanged: the release rendered on the server (helm's dry run, which writes nothing) against the
 * deployed revision. The change set when nothing would change; undefined when something would, when the
 * last revision is not a deployed one, or when the dry run fails (the upgrade then runs and explains).
 */
export async function findUnchanged(
  helm: HelmCli,
  params: { readonly spec: ReleaseSpec; readonly image: ImageRef | undefined; readonly isAdopting: boolean },
  history: readonly HistoryEntry[],
  deps: { readonly time: PhaseDeps['time'] },
): Promise<ChangeSet | undefined> {
  if (history.at(-1)?.status !== 'deployed') return undefined
  const spec = { ...params.spec, isDryRun: true }
  const args = buildHelmArgs(helm.version, spec, params.image, params.isAdopting)
  return deps.time('unchanged check', async () => {
    const { run } = await runUpgrade(
      helm,
      { spec, image: params.image, isImagePinned: false, args },
      undefined,
      undefined,
    )
    if (run.exitCode !== 0) return undefined
    const { reportChanges } = await import('./changes/report.js')
    const { changes } = await reportChanges(helm, spec, run.stdout, history)
    if (changes === undefined || changes.objects.length > 0 || hasKeyChanges(changes.values)) return undefined
    return changes
  })
}

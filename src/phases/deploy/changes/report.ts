import { messageOf } from '../../../lib/errors.js'
import { maskGivenValues } from '../../../lib/masking.js'
import type { ReleaseSpec } from '../../../helm/args.js'
import { readDeployed, type HelmCli } from '../../../helm/cli.js'
import { parseDryRun } from '../helm/dry-run.js'
import type { HistoryEntry, ReleaseState } from '../../../helm/result.js'
import { compareManifests } from './compare.js'
import { printChanges } from './log.js'
import type { ChangeSet } from './types.js'
import { suppliedSecrets } from './supplied.js'
import { compareValues, valueAt } from './values.js'

/**
 * The revision an upgrade starts from: the last deployed one (helm's "current release"), else the
 * newest; undefined before a first install.
 */
function baseRevision(history: readonly HistoryEntry[]): number | undefined {
  return ([...history].reverse().find((entry) => entry.status === 'deployed') ?? history.at(-1))?.revision
}

/**
 * The values this run's set-string keys held in the deployed release are as secret as the new ones:
 * masked before anything of the comparison can print them.
 */
function maskPreviousValues(helm: HelmCli, spec: ReleaseSpec, deployedValues: unknown): void {
  const previous = spec.setString.map(({ key }) => valueAt(deployedValues, key))
  maskGivenValues(
    helm.runtime,
    previous.filter((value): value is string => typeof value === 'string'),
  )
}

/**
 * What a dry run would change: the deployed revision (values and manifest, read into memory) against
 * the server-side render, object by object, in a log group. Returns the would-be release, and the
 * changes (undefined when they could not be worked out: the dry run itself still succeeded).
 */
export async function reportChanges(
  helm: HelmCli,
  spec: ReleaseSpec,
  dryRunJson: string,
  history: readonly HistoryEntry[],
): Promise<{ readonly state: ReleaseState; readonly changes: ChangeSet | undefined }> {
  const { runtime } = helm
  const rendered = parseDryRun(dryRunJson)
  const revision = baseRevision(history)
  const deployed =
    revision === undefined
      ? { values: {}, manifest: '' }
      : await readDeployed(helm, spec.release, spec.namespace, revision)
  maskPreviousValues(helm, spec, deployed.values)
  const title = `Dry run of ${spec.release}: what would change${revision === undefined ? ' (first install)' : ` from revision ${revision}`}`
  const changes = await runtime.group(title, () => {
    try {
      const secrets = suppliedSecrets(
        [deployed.values, rendered.values],
        chartDefaults(dryRunJson),
        // The image values, deployed and new: the diff is for them, and an image tag is no secret.
        [deployed.values, rendered.values].flatMap((values) =>
          [spec.imageRepositoryKey, spec.imageTagKey].map((key) => valueAt(values, key)),
        ),
      )
      const objects = compareManifests(
        deployed.manifest,
        rendered.manifest,
        spec.namespace,
        secrets,
        spec.dryRunDiff === 'keys-only',
      )
      const result: ChangeSet = { ...objects, values: compareValues(deployed.values, rendered.values) }
      printChanges(runtime, result)
      return Promise.resolve(result)
    } catch (error) {
      runtime.warning(`Could not work out what would change: ${messageOf(error)}`)
      return Promise.resolve(undefined)
    }
  })
  return { state: rendered.state, changes }
}

/** The chart's own values (`chart.values` of helm's release JSON): what is there is no secret. */
function chartDefaults(dryRunJson: string): unknown {
  const release = JSON.parse(dryRunJson) as { chart?: { values?: unknown } } | null
  return release?.chart?.values ?? {}
}

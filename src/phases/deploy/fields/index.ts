import type { ReleaseSpec } from '../../../helm/args.js'
import type { HelmCli } from '../../../helm/cli.js'
import { readReleaseManifest, type ReleaseWhere } from '../../../helm/storage.js'
import type { HistoryEntry } from '../../../helm/result.js'
import type { KubeApi } from '../../../kube/kube-api.js'
import { ActionError, messageOf } from '../../../lib/errors.js'
import type { RenderedObject } from '../rollout/rendered.js'
import { fieldReportLines } from './markdown.js'
import type { Env } from '../../../lib/env.js'
import { makePrivateDir } from '../../../lib/private-file.js'
import os from 'node:os'
import path from 'node:path'
import type { FieldReport } from './types.js'

export type { FieldReport } from './types.js'

/** The pre-flight's check, started: the last revision's manifest is read while the release renders. */
export type FieldCheck = (
  objects: readonly RenderedObject[],
  kube: KubeApi,
) => Promise<FieldReport | undefined>

/**
 * Starts the field ownership pre-flight of a release that exists (or whose objects are adopted): who
 * owns each field the upgrade sets, and what changed since the last revision. Undefined on a first
 * install of new objects, which nothing can conflict with. Loaded lazily, only for such a release.
 */
export function startFieldCheck(
  helm: HelmCli,
  params: {
    readonly spec: ReleaseSpec
    readonly history: readonly HistoryEntry[]
    readonly isAdopting: boolean
    /** Where the last revision's manifest is read (helm's storage, else `helm get manifest`). */
    readonly where: Omit<ReleaseWhere, 'max'>
  },
): FieldCheck | undefined {
  const { spec, history } = params
  if (history.length === 0 && !params.isAdopting) return undefined
  const last = history.findLast((entry) => entry.status === 'deployed') ?? history.at(-1)
  // In memory only: it holds Secret data in clear, and check.ts drops every Secret unread.
  const manifest =
    last === undefined
      ? Promise.resolve(undefined)
      : readReleaseManifest(params.where, last.revision, helm).catch(() => undefined)
  return async (objects, kube) => {
    const { fields } = kube
    if (fields === undefined) return undefined
    const { checkFieldOwnership } = await import('./check.js')
    const startMs = helm.runtime.now()
    try {
      const checked = await checkFieldOwnership(
        {
          release: spec.release,
          namespace: spec.namespace,
          mode: spec.fieldConflicts,
          helmMajor: helm.version.major,
          objects,
          lastManifest: await manifest,
        },
        {
          fields,
          isNamespaced: (apiVersion, kind) =>
            kube.findResource(apiVersion, kind).then((found) => found?.isNamespaced),
        },
      )
      const report = spec.isDryRun ? { ...checked, isDryRun: true } : checked
      // Managers, fields and names come from the cluster: relayed, never read as workflow commands.
      const ms = helm.runtime.now() - startMs
      helm.runtime.relay(fieldReportLines(report, ms).join('\n'))
      return report
    } catch (error) {
      helm.runtime.warning(
        `The field ownership pre-flight could not run (helm runs anyway): ${messageOf(error)}`,
      )
      return undefined
    }
  }
}

/**
 * Helm 4's flag for the decision: take-over (asked, or auto found nothing an autoscaler owns) forces;
 * none when `args` force already (objects adopted from kubectl).
 */
export function conflictArgs(
  spec: Pick<ReleaseSpec, 'fieldConflicts'>,
  helm: { readonly major: number; readonly args: readonly string[] },
  report: FieldReport | undefined,
): string[] {
  if (helm.major < 4 || helm.args.includes('--force-conflicts')) return []
  const isTaken = spec.fieldConflicts === 'take-over' || report?.decision.kind === 'take-over'
  return isTaken ? ['--force-conflicts'] : []
}

/**
 * field-conflicts: auto with replicas an autoscaler sets (Helm 4): helm's flags and environment for the
 * post-renderer that drops the chart's `.spec.replicas` of exactly those objects (helm/drop-replicas.ts,
 * loaded only then). Nothing otherwise.
 */
export async function replicasDropRun(
  major: number,
  report: FieldReport | undefined,
  jobEnv: Env,
  helmArgs: readonly string[],
): Promise<{ readonly args: string[]; readonly env: Record<string, string> } | ActionError> {
  const dropped = report?.decision.kind === 'take-over' ? (report.decision.dropped ?? []) : []
  if (dropped.length === 0 || major < 4) return { args: [], env: {} }
  const objects = dropped.map((c) => `${c.kind}/${c.name}`)
  // helm runs one post-renderer: the user's own would be replaced, and the replicas taken without it.
  if (helmArgs.some((arg) => arg === '--post-renderer' || arg.startsWith('--post-renderer=')))
    return new ActionError(
      `field-conflicts: auto leaves .spec.replicas of ${objects.join(', ')} to ${dropped.map((c) => c.autoscaler ?? '').join(', ')} by dropping the chart's value with a post-renderer, but helm-args has a post-renderer of its own (helm runs one); nothing was deployed.`,
      {
        hint: 'Leave replicas out of the chart for an object an autoscaler scales (`{{- if not .Values.autoscaling.enabled }} replicas: ... {{- end }}`), or set field-conflicts: take-over to let helm set them until the autoscaler scales again.',
      },
    )
  const { dropReplicasArgs } = await import('../../../helm/drop-replicas.js')
  const dir = await makePrivateDir(jobEnv.RUNNER_TEMP ?? os.tmpdir(), 'eks-helm-')
  return dropReplicasArgs(
    objects,
    // The bundle's post-render entry, beside the main one (dist/index.js), run by this very node.
    {
      dir,
      node: process.execPath,
      entry: path.join(path.dirname(process.argv[1] ?? ''), 'post-render', 'index.js'),
    },
  )
}

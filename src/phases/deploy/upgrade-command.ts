import { buildHelmArgs, type ReleaseSpec } from '../../helm/args.js'
import type { HelmCli } from '../../helm/cli.js'
import type { ImageRef } from '../../lib/image-ref.js'
import type { Runtime } from '../../runner/runtime.js'
import { conflictArgs, type FieldReport } from './fields/index.js'
import { resolveWaitMode } from './rollout/wait-mode.js'
import type { WorkloadRef } from './rollout/workloads.js'

/** `helm upgrade --install` as it is to run: the spec (its wait mode decided), argv and environment. */
export interface UpgradeCommand {
  readonly spec: ReleaseSpec
  readonly args: readonly string[]
  readonly env: Readonly<Record<string, string>>
}

/** What the pre-flight found that helm's command depends on (or, ahead of it, what it is expected to find). */
export interface UpgradeFacts {
  /** The release's workloads (wait-mode auto); undefined: none known. */
  readonly refs: readonly WorkloadRef[] | undefined
  /** The field ownership check (field-conflicts); undefined: none was made. */
  readonly fields: FieldReport | undefined
  /** The replicas post-renderer (field-conflicts: auto with autoscalers). */
  readonly drop: { readonly args: readonly string[]; readonly env: Readonly<Record<string, string>> }
  /** The image set as values; undefined: none, or pinned in the manifests. */
  readonly image: ImageRef | undefined
  readonly isAdopting: boolean
}

/** The facts of a release whose pre-flight found nothing to add: no autoscaler, no conflict, no progressive kind. */
export const PLAIN_FACTS = { refs: undefined, fields: undefined, drop: { args: [], env: {} } } as const

/** The one place helm's upgrade command is put together, for the deploy and for helm started ahead (ahead.ts). */
export function upgradeCommand(
  helm: HelmCli,
  spec: ReleaseSpec,
  facts: UpgradeFacts,
  runtime: Pick<Runtime, 'info'>,
): UpgradeCommand {
  const major = helm.version.major
  const waited = resolveWaitMode(spec, facts.refs, major, runtime)
  const args = buildHelmArgs(helm.version, waited, facts.image, facts.isAdopting)
  return {
    spec: waited,
    args: [...args, ...conflictArgs(spec, { major, args }, facts.fields), ...facts.drop.args],
    env: { ...helm.env, ...facts.drop.env },
  }
}

/** Whether two commands run the same: the same argv, the same environment. */
export function isSameCommand(
  a: Pick<UpgradeCommand, 'args' | 'env'>,
  b: Pick<UpgradeCommand, 'args' | 'env'>,
): boolean {
  if (a.args.length !== b.args.length || a.args.some((arg, i) => arg !== b.args[i])) return false
  const keys = Object.keys(a.env)
  return keys.length === Object.keys(b.env).length && keys.every((key) => a.env[key] === b.env[key])
}

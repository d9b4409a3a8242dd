import { ActionError } from '../lib/errors.js'
import { imageRepository, imageTagValue, type ImageRef } from '../lib/image-ref.js'
import type { ChartRef, DeployInputs, KeyValue } from '../inputs/types.js'
import type { HelmVersionInfo } from './version.js'

/** The deploy inputs once the plan has made sure a release and a chart are given (action/plan.ts). */
export type ReleaseSpec = Omit<
  DeployInputs,
  | 'release'
  | 'chart'
  | 'manifests'
  | 'helmVersion'
  | 'helmMirror'
  | 'lock'
  | 'lockTimeoutSeconds'
  | 'chartKeyring'
> & {
  readonly release: string
  readonly chart: ChartRef
  /** chart-keyring as the binary keyring the step wrote: every helm that reads the chart verifies its .prov. */
  readonly keyringFile?: string | undefined
}

/**
 * Helm's --set parser (pkg/strvals) splits a value at every unescaped comma, turns a leading `{`
 * into a list and treats backslash as its escape character; escaping those three makes the value
 * reach the chart exactly as written.
 */
export function escapeSetValue(value: string): string {
  return value.replace(/[\\,]/g, '\\$&').replace(/^\{/, '\\{')
}

/**
 * The image as chart values. A digest goes into the tag value (`<tag>@<digest>`): the common
 * template `{{ .Values.image.repository }}:{{ .Values.image.tag }}` then renders
 * `<repo>:<tag>@sha256:...`, a valid reference that the kubelet pulls by digest.
 */
function imageValues(
  image: ImageRef,
  spec: Pick<ReleaseSpec, 'imageRepositoryKey' | 'imageTagKey'>,
): KeyValue[] {
  return [
    { key: spec.imageRepositoryKey, value: imageRepository(image) },
    { key: spec.imageTagKey, value: imageTagValue(image) },
  ]
}

const pairs = (flag: string, values: readonly KeyValue[]): string[] =>
  values.flatMap(({ key, value }) => [flag, `${key}=${escapeSetValue(value)}`])

/**
 * The value flags, in the order helm merges them: -f files, then --set, then --set-string. The
 * image always goes through --set-string, so a tag such as 1234567 or 1e10 stays a string.
 */
export function buildValueArgs(spec: ReleaseSpec, image?: ImageRef): string[] {
  return [
    ...spec.valuesFiles.flatMap((file) => ['-f', file]),
    ...pairs('--set', spec.set),
    ...pairs('--set-string', spec.setString),
    ...(image === undefined ? [] : pairs('--set-string', imageValues(image, spec))),
  ]
}

function chartArgs(chart: ChartRef): string[] {
  switch (chart.kind) {
    case 'oci':
      return [chart.ref]
    case 'repo':
      return [chart.name, '--repo', chart.repository]
    case 'path':
      return [chart.path]
  }
}

/** The chart, and --verify with the keyring when chart-keyring is set (helm then refuses a chart without a good .prov). */
function chartSourceArgs(spec: Pick<ReleaseSpec, 'chart' | 'keyringFile'>): string[] {
  return [
    ...chartArgs(spec.chart),
    ...(spec.keyringFile === undefined ? [] : ['--verify', '--keyring', spec.keyringFile]),
  ]
}

/**
 * Helm 3 spells automatic rollback --atomic (which turns on --wait). Helm 4 renamed it
 * --rollback-on-failure (--atomic is deprecated) and made --wait a strategy: `watcher` waits for
 * kstatus readiness, `legacy` Helm 3's checks, `hookOnly` only hooks (input wait-mode); --rollback-on-failure
 * turns `hookOnly`, named or not, into `watcher` (the inputs refuse hookOnly with atomic).
 * A dry run renders Secrets too (--hide-secret would drop each one whole, name included): what would
 * change lists their keys. Its output stays in memory: changes/objects.ts keeps fingerprints of the
 * values, never the values, and nothing prints it.
 */
function safetyArgs(major: number, spec: ReleaseSpec): string[] {
  if (spec.isDryRun) return ['--dry-run=server', '--output', 'json']
  if (major === 3) {
    // Helm 3 has one wait (its own readiness checks, as Helm 4's `legacy`); hooks are always waited for.
    const shouldWait = spec.shouldWait && spec.waitMode !== 'hookOnly'
    return [...(spec.isAtomic ? ['--atomic'] : []), ...(shouldWait ? ['--wait'] : [])]
  }
  // --rollback-on-failure alone waits with `watcher`: another strategy must be named. `auto` not
  // resolved by the deploy (no render: nothing known of the release's kinds) is `watcher`.
  const mode = spec.waitMode === 'auto' ? 'watcher' : spec.waitMode
  const isNamed = spec.shouldWait || (spec.isAtomic && mode !== 'watcher')
  return [...(spec.isAtomic ? ['--rollback-on-failure'] : []), ...(isNamed ? [`--wait=${mode}`] : [])]
}

/**
 * `helm template` with the release's chart and values: the render without the cluster (no lookups,
 * default capabilities), for when the identity may not even read what a server-side dry run reads.
 */
export function buildTemplateArgs(spec: ReleaseSpec, image?: ImageRef): string[] {
  return [
    'template',
    spec.release,
    ...chartSourceArgs(spec),
    '--namespace',
    spec.namespace,
    ...(spec.chartVersion === undefined ? [] : ['--version', spec.chartVersion]),
    ...buildValueArgs(spec, image),
  ]
}

/**
 * A run that takes over objects kubectl apply created (plain manifests): Helm 4 applies server-side,
 * where the fields kubectl set belong to kubectl's field manager, so helm must take them
 * (--force-conflicts). A dry run does not mark the objects as the release's: helm 3.17+ and 4 can skip
 * their ownership check instead (--take-ownership).
 */
function adoptionArgs(version: HelmVersionInfo, spec: ReleaseSpec): string[] {
  const canTakeOwnership = version.major > 3 || version.minor >= 17
  return [
    ...(version.major >= 4 ? ['--force-conflicts'] : []),
    ...(spec.isDryRun && canTakeOwnership ? ['--take-ownership'] : []),
  ]
}

/**
 * The whole `helm upgrade --install` argv for the detected helm. Pure; never a shell string.
 * `isAdopting`: the release takes over objects that exist without one (plain manifests).
 */
export function buildHelmArgs(
  version: HelmVersionInfo,
  spec: ReleaseSpec,
  image?: ImageRef,
  isAdopting = false,
): string[] {
  if (spec.isDryRun && version.major === 3 && version.minor < 13) {
    throw new ActionError(
      `dry-run needs helm 3.13 or newer (--dry-run=server); this is helm ${version.text}.`,
      {
        hint: "Set 'helm-version' to a newer release such as v3.17.3 or v4.1.4.",
      },
    )
  }
  return [
    'upgrade',
    '--install',
    spec.release,
    ...chartSourceArgs(spec),
    '--namespace',
    spec.namespace,
    ...(spec.shouldCreateNamespace ? ['--create-namespace'] : []),
    ...(spec.chartVersion === undefined ? [] : ['--version', spec.chartVersion]),
    ...buildValueArgs(spec, image),
    '--history-max',
    String(spec.historyMax),
    '--timeout',
    spec.timeout,
    ...safetyArgs(version.major, spec),
    ...(isAdopting ? adoptionArgs(version, spec) : []),
    ...spec.helmArgs,
  ]
}

// Flags whose value may be a secret: `key=value` for the --set family, the whole value for --password.
const VALUE_FLAGS = /^--set(-string|-json|-literal|-file)?$/
const SECRET_FLAGS = /^--(password|pass)$/

/**
 * The argv for the debug log: values of --set and its kin, and passwords, hidden (they may be
 * secrets); the values of `visibleKeys` (the image this run deploys) shown.
 */
export function describeHelmArgs(args: readonly string[], visibleKeys: readonly string[] = []): string {
  const hideValues = (pair: string): string => {
    const at = pair.indexOf('=')
    if (at <= 0) return '<hidden>'
    // The first key stays, to tell the flags apart.
    return visibleKeys.includes(pair.slice(0, at)) ? pair : `${pair.slice(0, at)}=<hidden>`
  }
  return args
    .map((arg, i) => {
      const previous = args[i - 1] ?? ''
      if (VALUE_FLAGS.test(previous)) return hideValues(arg)
      if (SECRET_FLAGS.test(previous)) return '<hidden>'
      const [flag = '', value] = arg.split(/=(.*)/s, 2)
      if (value !== undefined && VALUE_FLAGS.test(flag)) return `${flag}=${hideValues(value)}`
      if (value !== undefined && SECRET_FLAGS.test(flag)) return `${flag}=<hidden>`
      return arg
    })
    .join(' ')
}

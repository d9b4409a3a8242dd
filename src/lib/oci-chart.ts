import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Env } from './env.js'
import { ActionError } from './errors.js'
import { openRegistry, registryAuth, type RegistryReader } from './oci-registry.js'
import { printable } from './printable.js'

// An oci:// chart pinned by digest (issue 26): its tag (chart-version, or the tag in the reference)
// read as the manifest's digest with the step's registry login, so that helm deploys exactly what
// was resolved (and verified), not whatever the tag names when helm pulls it.
// https://helm.sh/docs/topics/registries/ (the chart's manifest and media types)

/** `oci://<host>/<repository>[:<tag>][@sha256:<hex>]`, as helm reads it. */
export interface OciChart {
  readonly host: string
  readonly repository: string
  readonly tag: string | undefined
  readonly digest: string | undefined
}

/** The chart as it will be deployed: by digest, or as given where no one version is named (a range). */
export type ChartPin =
  | {
      readonly kind: 'pinned'
      /** `oci://<host>/<repository>@sha256:<hex>`: what helm is given (Helm 3.17 and 4 pull it). */
      readonly ref: string
      readonly digest: string
      /** The tag it was resolved from; undefined when the reference was pinned already. */
      readonly tag: string | undefined
    }
  | { readonly kind: 'range'; readonly constraint: string }

const HELM_CONFIG = 'application/vnd.cncf.helm.config.v1+json'
const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/
// One version, as a tag names it (helm writes a version's `+` as `_` in its tag).
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?([+_][0-9A-Za-z.-]+)?$/
// A registry's first page of tags is enough to pick the newest version or to show what there is.
const MAX_TAGS = 1000
const SHOWN_TAGS = 8

export function parseOciChart(ref: string): OciChart {
  const rest = ref.replace(/^oci:\/\//, '')
  const at = rest.indexOf('@')
  const named = at < 0 ? rest : rest.slice(0, at)
  const digest = at < 0 ? undefined : rest.slice(at + 1)
  const slash = named.indexOf('/')
  const host = slash < 0 ? named : named.slice(0, slash)
  const repo = slash < 0 ? '' : named.slice(slash + 1)
  const colon = repo.lastIndexOf(':')
  return colon < 0
    ? { host, repository: repo, tag: undefined, digest }
    : { host, repository: repo.slice(0, colon), tag: repo.slice(colon + 1), digest }
}

/** The reference helm deploys for a digest. */
const pinnedRef = (chart: OciChart, digest: string): string =>
  `oci://${chart.host}/${chart.repository}@${digest}`

/** Whether helm would deploy one version (a tag, or chart-version naming one), not pick it from a range. */
export function isExactVersion(chart: OciChart, version: string | undefined): boolean {
  const named = chart.tag ?? version
  return chart.digest !== undefined || named === undefined || EXACT_VERSION.test(named)
}

/** Where helm reads the chart and with which login: as the deploy's helm is set up. */
export interface ChartRegistryAccess {
  /** Phase ecr-login's Docker config; else the job's DOCKER_CONFIG (or ~/.docker), as helm reads it. */
  readonly dockerConfigDir: string | undefined
  readonly jobEnv: Env
  /** helm-args: --plain-http means the registry speaks http. */
  readonly helmArgs: readonly string[]
  readonly mask: (secret: string) => void
  /** Who reads it, for the errors (`deploy`, `verify-chart`). */
  readonly purpose: string
}

/** The Docker config helm reads logins from: phase ecr-login's, else the job's DOCKER_CONFIG or ~/.docker (undefined: none). */
export async function chartDockerConfig(
  dockerConfigDir: string | undefined,
  jobEnv: Env,
): Promise<string | undefined> {
  const dir =
    dockerConfigDir ?? (jobEnv.DOCKER_CONFIG?.trim() || path.join(jobEnv.HOME ?? os.homedir(), '.docker'))
  return fs.stat(dir).then(
    () => dir,
    () => undefined,
  )
}

export async function openChartRegistry(
  chart: OciChart,
  access: ChartRegistryAccess,
): Promise<RegistryReader> {
  const auth = await registryAuth(await chartDockerConfig(access.dockerConfigDir, access.jobEnv), chart.host)
  const scheme = access.helmArgs.includes('--plain-http') ? 'http' : 'https'
  return openRegistry(chart.host, chart.repository, auth, access.mask, { purpose: access.purpose, scheme })
}

/**
 * The chart's digest: its reference's digest checked (the registry holds it, and it is a chart), or
 * its tag resolved, or with no version named the newest stable version's (helm's own choice then).
 * A version or digest the registry does not hold is refused here, before helm, with the tags it has.
 */
export async function pinOciChart(
  chart: OciChart,
  version: string | undefined,
  registry: RegistryReader,
): Promise<ChartPin> {
  const name = `oci://${chart.host}/${chart.repository}`
  if (chart.digest !== undefined) {
    if (!DIGEST_PATTERN.test(chart.digest))
      throw new ActionError(
        `chart ${name}@${printable(chart.digest)}: the digest is not sha256:<64 hex digits>.`,
        {
          hint: 'Give the digest helm push printed (Digest: sha256:...), or a version.',
        },
      )
    const found = await registry.pin(chart.digest)
    if (found === undefined) throw await notFound(registry, name, `digest ${chart.digest}`)
    checkChart(found.manifest, `${name}@${chart.digest}`)
    if (found.digest !== chart.digest)
      throw new ActionError(`chart ${name}: the registry served another manifest for ${chart.digest}.`, {
        hint: 'The registry (or a proxy before it) does not serve what it stores: check it.',
      })
    return { kind: 'pinned', ref: pinnedRef(chart, chart.digest), digest: chart.digest, tag: undefined }
  }
  if (chart.tag !== undefined && version !== undefined && chart.tag !== version)
    throw new ActionError(
      `chart ${name}:${printable(chart.tag)} and chart-version ${printable(version)} name two versions.`,
      { hint: 'Name the version once: in chart (oci://...:<version>) or in chart-version.' },
    )
  const named = chart.tag ?? version
  if (named !== undefined && !EXACT_VERSION.test(named)) return { kind: 'range', constraint: named }
  const tag = named?.replace('+', '_') ?? newestVersion(await registry.tags(MAX_TAGS))
  if (tag === undefined)
    throw new ActionError(`chart ${name}: the registry holds no version of it (no tag is a version).`, {
      hint: `Push the chart first (helm package, then helm push <chart>.tgz oci://${chart.host}/${parentOf(chart.repository)}), or check chart.`,
    })
  const found = await registry.pin(tag)
  if (found === undefined) throw await notFound(registry, name, `version ${tag}`)
  checkChart(found.manifest, `${name}:${tag}`)
  return { kind: 'pinned', ref: pinnedRef(chart, found.digest), digest: found.digest, tag }
}

function checkChart(manifest: { readonly config?: { readonly mediaType?: string } }, name: string): void {
  const type = manifest.config?.mediaType
  if (type !== HELM_CONFIG)
    throw new ActionError(
      `${name} is not a Helm chart: its manifest's config is ${printable(type ?? 'missing')}, not ${HELM_CONFIG}.`,
      { hint: 'Check chart: it names an image or another artifact; a chart is pushed with helm push.' },
    )
}

async function notFound(registry: RegistryReader, name: string, what: string): Promise<ActionError> {
  const tags = await registry.tags(MAX_TAGS)
  const versions = sortVersions(tags.filter((tag) => EXACT_VERSION.test(tag))).reverse()
  const listed = (versions.length > 0 ? versions : tags).slice(0, SHOWN_TAGS).map((tag) => printable(tag, 80))
  const has =
    tags.length === 0
      ? 'it has no tags (no version of the chart was pushed)'
      : `its tags${tags.length > SHOWN_TAGS ? `, newest first (${listed.length} of ${tags.length})` : ''}: ${listed.join(', ')}`
  return new ActionError(`The chart ${name} has no ${what} in ${registry.name}: ${has}.`, {
    hint: "Check 'chart' (oci://<registry>/<repository>) and 'chart-version'; a version must be pushed (helm push) before it is deployed.",
  })
}

const parentOf = (repository: string): string => repository.split('/').slice(0, -1).join('/')

/** The newest stable version among the tags (helm's choice without --version; pre-releases need --devel). */
function newestVersion(tags: readonly string[]): string | undefined {
  return sortVersions(tags.filter((tag) => EXACT_VERSION.test(tag) && !/^v?\d+\.\d+\.\d+-/.test(tag))).at(-1)
}

function sortVersions(tags: readonly string[]): string[] {
  const key = (tag: string): number[] => (/^v?(\d+)\.(\d+)\.(\d+)/.exec(tag) ?? []).slice(1).map(Number)
  const compare = (a: string, b: string): number => {
    const [x, y] = [key(a), key(b)]
    for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0)
    // A pre-release comes before its release (1.0.0-rc.1 < 1.0.0).
    return Number(!a.includes('-')) - Number(!b.includes('-')) || a.localeCompare(b)
  }
  return [...tags].sort(compare)
}

import { gunzipSync } from 'node:zlib'
import type { HelmRecord, KubeApi } from '../kube/kube-api.js'
import { messageOf } from '../lib/errors.js'
import { queryHelm, readHistory, type HelmCli, type HistoryRead } from './cli.js'
import { isObject, text, type HistoryEntry } from './result.js'

/**
 * A release's history read straight from helm's storage through the deploy's own Kubernetes client:
 * what `helm history -o json` prints, without a helm process and its token plugin (0.3-0.9 s each,
 * three times a deploy). Only for helm's default driver (Secrets); anything else (HELM_DRIVER
 * configmap, sql, memory), a client that cannot read them, or any error: `helm history` as before, so
 * a refusal is explained from helm's own words. `records`: what was listed, for readReleaseManifest.
 */
export async function readReleaseHistory(
  where: ReleaseWhere,
  helm: () => Promise<HelmCli>,
): Promise<StoredHistory> {
  const stored = await fromStorage(
    where,
    async () => (await helm()).runtime,
    (records) => ({ entries: historyOf(records, where.max), refusal: undefined, records }),
  )
  return (
    stored ?? {
      ...(await readHistory(await helm(), where.release, where.namespace, where.max)),
      records: undefined,
    }
  )
}

/** A history read, with the records it was read from when they came from helm's storage. */
export interface StoredHistory extends HistoryRead {
  readonly records: readonly HelmRecord[] | undefined
}

/**
 * One revision's manifest (hooks apart, as `helm get manifest` prints it), in memory only: it holds
 * Secret data in clear. From helm's storage (the records a history read listed, else listed here),
 * else `helm get manifest`; undefined when neither can tell.
 */
export async function readReleaseManifest(
  where: Omit<ReleaseWhere, 'max'>,
  revision: number,
  helm: HelmCli,
): Promise<string | undefined> {
  const { release, namespace } = where
  const records =
    where.records ??
    (await fromStorage(
      where,
      () => Promise.resolve(helm.runtime),
      (listed) => listed,
    ))
  const record = records?.find((item) => item.labels.version === String(revision))
  const manifest = record === undefined ? undefined : decodeRelease(record.release)?.manifest
  // helm get manifest prints it with a line end (Println): the same text either way.
  if (typeof manifest === 'string') return `${manifest}\n`
  const args = ['get', 'manifest', release, '--namespace', namespace, '--revision', String(revision)]
  const result = await queryHelm(helm, args).catch(() => undefined)
  return result?.exitCode === 0 ? result.stdout : undefined
}

/**
 * What `read` makes of the release's records (one Secret a revision) listed from helm's default
 * storage; undefined when helm is to be asked instead: another HELM_DRIVER, no client, a client
 * without the call, an error of the listing or of `read` (a record that is not a release).
 */
async function fromStorage<T>(
  where: Omit<ReleaseWhere, 'max'>,
  runtime: () => Promise<Pick<HelmCli['runtime'], 'debug'>>,
  read: (records: readonly HelmRecord[]) => T,
): Promise<T | undefined> {
  const { release, namespace } = where
  const driver = where.env.HELM_DRIVER?.trim().toLowerCase() ?? ''
  if (where.connect === undefined || !['', 'secret', 'secrets'].includes(driver)) return undefined
  try {
    const records = await (await where.connect()).readHelmRecords?.(namespace, release)
    return records === undefined ? undefined : read(records)
  } catch (error) {
    ;(await runtime()).debug(
      `Could not read release ${release} from its Secrets (${messageOf(error)}): asking helm.`,
    )
    return undefined
  }
}

export interface ReleaseWhere {
  readonly release: string
  readonly namespace: string
  readonly max: number
  /** helm's environment (HELM_DRIVER picks its storage). */
  readonly env: Readonly<Record<string, string | undefined>>
  /** The deploy's Kubernetes client, as helm's identity; undefined: helm is asked. */
  readonly connect: (() => Promise<Pick<KubeApi, 'readHelmRecords'>>) | undefined
  /** The records a history read already listed (StoredHistory): a manifest is read from them, not listed again. */
  readonly records?: readonly HelmRecord[] | undefined
}

/** The newest `max` revisions, oldest first, as `helm history --max` lists them. */
export function historyOf(records: readonly HelmRecord[], max: number): HistoryEntry[] {
  const byRevision = records
    .map((record) => ({ record, revision: Number(record.labels.version) }))
    .filter((item) => Number.isInteger(item.revision) && item.revision > 0)
    .sort((a, b) => a.revision - b.revision)
    .slice(-max)
  return byRevision.map(({ record, revision }) => {
    const release = decodeRelease(record.release)
    if (release === undefined) throw new Error(`revision ${revision} is not a release helm wrote`)
    const info = isObject(release.info) ? release.info : {}
    const chart = isObject(release.chart) && isObject(release.chart.metadata) ? release.chart.metadata : {}
    const updated = Date.parse(text(info.last_deployed))
    return {
      revision,
      updatedMs: Number.isNaN(updated) ? undefined : updated,
      status: text(info.status),
      chart: `${text(chart.name)}-${text(chart.version)}`,
      appVersion: text(chart.appVersion),
      description: text(info.description),
    }
  })
}

const GZIP_MAGIC = [0x1f, 0x8b, 0x08]

/** helm's encodeRelease undone: base64, then gzip (when it starts with gzip's magic), then JSON. */
function decodeRelease(encoded: string): Record<string, unknown> | undefined {
  try {
    const bytes = Buffer.from(encoded, 'base64')
    const isGzip = GZIP_MAGIC.every((byte, i) => bytes[i] === byte)
    const parsed = JSON.parse((isGzip ? gunzipSync(bytes) : bytes).toString('utf8')) as unknown
    return isObject(parsed) ? parsed : undefined
  } catch {
    return undefined
  }
}

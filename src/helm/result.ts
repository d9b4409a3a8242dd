/** One entry of `helm history <release> -o json`. */
export interface HistoryEntry {
  readonly revision: number
  /** When the revision was last written (helm's `updated`), ms since the epoch; undefined when unreadable. */
  readonly updatedMs: number | undefined
  readonly status: string
  readonly chart: string
  readonly appVersion: string
  readonly description: string
}

/** The current revision (what `helm status` reports): the newest of the history. */
export interface ReleaseStatus {
  readonly revision: number
  readonly status: string
  readonly description: string
}

/** The release after the run, as the outputs and the summary report it. */
export interface ReleaseState extends ReleaseStatus {
  readonly chartName: string
  readonly chartVersion: string
  readonly appVersion: string
}

type Json = Record<string, unknown>

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
export const text = (value: unknown): string => (typeof value === 'string' ? value : '')
const count = (value: unknown): number => (typeof value === 'number' && Number.isInteger(value) ? value : 0)

/** Parses `helm history -o json`, oldest first. */
export function parseHistory(json: string): HistoryEntry[] {
  const parsed = JSON.parse(json) as unknown
  if (!Array.isArray(parsed)) return []
  return parsed.filter(isObject).map((entry) => ({
    revision: count(entry.revision),
    updatedMs: readTime(entry.updated),
    status: text(entry.status),
    chart: text(entry.chart),
    appVersion: text(entry.app_version),
    description: text(entry.description),
  }))
}

function readTime(value: unknown): number | undefined {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN
  return Number.isNaN(ms) ? undefined : ms
}

/**
 * History names a chart `<name>-<version>`, and both may hold dashes. A chart version is SemVer 2
 * (a Helm 3 rule), so the name is the longest prefix that leaves a SemVer suffix.
 */
export function splitChart(chart: string): { name: string; version: string } {
  const match = /^(.+)-(v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)$/.exec(chart)
  return match?.[1] === undefined || match[2] === undefined
    ? { name: chart, version: '' }
    : { name: match[1], version: match[2] }
}

export function describeRelease(status: ReleaseStatus, history: readonly HistoryEntry[]): ReleaseState {
  const entry = history.find((item) => item.revision === status.revision)
  const chart = splitChart(entry?.chart ?? '')
  return {
    ...status,
    chartName: chart.name,
    chartVersion: chart.version,
    appVersion: entry?.appVersion ?? '',
  }
}

/**
 * Helm's automatic rollback (Helm 3 --atomic, Helm 4 --rollback-on-failure) records a new
 * revision described "Rollback to <n>" after the failed one.
 */
export function isRolledBack(
  state: ReleaseStatus | undefined,
  previousRevision: number | undefined,
): boolean {
  if (state === undefined) return false
  return state.revision > (previousRevision ?? 0) && /^Rollback to \d+/.test(state.description)
}

/** The newest revision that was deployed successfully: the one to roll back to by hand. */
export function lastGoodRevision(history: readonly HistoryEntry[]): number | undefined {
  return [...history].reverse().find((entry) => ['deployed', 'superseded'].includes(entry.status))?.revision
}

import { isObject, text, type ReleaseState } from '../../../helm/result.js'

/** What `helm upgrade --dry-run=server --output json` renders. */
export interface DryRunRelease {
  readonly state: ReleaseState
  /** The user-supplied values (helm's `config`): set-string values in clear, never printed. */
  readonly values: unknown
  readonly manifest: string
}

export function parseDryRun(json: string): DryRunRelease {
  const parsed = JSON.parse(json) as unknown
  const release = isObject(parsed) ? parsed : {}
  const info = isObject(release.info) ? release.info : {}
  const chart = isObject(release.chart) && isObject(release.chart.metadata) ? release.chart.metadata : {}
  return {
    state: {
      revision: typeof release.version === 'number' ? release.version : 0,
      status: text(info.status),
      description: text(info.description),
      chartName: text(chart.name),
      chartVersion: text(chart.version),
      appVersion: text(chart.appVersion),
    },
    values: release.config ?? {},
    manifest: text(release.manifest),
  }
}

import type { ReleaseSpec } from '../../helm/args.js'
import type { ChartRef } from '../../inputs/types.js'
import type { Env } from '../../lib/env.js'
import { ActionError } from '../../lib/errors.js'
import { openChartRegistry, parseOciChart, pinOciChart } from '../../lib/oci-chart.js'
import { RegistryRefused, RegistryUnreachable } from '../../lib/oci-registry.js'
import type { Logger } from '../../runner/runtime.js'

/** The chart helm is given: an oci:// chart by its digest (chart-version then dropped), else as given. */
export interface ChartToDeploy {
  readonly chart: ChartRef
  readonly chartVersion: string | undefined
  /** Output chart-digest; undefined when the chart is not pinned. */
  readonly digest: string | undefined
  /** What the log says of it, where the deploy awaits it (it is found while helm is set up). */
  readonly note?: { readonly level: 'info' | 'warning'; readonly text: string }
}

/** The release spec with the chart as it is to be deployed (an oci:// chart by its digest). */
export function pinnedSpec(spec: ReleaseSpec, pin: ChartToDeploy | undefined): ReleaseSpec {
  return pin === undefined ? spec : { ...spec, chart: pin.chart, chartVersion: pin.chartVersion }
}

/** A chart pinned (and verified) by phase verify: deployed as it is, not resolved again. */
export interface VerifiedChart {
  readonly ref: string
  readonly digest: string
}

export interface ChartPinParams {
  readonly chart: ChartRef
  readonly chartVersion: string | undefined
  readonly helmArgs: readonly string[]
  readonly dockerConfigDir: string | undefined
  readonly jobEnv: Env
  readonly verified: VerifiedChart | undefined
}

/**
 * An oci:// chart's tag read as its digest (one manifest read with the step's login, while helm is
 * set up and the release's history read), so that helm deploys exactly that digest. A version the
 * registry lacks, or a login it refuses, fails here before helm. A registry the runner cannot read
 * itself (a CA only helm-args names, a login in a credential helper) leaves the chart to helm, as given.
 */
export async function pinChart(
  params: ChartPinParams,
  runtime: { setSecret(secret: string): void },
): Promise<ChartToDeploy | ActionError> {
  const { chart, chartVersion, verified } = params
  const asGiven = { chart, chartVersion, digest: undefined }
  if (chart.kind !== 'oci') return asGiven
  if (verified !== undefined)
    return {
      chart: { kind: 'oci', ref: verified.ref },
      chartVersion: undefined,
      digest: verified.digest,
      note: {
        level: 'info',
        text: `Chart ${chart.ref}: deployed by the digest verify-chart verified, ${verified.digest}.`,
      },
    }
  const oci = parseOciChart(chart.ref)
  try {
    const registry = await openChartRegistry(oci, {
      dockerConfigDir: params.dockerConfigDir,
      jobEnv: params.jobEnv,
      helmArgs: params.helmArgs,
      mask: (secret) => {
        runtime.setSecret(secret)
      },
      purpose: 'deploy',
    })
    const pin = await pinOciChart(oci, chartVersion, registry)
    if (pin.kind === 'range') {
      const text = `Chart ${chart.ref}: chart-version ${pin.constraint} is a range, so helm picks the version; it is not pinned by digest.`
      return { ...asGiven, note: { level: 'info', text } }
    }
    const version = pin.tag === undefined ? '' : ` version ${pin.tag}`
    return {
      chart: { kind: 'oci', ref: pin.ref },
      chartVersion: undefined,
      digest: pin.digest,
      note: { level: 'info', text: `Chart ${chart.ref}${version}: deployed by digest, ${pin.digest}.` },
    }
  } catch (error) {
    const isHelmsToTry =
      error instanceof RegistryUnreachable || (error instanceof RegistryRefused && !error.hasLogin)
    if (error instanceof ActionError && !isHelmsToTry) return error
    if (!isHelmsToTry) throw error
    const text = `The chart ${chart.ref} is deployed as given, not pinned by digest (output chart-digest stays empty): ${error.message}`
    return { ...asGiven, note: { level: 'warning', text } }
  }
}

/** Prints what the pin's note says, where the deploy's log is. */
export function printPinNote(pin: ChartToDeploy, runtime: Logger): void {
  if (pin.note?.level === 'info') runtime.info(pin.note.text)
  if (pin.note?.level === 'warning') runtime.warning(pin.note.text)
}

import type { ImageRef } from '../../lib/image-ref.js'
import { chartDockerConfig, openChartRegistry, parseOciChart, pinOciChart } from '../../lib/oci-chart.js'
import { runBuffered } from '../../runner/buffered-group.js'
import type { PhaseDeps } from '../phase.js'
import { verifyCosign } from './cosign/verify-cosign.js'
import type { TrustedInstance } from './trust.js'
import type { ChartVerified, ChartVerifyParams, VerifiedBuild, VerifyParams } from './types.js'

/** What the chart's verification takes from before it (phase verify's own earlier). */
interface ChartEarlier {
  readonly dockerConfigDir: string | undefined
  readonly trust: Promise<readonly TrustedInstance[]>
}

/** The attestations of a digest verified against the policy (index.ts's, for the image too). */
type Attest = (
  params: VerifyParams,
  deps: PhaseDeps,
  trust: Promise<readonly TrustedInstance[]>,
  image: ImageRef & { readonly digest: string },
  name: string,
) => Promise<VerifiedBuild>

/**
 * verify-chart: the oci:// chart's tag read as its digest (as the deploy would), then that digest's
 * cosign signature and attestations verified with verify-image's policy, before helm runs; the deploy
 * then gives helm exactly that digest. A refusal names the digest and the `cosign sign` to run.
 */
export async function verifyChart(
  params: VerifyParams,
  chart: ChartVerifyParams,
  deps: PhaseDeps,
  earlier: ChartEarlier,
  attest: Attest,
): Promise<ChartVerified> {
  const oci = parseOciChart(chart.ref)
  const dockerConfigDir = await chartDockerConfig(earlier.dockerConfigDir, chart.jobEnv)
  const scheme = chart.helmArgs.includes('--plain-http') ? ('http' as const) : ('https' as const)
  const cosign = chart.methods.includes('cosign') ? params.cosign : undefined
  const pinned = await runBuffered(deps.runtime, (runtime) =>
    runtime.group(
      `Verify the chart ${chart.ref}${chart.version === undefined ? '' : ` ${chart.version}`}`,
      async () => {
        const registry = await openChartRegistry(oci, {
          dockerConfigDir,
          jobEnv: chart.jobEnv,
          helmArgs: chart.helmArgs,
          mask: (secret) => {
            runtime.setSecret(secret)
          },
          purpose: 'verify-chart',
        })
        const pin = await pinOciChart(oci, chart.version, registry)
        // The plan refuses a range with verify-chart.
        if (pin.kind === 'range') throw new Error(`verify-chart: ${pin.constraint} is a range`)
        runtime.info(
          `Chart ${chart.ref}${pin.tag === undefined ? '' : ` version ${pin.tag}`}: ${pin.digest}.`,
        )
        const image = { registry: oci.host, name: oci.repository, tag: pin.tag ?? '', digest: pin.digest }
        const signature =
          cosign === undefined
            ? undefined
            : await verifyCosign(
                cosign,
                { image, dockerConfigDir, trust: earlier.trust, chart: { scheme } },
                runtime,
              )
        return { pin, image, signature }
      },
    ),
  )
  const build = chart.methods.includes('attestation')
    ? await attest(params, deps, earlier.trust, pinned.image, `the chart ${oci.host}/${oci.repository}`)
    : undefined
  return { ref: pinned.pin.ref, digest: pinned.pin.digest, build, signature: pinned.signature }
}

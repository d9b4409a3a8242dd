import { listAttestations, type StoredAttestation } from '../../github/attestations.js'
import { ActionError } from '../../lib/errors.js'
import { imageRepository, type ImageRef } from '../../lib/image-ref.js'
import { printable } from '../../lib/printable.js'
import { runBuffered } from '../../runner/buffered-group.js'
import type { Logger } from '../../runner/runtime.js'
import type { PhaseDeps } from '../phase.js'
import { BundleRefused, verifyBundle, type SignedBuild } from './bundle.js'
import { verifyCosign } from './cosign/verify-cosign.js'
import { verifyChart } from './chart.js'
import { checkPolicy } from './policy.js'
import { noAttestation, noneAccepted, type AttestationOutcome, type RefusalContext } from './refusal.js'
import type { TrustedInstance } from './trust.js'
import type { VerifiedBuild, VerifyParams, VerifyResult } from './types.js'

export type { VerifyParams, VerifyResult } from './types.js'

/** The trust material, loading since the step began (head-start.ts). */
export type VerifyHeadStart = Promise<readonly TrustedInstance[]>

/** What the verification takes from before it: the image (its digest resolved), the step's registry login and the trust material. */
export interface VerifyEarlier {
  readonly image: ImageRef | undefined
  readonly trust: VerifyHeadStart
  /** The Docker config phase ecr-login wrote: cosign reads the signatures with it. */
  readonly dockerConfigDir: string | undefined
}

/**
 * verify-image: the exact digest that will be deployed proves where it was built, before helm runs:
 * its GitHub attestations (attestation) and its cosign signature (cosign), side by side when both.
 */
export async function run(
  params: VerifyParams,
  deps: PhaseDeps,
  earlier: VerifyEarlier,
): Promise<VerifyResult> {
  const { image } = earlier
  const chart = params.chart
  if (params.methods.length === 0 && chart !== undefined)
    return {
      build: undefined,
      signature: undefined,
      chart: await verifyChart(params, chart, deps, earlier, verifyAttestations),
    }
  if (image?.digest === undefined)
    throw new ActionError('verify-image: the image digest to verify was not resolved.', {
      hint: "Keep require-image at its default 'auto', or give image-digest.",
    })
  const pinned = { ...image, digest: image.digest }
  const cosign = params.methods.includes('cosign') ? params.cosign : undefined
  // All run to their end (each prints its log group), then the first refusal fails the phase.
  const [build, signature, chartVerified] = await Promise.allSettled([
    params.methods.includes('attestation')
      ? verifyAttestations(params, deps, earlier.trust, pinned)
      : undefined,
    cosign === undefined
      ? undefined
      : runBuffered(deps.runtime, (runtime) =>
          runtime.group(`Verify the cosign signature of ${params.repositoryName}@${pinned.digest}`, () =>
            verifyCosign(
              cosign,
              { image: pinned, dockerConfigDir: earlier.dockerConfigDir, trust: earlier.trust },
              runtime,
            ),
          ),
        ),
    chart === undefined ? undefined : verifyChart(params, chart, deps, earlier, verifyAttestations),
  ])
  if (build.status === 'rejected') throw build.reason
  if (signature.status === 'rejected') throw signature.reason
  if (chartVerified.status === 'rejected') throw chartVerified.reason
  return { build: build.value, signature: signature.value, chart: chartVerified.value }
}

/**
 * The attestations of the digest, read from GitHub's API, each verified with Sigstore (certificate
 * chain, transparency log, DSSE signature) and checked against the policy; the first that passes lets
 * the deploy go on, none refuses it before helm.
 */
async function verifyAttestations(
  params: VerifyParams,
  deps: PhaseDeps,
  trusted: VerifyHeadStart,
  image: ImageRef & { readonly digest: string },
  /** What the log names: the image's repository, or the chart. */
  name = params.repositoryName,
): Promise<VerifiedBuild> {
  const { digest } = image
  const context: RefusalContext = { image: imageRepository(image), digest, policy: params.policy }
  return runBuffered(deps.runtime, (runtime) =>
    runtime.group(`Verify the provenance of ${name}@${digest}`, async () => {
      const [trust, attestations] = await Promise.all([
        trusted,
        listAttestations({ ...params.github, repository: params.policy.repository, digest }),
      ])
      const bundles = attestations.flatMap((attestation: StoredAttestation) =>
        attestation.bundle === undefined ? [] : [attestation.bundle],
      )
      if (bundles.length === 0) throw noAttestation(context)
      runtime.info(
        `${bundles.length} attestation${bundles.length > 1 ? 's' : ''} of ${digest} in ${params.policy.repository}.`,
      )
      const outcomes: AttestationOutcome[] = []
      for (const bundle of bundles) {
        const outcome = evaluate(bundle, trust, params, digest)
        if ('build' in outcome) {
          logAccepted(runtime, outcome.build)
          return outcome.build
        }
        outcomes.push(outcome)
      }
      throw noneAccepted(context, outcomes)
    }),
  )
}

function evaluate(
  bundle: unknown,
  trust: readonly TrustedInstance[],
  params: VerifyParams,
  digest: string,
): { readonly build: VerifiedBuild } | AttestationOutcome {
  const verified = verifyWithAny(bundle, trust)
  if (!('statement' in verified)) return verified
  const checked = checkPolicy(verified, params.policy, digest)
  return 'build' in checked ? checked : { kind: 'mismatch', mismatches: checked.mismatches }
}

/** The bundle verified by the first trusted instance that accepts it, or why the last refused it. */
function verifyWithAny(bundle: unknown, trust: readonly TrustedInstance[]): SignedBuild | AttestationOutcome {
  const reasons: string[] = []
  for (const instance of trust) {
    try {
      return verifyBundle(bundle, instance.material, instance.thresholds)
    } catch (error) {
      if (!(error instanceof BundleRefused)) throw error
      reasons.push(trust.length > 1 ? `${instance.name}: ${error.message}` : error.message)
    }
  }
  return { kind: 'invalid', reason: reasons.join('; ') }
}

function logAccepted(runtime: Logger, build: VerifiedBuild): void {
  runtime.info(`Verified: SLSA build provenance of ${build.digest}, signed with Sigstore.`)
  runtime.info(`  built by ${printable(build.signerWorkflow)}`)
  runtime.info(
    `  from ${build.repository} at ${printable(build.commit ?? '(no commit)')} (${printable(build.ref ?? 'no ref')})`,
  )
  if (build.run !== undefined) runtime.info(`  run ${printable(build.run)}`)
}

import { listAttestations, type StoredAttestation } from '../../github/attestations.js'
import { ActionError } from '../../lib/errors.js'
import { imageRepository, type ImageRef } from '../../lib/image-ref.js'
import { printable } from '../../lib/printable.js'
import { runBuffered } from '../../runner/buffered-group.js'
import type { Logger } from '../../runner/runtime.js'
import type { PhaseDeps } from '../phase.js'
import { BundleRefused, verifyBundle, type SignedBuild } from './bundle.js'
import { checkPolicy } from './policy.js'
import { noAttestation, noneAccepted, type AttestationOutcome, type RefusalContext } from './refusal.js'
import type { TrustedInstance } from './trust.js'
import type { VerifiedBuild, VerifyParams, VerifyResult } from './types.js'

export type { VerifyParams, VerifyResult } from './types.js'

/** What the verification takes from before it: the image (its digest resolved) and the trust material loading since the step began. */
/** The trust material, loading since the step began (head-start.ts). */
export type VerifyHeadStart = Promise<readonly TrustedInstance[]>

export interface VerifyEarlier {
  readonly image: ImageRef | undefined
  readonly trust: VerifyHeadStart
}

/**
 * verify-image: attestation. The attestations of the exact digest that will be deployed, read from
 * GitHub's API, each verified with Sigstore (certificate chain, transparency log, DSSE signature) and
 * checked against the policy; the first that passes lets the deploy go on, none refuses it before helm.
 */
export async function run(
  params: VerifyParams,
  deps: PhaseDeps,
  earlier: VerifyEarlier,
): Promise<VerifyResult> {
  const { image } = earlier
  if (image?.digest === undefined)
    throw new ActionError('verify-image: the image digest to verify was not resolved.', {
      hint: "Keep require-image at its default 'auto', or give image-digest.",
    })
  const { digest } = image
  const context: RefusalContext = { image: imageRepository(image), digest, policy: params.policy }
  return runBuffered(deps.runtime, (runtime) =>
    runtime.group(`Verify the provenance of ${params.repositoryName}@${digest}`, async () => {
      const [trust, attestations] = await Promise.all([
        earlier.trust,
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
          return { build: outcome.build }
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

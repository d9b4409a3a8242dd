import { ActionError } from '../../lib/errors.js'
import { printable } from '../../lib/printable.js'
import type { Mismatch } from './policy.js'
import type { AttestationPolicy } from './types.js'

/** What one attestation showed: refused by Sigstore (its signature, certificate, log entry) or by the policy. */
export type AttestationOutcome =
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'mismatch'; readonly mismatches: readonly Mismatch[] }

/** Where the refusal names the image and the policy. */
export interface RefusalContext {
  readonly image: string
  readonly digest: string
  readonly policy: AttestationPolicy
}

/** No attestation of the digest in the repository: the build step that makes one. */
export function noAttestation(context: RefusalContext): ActionError {
  return new ActionError(
    `Refused to deploy ${context.image}@${context.digest}: ${context.policy.repository} has no attestation of this digest (verify-image: attestation).`,
    {
      hint: `Attest the image where it is built and pushed, in ${context.policy.repository}:\n${attestStep(context)}`,
    },
  )
}

/** Attestations exist, none passes: what each showed against what was expected. */
export function noneAccepted(context: RefusalContext, outcomes: readonly AttestationOutcome[]): ActionError {
  const lines = outcomes.map((outcome, index) => `- attestation ${index + 1}: ${describe(outcome)}`)
  const count = outcomes.length
  const onlyInvalid = outcomes.every((outcome) => outcome.kind === 'invalid')
  return new ActionError(
    [
      `Refused to deploy ${context.image}@${context.digest}: ${count === 1 ? 'its attestation does' : `none of its ${count} attestations does`} not pass verify-image: attestation.`,
      ...lines,
    ].join('\n'),
    { hint: onlyInvalid ? invalidHint(context) : policyHint(context) },
  )
}

function describe(outcome: AttestationOutcome): string {
  if (outcome.kind === 'invalid') return `its signature does not verify: ${printable(outcome.reason, 300)}`
  return outcome.mismatches
    .map(({ rule, expected, found }) => `${rule}: expected ${printable(expected)}, found ${printable(found)}`)
    .join('; ')
}

function policyHint(context: RefusalContext): string {
  const { signerWorkflow, sourceRef } = context.policy
  return [
    'Deploy an image built by the workflow the policy names, or change the policy: verify-repository',
    `(${context.policy.repository}), verify-signer-workflow (${signerWorkflow ?? 'any workflow of the repository'}) and verify-source-ref (${sourceRef ?? 'any ref'}).`,
    `The build job attests the pushed digest with:\n${attestStep(context)}`,
  ].join(' ')
}

function invalidHint(context: RefusalContext): string {
  return [
    "A bundle that does not verify was altered, or was signed by a Sigstore instance this step does not trust: a private repository's attestations",
    "are signed by GitHub's own instance; give its root with trusted-root (an earlier step: `gh attestation trusted-root > trusted_root.jsonl`).",
    `Otherwise rebuild and attest the image:\n${attestStep(context)}`,
  ].join(' ')
}

/** The build job's step, as actions/attest-build-provenance documents it for an image. */
function attestStep(context: RefusalContext): string {
  return [
    '  permissions: { id-token: write, attestations: write, contents: read }',
    '  - uses: actions/attest-build-provenance@v3',
    '    with:',
    `      subject-name: ${context.image}`,
    '      subject-digest: ${{ steps.push.outputs.digest }}   # the digest pushed',
  ].join('\n')
}

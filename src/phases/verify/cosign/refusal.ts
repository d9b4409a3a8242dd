import { ActionError } from '../../../lib/errors.js'
import { printable } from '../../../lib/printable.js'
import type { CosignPolicy, SignatureOutcome } from './check.js'

/** Where a cosign refusal names the image and what was expected. */
export interface CosignContext {
  /** `<registry>/<repository>`. */
  readonly image: string
  readonly digest: string
  readonly policy: CosignPolicy
  /** The chart's signature (verify-chart), not the image's: its words, and the command for its digest. */
  readonly isChart?: boolean
}

/** No signature of the digest where cosign stores them: the build step that makes one. */
export function noSignature(context: CosignContext, searched: readonly string[]): ActionError {
  return new ActionError(
    `Refused to deploy ${context.isChart === true ? 'the chart oci://' : ''}${context.image}@${context.digest}: no cosign signature of this digest (${context.isChart === true ? 'verify-chart' : 'verify-image'}: cosign; looked for ${searched.join(' and ')}).`,
    {
      hint: `Sign the pushed digest where the ${context.isChart === true ? 'chart is pushed (helm push prints it)' : 'image is built'}, with ${expected(context.policy)}:\n${signStep(context)}`,
    },
  )
}

/** Signatures exist, none passes: what each showed against what was expected. */
export function noneAccepted(context: CosignContext, outcomes: readonly SignatureOutcome[]): ActionError {
  const refused = outcomes.filter((outcome) => outcome.kind === 'refused')
  const lines = refused.map((outcome) => `- ${outcome.where}: ${printable(outcome.reason, 400)}`)
  const onlyOtherDigest = refused.every((outcome) => outcome.isOtherDigest)
  return new ActionError(
    [
      `Refused to deploy ${context.isChart === true ? 'the chart oci://' : ''}${context.image}@${context.digest}: ${refused.length === 1 ? 'its cosign signature does' : `none of its ${refused.length} cosign signatures does`} not pass ${context.isChart === true ? 'verify-chart' : 'verify-image'}: cosign (expected ${expected(context.policy)}).`,
      ...lines,
    ].join('\n'),
    {
      hint: onlyOtherDigest
        ? `The signature was made for another digest (a tag re-pushed after signing?): sign the digest that is deployed:\n${signStep(context)}`
        : `Sign the ${context.isChart === true ? 'chart' : 'image'} with what the policy expects, or change cosign-public-key / cosign-identity and cosign-issuer to the signer you trust:\n${signStep(context)}`,
    },
  )
}

function expected(policy: CosignPolicy): string {
  return policy.kind === 'key'
    ? `the key of cosign-public-key (${policy.fingerprint})`
    : `a keyless certificate for ${policy.identity} issued by ${policy.issuer}`
}

/** The build job's step, as cosign documents it for a pushed image. */
function signStep(context: CosignContext): string {
  // A chart's digest is known here (resolved from its tag): the command for exactly that one.
  const target =
    context.isChart === true
      ? `${context.image}@${context.digest}`
      : `${context.image}@\${{ steps.push.outputs.digest }}`
  return context.policy.kind === 'key'
    ? [
        '  - uses: sigstore/cosign-installer@v3',
        `  - run: cosign sign --yes --key env://COSIGN_PRIVATE_KEY ${target}`,
        '    env: { COSIGN_PRIVATE_KEY: "${{ secrets.COSIGN_PRIVATE_KEY }}", COSIGN_PASSWORD: "${{ secrets.COSIGN_PASSWORD }}" }',
      ].join('\n')
    : [
        '  permissions: { id-token: write, contents: read }   # the certificate names the workflow',
        '  - uses: sigstore/cosign-installer@v3',
        `  - run: cosign sign --yes ${target}`,
      ].join('\n')
}

import path from 'node:path'
import type { Inputs } from '../../inputs/types.js'
import { ActionError } from '../../lib/errors.js'
import type { VerifyParams } from './types.js'

/** What the plan knows of the image to verify (phase ecr-login's plan of it). */
interface PlannedImage {
  readonly repository: string
  readonly digest: string | undefined
  readonly shouldCheck: boolean
}

/**
 * verify-image: the parameters of the verification, or undefined when it is off. It needs the digest
 * that will be deployed: given (image-digest) or resolved by the image check (the ecr plan's image).
 */
export function planVerify(
  inputs: Inputs,
  _context: unknown,
  planned: { readonly ecr?: { readonly image: PlannedImage | undefined } | undefined },
): VerifyParams | undefined {
  const { imageVerify: verify, context, github } = inputs
  const image = planned.ecr?.image
  // A teardown deploys no image.
  if (verify.methods.length === 0 || inputs.teardown.shouldUninstall) return undefined
  if (image === undefined)
    throw new ActionError('verify-image verifies the image this run deploys, but the run names no image.', {
      hint: 'Add `ecr-repository: <repository>` (the image is then checked in ECR and its digest verified), or remove verify-image.',
    })
  if (image.digest === undefined && !image.shouldCheck)
    throw new ActionError('verify-image needs the digest of the image, which this run does not resolve.', {
      hint: "Keep require-image at its default 'auto' (or set it to true), or give image-digest: ${{ steps.build.outputs.digest }}.",
    })
  const trust = verify.trustedRoot
  const { cosign } = verify
  return {
    methods: verify.methods,
    cosign:
      cosign?.kind === 'key' && cosign.key.kind === 'file'
        ? { kind: 'key', key: { kind: 'file', path: path.resolve(context.workspace ?? '', cosign.key.path) } }
        : cosign,
    trust:
      trust === undefined
        ? {
            kind: 'public-good',
            cachePath: path.join(context.env.RUNNER_TOOL_CACHE ?? context.runnerTemp, 'sigstore-tuf'),
          }
        : { kind: 'file', path: path.resolve(context.workspace ?? '', trust) },
    policy: {
      repository: verify.repository ?? context.repository,
      serverUrl: context.serverUrl,
      signerWorkflow: verify.signerWorkflow,
      sourceRef: verify.sourceRef,
    },
    github: { apiUrl: context.apiUrl, token: github.token ?? '' },
    repositoryName: image.repository,
  }
}

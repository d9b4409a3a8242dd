import crypto from 'node:crypto'
import { promises as fs } from 'node:fs'
import { ActionError, messageOf } from '../../../lib/errors.js'
import { imageRepository, type ImageRef } from '../../../lib/image-ref.js'
import { printable } from '../../../lib/printable.js'
import type { Runtime } from '../../../runner/runtime.js'
import type { TrustedInstance } from '../trust.js'
import type { CosignParams, CosignVerified } from '../types.js'
import { checkSignature, type CosignPolicy, type SignatureOutcome } from './check.js'
import { noneAccepted, noSignature } from './refusal.js'
import { openRegistry, registryAuth } from '../../../lib/oci-registry.js'
import { findSignatures } from './signatures.js'

export interface CosignRun {
  readonly image: ImageRef & { readonly digest: string }
  readonly dockerConfigDir: string | undefined
  /** The trust material (keyless only). */
  readonly trust: Promise<readonly TrustedInstance[]>
  /** The chart's signature (verify-chart), read as helm reads the chart (http with --plain-http). */
  readonly chart?: { readonly scheme: 'https' | 'http' }
}

/**
 * The cosign signatures of the exact digest, read from the image's registry with the step's login,
 * each verified (signature, signer, digest) until one passes; none refuses the deploy before helm.
 */
export async function verifyCosign(
  params: CosignParams,
  run: CosignRun,
  runtime: Pick<Runtime, 'info' | 'setSecret'>,
): Promise<CosignVerified> {
  const { image } = run
  const policy = await loadPolicy(params)
  const registry = openRegistry(
    image.registry,
    image.name,
    await registryAuth(run.dockerConfigDir, image.registry),
    (secret) => {
      runtime.setSecret(secret)
    },
    { purpose: `${run.chart === undefined ? 'verify-image' : 'verify-chart'}: cosign`, ...run.chart },
  )
  const context = {
    image: imageRepository(image),
    digest: image.digest,
    policy,
    isChart: run.chart !== undefined,
  }
  const lookup = await findSignatures(registry, image.digest)
  if (lookup.candidates.length === 0) throw noSignature(context, lookup.searched)
  const count = lookup.candidates.length
  runtime.info(`${count} cosign signature${count > 1 ? 's' : ''} of ${image.digest} in ${registry.name}.`)
  const trust = policy.kind === 'keyless' ? await run.trust : []
  const outcomes: SignatureOutcome[] = []
  for (const candidate of lookup.candidates) {
    const outcome = checkSignature(candidate, policy, trust, image.digest)
    if (outcome.kind === 'accepted') {
      runtime.info(`Verified: cosign signature (${outcome.where}) by ${printable(outcome.signer)}.`)
      return { method: 'cosign', signer: outcome.signer, where: outcome.where }
    }
    outcomes.push(outcome)
  }
  throw noneAccepted(context, outcomes)
}

async function loadPolicy(params: CosignParams): Promise<CosignPolicy> {
  if (params.kind === 'keyless') return params
  let pem: string
  if (params.key.kind === 'pem') pem = params.key.pem
  else {
    try {
      pem = await fs.readFile(params.key.path, 'utf8')
    } catch (error) {
      throw new ActionError(`Could not read cosign-public-key ${params.key.path}: ${messageOf(error)}`, {
        hint: 'Give the PEM text of the public key (cosign.pub), or the path of that file in the workspace.',
      })
    }
  }
  let key: crypto.KeyObject
  try {
    key = crypto.createPublicKey(pem)
  } catch (error) {
    throw new ActionError(`cosign-public-key is not a PEM public key: ${messageOf(error)}`, {
      hint: 'Give cosign.pub as `cosign generate-key-pair` wrote it (-----BEGIN PUBLIC KEY-----).',
    })
  }
  const der = key.export({ type: 'spki', format: 'der' })
  const fingerprint = `SHA256:${crypto.createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`
  return { kind: 'key', key, fingerprint }
}

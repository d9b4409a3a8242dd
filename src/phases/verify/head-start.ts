import type { TrustedInstance } from './trust.js'
import type { VerifyParams } from './types.js'

/**
 * Loads the Sigstore libraries and the trust material with the step, before auth: neither needs AWS
 * nor the image's digest. Loaded only when verify-image is set; a failure is the phase's, in its turn.
 */
export function startVerify(params: VerifyParams): Promise<readonly TrustedInstance[]> {
  // A cosign key needs no Sigstore instance: nothing to load, no call to TUF.
  const methods = [...params.methods, ...(params.chart?.methods ?? [])]
  if (!methods.includes('attestation') && params.cosign?.kind !== 'keyless') return Promise.resolve([])
  const trust = import('./trust.js').then((module) => module.loadTrust(params.trust))
  trust.catch(() => undefined)
  return trust
}

import type { Inputs } from '../inputs/types.js'
import { maskGivenValues, maskSecrets, type Masker } from '../lib/masking.js'

/**
 * The inputs that are secrets, registered with the runner's masker before anything can print them:
 * github-token, and every set-string value (secrets by the way they are given: a chart's password or
 * API key), long enough to be one.
 */
export function maskSecretInputs(inputs: Inputs, masker: Masker): void {
  maskSecrets(masker, inputs.github.token)
  maskGivenValues(
    masker,
    inputs.deploy.setString.map(({ value }) => value),
  )
}

import type { Inputs } from '../inputs/types.js'
import { SECRET_INPUTS, type ReadInput } from '../inputs/problems.js'
import { maskGivenValues, maskSecrets, type Masker } from '../lib/masking.js'

/**
 * The secret inputs as given, registered before they are read and validated: a value refused as
 * invalid is quoted nowhere, yet a message about it (or a reader's error) cannot show it either.
 * Each line too, since the runner masks line by line.
 */
export function maskRawSecretInputs(read: ReadInput, masker: Masker): void {
  for (const name of SECRET_INPUTS) {
    const raw = read(name)
    const lines = raw.split(/\r?\n|\r/).map((line) => line.trim())
    maskSecrets(masker, ...new Set([raw, raw.trim(), ...lines]))
  }
}

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

import type { PhaseDeps } from '../phase.js'
import type { EcrParams } from './types.js'

/** Said with the step, before any AWS call: the tag the plan derived, and from what. */
export function startEcr(params: EcrParams, deps: Pick<PhaseDeps, 'runtime'>): void {
  const { image } = params
  if (image !== undefined) deps.runtime.info(`Image tag ${image.tag.tag}: ${image.tag.origin}.`)
}

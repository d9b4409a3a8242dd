import { imageReference, taggedImageReference } from '../../lib/image-ref.js'
import type { PhaseReport, SummaryRow } from '../phase.js'
import { countsLine } from './scan-severity.js'
import type { EcrResult } from './types.js'

/** Phase ecr-login's (and the image check's) outputs, summary and exported variables, as the phase table holds them. */
export const ecrReport: PhaseReport<EcrResult> = { outputsOf, summaryRows, exportedEnv }

/** Phase ecr-login's (and the image check's) step outputs, by name as declared in action.yml. */
function outputsOf(ecr: EcrResult): Record<string, string> {
  const outputs: Record<string, string> = {}
  if (ecr.registry !== undefined) outputs.registry = ecr.registry
  if (ecr.image !== undefined) {
    outputs.image = imageReference(ecr.image)
    outputs['image-tag'] = ecr.image.tag
    if (ecr.image.digest !== undefined) outputs['image-digest'] = ecr.image.digest
  }
  if (ecr.dockerConfigDir !== undefined) outputs['docker-config'] = ecr.dockerConfigDir
  if (ecr.scan !== undefined) {
    const { threshold, scanType, counts, completedAt } = ecr.scan
    outputs['image-scan-findings'] = JSON.stringify({ threshold, scanType, completedAt, counts })
  }
  return outputs
}

/** Phase ecr-login's rows of the job summary's table. */
function summaryRows(ecr: EcrResult): SummaryRow[] {
  const rows: SummaryRow[] = []
  const registries = ecr.loggedIn.length > 0 ? ecr.loggedIn : ecr.registry === undefined ? [] : [ecr.registry]
  if (registries.length > 0)
    rows.push([ecr.loggedIn.length > 0 ? 'Registry login' : 'Registry', [registries.join(', ')]])
  if (ecr.image !== undefined) {
    const { image } = ecr
    rows.push(['Image', [{ code: taggedImageReference({ ...image, digest: undefined }) }]])
    if (image.digest !== undefined) rows.push(['Image digest', [{ code: image.digest }]])
  }
  if (ecr.scan !== undefined)
    rows.push([
      'Image scan',
      [
        `no finding at or above ${ecr.scan.threshold} (ECR ${ecr.scan.scanType} scan: ${countsLine(ecr.scan.counts)})`,
      ],
    ])
  return rows
}

/** DOCKER_CONFIG for the job's later steps, when the login wrote a config of its own. */
function exportedEnv(ecr: EcrResult): Record<string, string> {
  return ecr.dockerConfigDir === undefined ? {} : { DOCKER_CONFIG: ecr.dockerConfigDir }
}

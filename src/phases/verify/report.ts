import type { PhaseReport, SummaryRow } from '../phase.js'
import type { VerifyResult } from './types.js'

/** verify-image's outputs and summary, as the phase table holds them. */
export const verifyReport: PhaseReport<VerifyResult> = { outputsOf, summaryRows }

/** Output image-verified: what the deployed digest proved, by which rule. */
function outputsOf(verify: VerifyResult): Record<string, string> {
  const { build } = verify
  return {
    'image-verified': `${build.method}: built by ${build.signerWorkflow} from ${build.repository} at ${build.commit ?? 'an unnamed commit'}`,
  }
}

/** The job summary's rows: the build the attestation proves. */
function summaryRows(verify: VerifyResult): SummaryRow[] {
  const { build } = verify
  const rows: SummaryRow[] = [
    [
      'Image verified',
      ['SLSA build provenance (GitHub attestation, Sigstore) by ', { code: build.signerWorkflow }],
    ],
    [
      'Built from',
      [
        `${build.repository} at `,
        { code: build.commit ?? '' },
        build.ref === undefined ? '' : ` (${build.ref})`,
      ],
    ],
  ]
  if (build.run !== undefined) rows.push(['Build run', [build.run]])
  return rows
}

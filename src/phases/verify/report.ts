import type { SummaryRow } from '../phase.js'
import type { VerifyResult } from './types.js'

/** Output image-verified: what the deployed digest proved, by which rule. */
export function outputsOf(verify: VerifyResult): Record<string, string> {
  const { build } = verify
  return {
    'image-verified': `${build.method}: built by ${build.signerWorkflow} from ${build.repository} at ${build.commit ?? 'an unnamed commit'}`,
  }
}

/** The job summary's rows: the build the attestation proves. */
export function summaryRows(verify: VerifyResult): SummaryRow[] {
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

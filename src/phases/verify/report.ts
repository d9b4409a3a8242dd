import type { PhaseReport, SummaryRow } from '../phase.js'
import type { VerifyResult } from './types.js'

/** verify-image's outputs and summary, as the phase table holds them. */
export const verifyReport: PhaseReport<VerifyResult> = { outputsOf, summaryRows }

/** Output image-verified: what the deployed digest proved, by which rule (one line per method). */
function outputsOf(verify: VerifyResult): Record<string, string> {
  const { build, signature } = verify
  const lines = [
    ...(build === undefined
      ? []
      : [
          `${build.method}: built by ${build.signerWorkflow} from ${build.repository} at ${build.commit ?? 'an unnamed commit'}`,
        ]),
    ...(signature === undefined ? [] : [`${signature.method}: signed by ${signature.signer}`]),
  ]
  return { 'image-verified': lines.join('\n') }
}

/** The job summary's rows: the build the attestation proves, the cosign signer. */
function summaryRows(verify: VerifyResult): SummaryRow[] {
  const { build, signature } = verify
  const rows: SummaryRow[] = []
  if (build !== undefined) {
    rows.push(
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
    )
    if (build.run !== undefined) rows.push(['Build run', [build.run]])
  }
  if (signature !== undefined)
    rows.push(['Image signed', ['cosign signature by ', { code: signature.signer }, ` (${signature.where})`]])
  const { chart } = verify
  if (chart?.signature !== undefined)
    rows.push([
      'Chart signed',
      [
        { code: chart.digest },
        ': cosign signature by ',
        { code: chart.signature.signer },
        ` (${chart.signature.where})`,
      ],
    ])
  if (chart?.build !== undefined)
    rows.push([
      'Chart verified',
      [{ code: chart.digest }, ': SLSA build provenance by ', { code: chart.build.signerWorkflow }],
    ])
  return rows
}

/**
 * What the GitHub Deployment's status says of the image (its description has 140 characters):
 * `image attested by build.yml at c0ffee0`, `image signed (cosign)`. Undefined when nothing was verified.
 */
export function verifiedStatus(verify: VerifyResult | undefined): string | undefined {
  const parts = [
    ...(verify?.build === undefined
      ? []
      : [
          `image attested by ${/\/workflows\/([^@]+)/.exec(verify.build.signerWorkflow)?.[1] ?? verify.build.signerWorkflow}${
            verify.build.commit === undefined ? '' : ` at ${verify.build.commit.slice(0, 7)}`
          }`,
        ]),
    ...(verify?.signature === undefined ? [] : ['image signed (cosign)']),
    ...(verify?.chart === undefined ? [] : ['chart verified']),
  ]
  return parts.length === 0 ? undefined : parts.join(', ')
}

import path from 'node:path'
import type { Inputs } from '../../inputs/types.js'
import { ActionError } from '../../lib/errors.js'
import { isExactVersion, parseOciChart } from '../../lib/oci-chart.js'
import type { ChartVerifyParams, VerifyParams } from './types.js'

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
  if ((verify.methods.length === 0 && verify.chartMethods.length === 0) || inputs.teardown.shouldUninstall)
    return undefined
  const chart = planChart(inputs)
  if (verify.methods.length > 0) checkImage(image)
  const trust = verify.trustedRoot
  const { cosign } = verify
  return {
    methods: verify.methods,
    chart,
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
    repositoryName: image?.repository ?? '',
  }
}

function checkImage(image: PlannedImage | undefined): void {
  if (image === undefined)
    throw new ActionError('verify-image verifies the image this run deploys, but the run names no image.', {
      hint: 'Add `ecr-repository: <repository>` (the image is then checked in ECR and its digest verified), or remove verify-image.',
    })
  if (image.digest === undefined && !image.shouldCheck)
    throw new ActionError('verify-image needs the digest of the image, which this run does not resolve.', {
      hint: "Keep require-image at its default 'auto' (or set it to true), or give image-digest: ${{ steps.build.outputs.digest }}.",
    })
}

/** verify-chart: an oci:// chart of one version (a range would let helm pick another than the one verified). */
function planChart(inputs: Inputs): ChartVerifyParams | undefined {
  const { imageVerify, deploy, context } = inputs
  if (imageVerify.chartMethods.length === 0) return undefined
  const { chart, chartVersion } = deploy
  if (chart?.kind !== 'oci')
    throw new ActionError(
      `verify-chart verifies a chart from an OCI registry (chart: oci://...), but ${chart === undefined ? 'the run names no chart' : 'chart is not one'}.`,
      {
        hint: 'Push the chart to a registry (helm push) and give chart: oci://<registry>/<repository>, or remove verify-chart (a chart from a repository is verified with its .prov file).',
      },
    )
  if (!isExactVersion(parseOciChart(chart.ref), chartVersion))
    throw new ActionError(
      `verify-chart needs one version of the chart, but chart-version ${chartVersion ?? ''} is a range: helm could deploy another version than the one verified.`,
      {
        hint: 'Give chart-version one version (1.4.2), or the tag in chart (oci://...:1.4.2), or its digest (oci://...@sha256:...).',
      },
    )
  return {
    ref: chart.ref,
    version: chartVersion,
    methods: imageVerify.chartMethods,
    helmArgs: deploy.helmArgs,
    jobEnv: context.env,
  }
}

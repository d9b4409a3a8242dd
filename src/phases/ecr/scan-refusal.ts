import { ActionError } from '../../lib/errors.js'
import { printable } from '../../lib/printable.js'
import {
  countsLine,
  describeFinding,
  type ScanContext,
  type ScanFinding,
  type ScanVerdict,
} from './scan-severity.js'

// The refusals of fail-on-severity: what ECR's scan showed, why the deploy stops, how to go on.

const LISTED_FINDINGS = 10

/** Findings at or above the threshold: the most severe of them, the counts, and the way forward. */
export function findingsRefused(
  context: ScanContext,
  verdict: ScanVerdict,
  blocking: readonly ScanFinding[],
  blockingCount: number,
): ActionError {
  const { threshold } = verdict
  const listed = blocking.slice(0, LISTED_FINDINGS).map((finding) => `  ${describeFinding(finding)}`)
  const more = blockingCount - listed.length
  return new ActionError(
    [
      `Refused to deploy ${context.image}: ECR's ${verdict.scanType} scan found ${blockingCount} finding${blockingCount === 1 ? '' : 's'} at or above ${threshold} (fail-on-severity).`,
      `  findings: ${countsLine(verdict.counts)}`,
      ...listed,
      ...(more > 0 ? [`  ... and ${more} more at or above ${threshold}: ${findingsCommand(context)}`] : []),
    ].join('\n'),
    {
      hint: `Rebuild the image with the fixed package versions (or a patched base image) and deploy its digest; or, for findings you accept, set fail-on-severity above ${threshold} (the severities are CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED).`,
    },
  )
}

/** ECR never scanned this digest (ScanNotFoundException). */
export function scanNotFound(context: ScanContext, cause: unknown): ActionError {
  return new ActionError(
    `Refused to deploy ${context.image}: ECR has no scan of this digest, so fail-on-severity cannot vouch for it.`,
    {
      cause,
      hint: [
        `Turn on scan on push for the repository (aws ecr put-image-scanning-configuration --repository-name ${context.params.repository} --image-scanning-configuration scanOnPush=true --region ${context.params.location.region}, or enhanced scanning for the registry) and push the image again,`,
        `or scan this image now (aws ecr start-image-scan ${imageArgs(context)}); then re-run the job when the scan is complete.`,
      ].join(' '),
    },
  )
}

/** A scan that has not finished, failed, or cannot read this image. */
export function scanNotReady(
  context: ScanContext,
  status: string,
  description: string | undefined,
): ActionError {
  const said = description === undefined ? '' : `: ${printable(description)}`
  return new ActionError(
    `Refused to deploy ${context.image}: ECR's scan of this digest is ${printable(status, 40)}${said}, so fail-on-severity cannot vouch for it.`,
    { hint: notReadyHint(context, status) },
  )
}

function notReadyHint(context: ScanContext, status: string): string {
  switch (status) {
    case 'IN_PROGRESS':
    case 'PENDING':
      return 'The scan is still running (a basic scan takes a minute or two after the push): re-run the job when it completes, or let the build job wait for it (aws ecr wait image-scan-complete).'
    case 'UNSUPPORTED_IMAGE':
      return "ECR's scanner does not support this image (its OS or format): deploy without fail-on-severity, or scan it in the build job with a scanner that does."
    case 'SCAN_ELIGIBILITY_EXPIRED':
      return "Enhanced scanning stopped rescanning this image (the registry's scan duration passed): push it again, or lengthen the duration in the registry's scanning configuration."
    default:
      return `Scan the image again (aws ecr start-image-scan ${imageArgs(context)}) and re-run the job when the scan is complete.`
  }
}

function findingsCommand(context: ScanContext): string {
  return `aws ecr describe-image-scan-findings ${imageArgs(context)}`
}

function imageArgs({ params }: ScanContext): string {
  const registry =
    params.location.accountId === undefined ? '' : ` --registry-id ${params.location.accountId}`
  return `--repository-name ${params.repository} --image-id imageDigest=${params.digest} --region ${params.location.region}${registry}`
}

import {
  DescribeImageScanFindingsCommand,
  type DescribeImageScanFindingsResponse,
  type ECRClient,
  type EnhancedImageScanFinding,
  type ImageScanFinding,
} from '@aws-sdk/client-ecr'
import type { ScanSeverity } from '../../inputs/types.js'
import type { Logger } from '../../runner/runtime.js'
import { explainEcrError } from './errors.js'
import { findingsRefused, scanNotFound, scanNotReady } from './scan-refusal.js'
import {
  countsLine,
  describeFinding,
  rankOf,
  type ScanContext,
  type ScanFinding,
  type ScanParams,
  type ScanVerdict,
} from './scan-severity.js'

// One page holds up to 1000 findings; an image with more than 20 000 has its counts read from the
// first page (ECR counts them all there) and its list cut.
const PAGE_SIZE = 1000
const MAX_PAGES = 20
const LOGGED_FINDINGS = 10

type Ecr = Pick<ECRClient, 'send'>

// ECR's scan states with findings to read: COMPLETE (basic), ACTIVE (enhanced, scanned continuously).
// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageScanStatus.html
const READY = new Set(['COMPLETE', 'ACTIVE'])

/**
 * fail-on-severity: the ECR scan findings of the exact digest that will be deployed
 * (DescribeImageScanFindings, every page), refused when any is at or above the threshold, and when
 * there is no finished scan to read (a deploy the policy cannot vouch for is not let through).
 */
export async function checkScanFindings(params: ScanParams, ecr: Ecr, runtime: Logger): Promise<ScanVerdict> {
  const context: ScanContext = { image: `${params.repository}@${params.digest}`, params }
  const pages = await readPages(params, ecr, context)
  const first = pages[0]
  const status = first?.imageScanStatus?.status ?? 'UNKNOWN'
  if (!READY.has(status)) throw scanNotReady(context, status, first?.imageScanStatus?.description)
  const findings = pages.flatMap(findingsOf)
  const scanType = pages.some((page) => (page.imageScanFindings?.enhancedFindings?.length ?? 0) > 0)
    ? 'enhanced'
    : status === 'ACTIVE'
      ? 'enhanced'
      : 'basic'
  const counts = countsOf(first, findings)
  const verdict: ScanVerdict = {
    threshold: params.threshold,
    scanType,
    counts,
    completedAt: first?.imageScanFindings?.imageScanCompletedAt?.toISOString(),
  }
  const blocking = findings.filter((finding) => isAtOrAbove(finding.severity, params.threshold))
  const blockingCount = Object.entries(counts)
    .filter(([severity]) => isAtOrAbove(severity, params.threshold))
    .reduce((sum, [, count]) => sum + count, 0)
  if (blockingCount > 0) throw findingsRefused(context, verdict, bySeverity(blocking), blockingCount)
  runtime.info(`ECR's ${scanType} scan of ${context.image}: ${countsLine(counts)}.`)
  runtime.info(`No finding at or above ${params.threshold} (fail-on-severity).`)
  for (const finding of bySeverity(findings).slice(0, LOGGED_FINDINGS))
    runtime.info(`  ${describeFinding(finding)}`)
  return verdict
}

async function readPages(
  params: ScanParams,
  ecr: Ecr,
  context: ScanContext,
): Promise<DescribeImageScanFindingsResponse[]> {
  const pages: DescribeImageScanFindingsResponse[] = []
  let nextToken: string | undefined
  do {
    const page = await describeFindings(params, ecr, nextToken, context)
    pages.push(page)
    nextToken = page.nextToken
  } while (nextToken !== undefined && pages.length < MAX_PAGES)
  return pages
}

async function describeFindings(
  params: ScanParams,
  ecr: Ecr,
  nextToken: string | undefined,
  context: ScanContext,
): Promise<DescribeImageScanFindingsResponse> {
  try {
    return await ecr.send(
      new DescribeImageScanFindingsCommand({
        repositoryName: params.repository,
        imageId: { imageDigest: params.digest },
        maxResults: PAGE_SIZE,
        ...(params.location.accountId === undefined ? {} : { registryId: params.location.accountId }),
        ...(nextToken === undefined ? {} : { nextToken }),
      }),
    )
  } catch (error) {
    const name = error instanceof Error ? error.name : ''
    if (name === 'ScanNotFoundException') throw scanNotFound(context, error)
    const facts = `repository ${params.repository}, ${params.digest}, region ${params.location.region}`
    throw explainEcrError(error, 'DescribeImageScanFindings', facts)
  }
}

function findingsOf(page: DescribeImageScanFindingsResponse): ScanFinding[] {
  const found = page.imageScanFindings
  return [
    ...(found?.findings ?? []).map(basicFinding),
    ...(found?.enhancedFindings ?? []).map(enhancedFinding),
  ]
}

function basicFinding(finding: ImageScanFinding): ScanFinding {
  const attribute = (key: string) => finding.attributes?.find((item) => item.key === key)?.value
  const name = attribute('package_name')
  const version = attribute('package_version')
  return {
    severity: finding.severity ?? 'UNDEFINED',
    name: finding.name ?? '(unnamed)',
    packages: name === undefined ? [] : [[name, version].filter(Boolean).join(' ')],
    uri: finding.uri,
  }
}

function enhancedFinding(finding: EnhancedImageScanFinding): ScanFinding {
  const details = finding.packageVulnerabilityDetails
  return {
    severity: finding.severity ?? 'UNTRIAGED',
    name: details?.vulnerabilityId ?? finding.title ?? finding.findingArn ?? '(unnamed)',
    packages: (details?.vulnerablePackages ?? []).map((item) =>
      [item.name, item.version].filter(Boolean).join(' '),
    ),
    uri: details?.sourceUrl ?? details?.referenceUrls?.[0],
  }
}

/** ECR's counts (of every finding, every page); counted from the findings when it gave none. */
function countsOf(
  first: DescribeImageScanFindingsResponse | undefined,
  findings: readonly ScanFinding[],
): Record<string, number> {
  const given = first?.imageScanFindings?.findingSeverityCounts
  if (given !== undefined && Object.keys(given).length > 0) return { ...given }
  const counts: Record<string, number> = {}
  for (const finding of findings) counts[finding.severity] = (counts[finding.severity] ?? 0) + 1
  return counts
}

function isAtOrAbove(severity: string, threshold: ScanSeverity): boolean {
  return rankOf(severity) <= rankOf(threshold)
}

function bySeverity(findings: readonly ScanFinding[]): ScanFinding[] {
  return [...findings].sort((a, b) => rankOf(a.severity) - rankOf(b.severity) || a.name.localeCompare(b.name))
}

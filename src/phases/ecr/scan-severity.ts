import { SCAN_SEVERITIES, type ScanSeverity } from '../../inputs/types.js'
import { printable } from '../../lib/printable.js'
import type { RegistryLocation } from './registry.js'

// The shapes of the scan findings check (scan-findings.ts) and how its log and refusal write them.

/** One finding of either scan, as the refusal and the log name it. */
export interface ScanFinding {
  readonly severity: string
  /** The CVE (or the scanner's name for the finding). */
  readonly name: string
  /** Enhanced scanning's vulnerable packages, `name version` each. */
  readonly packages: readonly string[]
  readonly uri: string | undefined
}

/** What ECR's scan of the digest found: none at or above the threshold, or the deploy was refused. */
export interface ScanVerdict {
  readonly threshold: ScanSeverity
  /** basic: ECR's own scan; enhanced: Amazon Inspector's. */
  readonly scanType: 'basic' | 'enhanced'
  /** Findings per severity (ECR's findingSeverityCounts). */
  readonly counts: Readonly<Record<string, number>>
  readonly completedAt: string | undefined
}

export interface ScanParams {
  readonly repository: string
  readonly digest: string
  readonly location: RegistryLocation
  readonly threshold: ScanSeverity
}

/** Where the refusal names the image. */
export interface ScanContext {
  readonly image: string
  readonly params: ScanParams
}

/** The rank of a severity, 0 most severe; enhanced scanning's UNTRIAGED and anything unknown rank as UNDEFINED. */
export function rankOf(severity: string): number {
  const rank = SCAN_SEVERITIES.indexOf(severity.toUpperCase() as ScanSeverity)
  return rank === -1 ? SCAN_SEVERITIES.indexOf('UNDEFINED') : rank
}

/** `CRITICAL 1, HIGH 2`, most severe first; `no findings` when empty. */
export function countsLine(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => rankOf(a) - rankOf(b))
  return entries.length === 0
    ? 'no findings'
    : entries.map(([severity, count]) => `${printable(severity, 20)} ${count}`).join(', ')
}

/** `HIGH CVE-2023-1234 openssl 3.0.2 https://...`: from AWS, so made printable. */
export function describeFinding(finding: ScanFinding): string {
  const parts = [finding.severity, finding.name, finding.packages.join(', '), finding.uri ?? '']
  return printable(parts.filter((part) => part !== '').join(' '), 300)
}

import { escapeMarkdown } from '../../../lib/markdown-text.js'
import type { Verification, VerifyAftermath } from './types.js'

const MARKS = {
  passed: '✅ passed',
  failed: '❌ failed',
  skipped: '⏭️ skipped',
  cancelled: '⏹️ cancelled',
} as const

/** The release after verification, in a few words (summary row and section). */
export function aftermathText(verification: Verification): string {
  const texts: Record<VerifyAftermath, string> = {
    kept: 'kept',
    'rolled-back': `rolled back to revision ${verification.rolledBackTo ?? '?'}`,
    uninstalled: 'first install uninstalled (verify-rollback: uninstall)',
    'kept-as-asked': 'kept deployed (verify-rollback: false)',
    'kept-first-install': 'kept deployed: a first install has no revision to roll back to',
    'kept-cancelled': 'kept deployed, unverified: the job was cancelled',
    'rollback-failed': 'the rollback failed',
  }
  return texts[verification.aftermath]
}

/**
 * The job summary's (and the pull-request comment's) table of the checks: each one's result, time and
 * what it saw; a failed test pod's log in a collapsed block. Every outside text is escaped.
 */
export function verificationMarkdown(verification: Verification): string {
  const lines = [
    `#### Verification of revision ${verification.revision}: ${verification.isVerified ? 'passed' : 'failed'}`,
    '',
    '| Check | Result | Time | Detail |',
    '| --- | --- | --- | --- |',
    ...verification.checks.map(
      (check) =>
        `| ${escapeMarkdown(check.name)} | ${MARKS[check.status]} | ${check.seconds} s | ${escapeMarkdown(check.detail)} |`,
    ),
    '',
    `Release: ${escapeMarkdown(aftermathText(verification))}.`,
  ]
  for (const log of verification.testLogs) {
    lines.push(
      '',
      `<details><summary>${escapeMarkdown(`Log of test pod ${log.pod}, container ${log.container}`)}</summary>`,
      '',
      `<pre>${escapeMarkdown(log.lines.join('\n'))}</pre>`,
      '</details>',
    )
  }
  return `${lines.join('\n')}\n`
}

/** One check of the verification after a rollout, as the outputs, the summary and the log show it. */
export interface CheckResult {
  readonly kind: 'helm-test' | 'http' | 'alarms'
  /** `helm test`, `GET https://shop.example.com/health?token=***`, `alarms api-prod-*`. */
  readonly name: string
  /** skipped: an earlier check failed (or the budget ran out) before it started. */
  readonly status: 'passed' | 'failed' | 'skipped' | 'cancelled'
  readonly seconds: number
  /** What it saw: `200 after 3 tries`, `2 alarms OK for 5 min`, `pod demo-smoke-test: Error (exit 1)`. */
  readonly detail: string
}

/** What became of a release that failed verification. */
export type VerifyAftermath =
  | 'kept'
  | 'rolled-back'
  | 'uninstalled'
  /** verify-rollback: false. */
  | 'kept-as-asked'
  /** A first install: nothing to roll back to (verify-rollback: uninstall removes it). */
  | 'kept-first-install'
  /** The job was cancelled during verification: the release stays as deployed. */
  | 'kept-cancelled'
  | 'rollback-failed'

/** A test pod's log, for the diagnosis of a failed helm test. */
export interface TestPodLog {
  readonly pod: string
  readonly container: string
  readonly lines: readonly string[]
}

export interface Verification {
  readonly checks: readonly CheckResult[]
  /** Every check passed. */
  readonly isVerified: boolean
  /** Why verification failed, in one line; undefined when it passed. */
  readonly failureReason: string | undefined
  readonly aftermath: VerifyAftermath
  /** The revision that was verified. */
  readonly revision: number
  /** helm rollback's target, when it rolled back. */
  readonly rolledBackTo: number | undefined
  readonly testLogs: readonly TestPodLog[]
}

import type { GitHubReporter } from '../github/reporter.js'
import type { AccountHider } from '../lib/masking.js'
import type { Publisher } from '../runner/runtime.js'
import { collectExportedEnv, collectOutputs } from './outputs.js'
import type { RunReport } from './results.js'
import { renderSummary } from './summary.js'
import { checksLine, dryRunOutcome } from '../phases/deploy/report.js'
import { verifiedStatus } from '../phases/verify/report.js'
import { recordOfRun } from './deploy-record.js'
import { recordMarkdown } from '../record/record.js'

export interface PublishDeps {
  readonly runtime: Publisher
  readonly accounts: Pick<AccountHider, 'hide'>
  /** Reports to GitHub, when the plan asked for any. */
  readonly github: Pick<GitHubReporter, 'finish' | 'comment' | 'checkRun'> | undefined
  /** The clock (the deploy record's end when the deploy phase did not run). */
  readonly now?: () => number
}

/**
 * The one place that writes what a run tells: the deployment's final status, the step's outputs and
 * the variables for later steps (of the phases that ran), the job summary (every run, failed or not),
 * and the same summary as the pull request's comment.
 */
export async function publishRun(report: RunReport, deps: PublishDeps): Promise<void> {
  const { runtime } = deps
  // The Deployment's status: what the image proved, the checks after the rollout, then the outcome.
  const checks = [verifiedStatus(report.results?.verify), checksLine(report.results?.deploy)].filter(
    (part) => part !== undefined,
  )
  const github = await deps.github?.finish(
    report.failure?.message,
    checks.length === 0 ? undefined : checks.join(', '),
  )
  const reported = report.results === undefined ? undefined : { ...report.results, github }
  const record = await recordOfRun(
    report.record,
    { results: reported, spans: report.spans, failure: report.failure?.message },
    deps.now?.() ?? Date.now(),
  )
  const results = reported && { ...reported, record }
  if (results !== undefined) {
    for (const [name, value] of Object.entries(collectOutputs(results))) runtime.setOutput(name, value)
    for (const [name, value] of Object.entries(collectExportedEnv(results)))
      runtime.exportVariable(name, value)
  }
  // The runner masks the log, not the summary file (nor a comment): what other programs wrote is redacted here.
  const markdown = renderSummary(
    { ...report, results },
    { hide: (text) => runtime.redact(deps.accounts.hide(text)) },
  )
  const recorded = record === undefined ? '' : `\n${recordMarkdown(record)}`
  await runtime.appendSummary(`${markdown}${runtime.redact(deps.accounts.hide(recorded))}`)
  await deps.github?.comment(markdown)
  const deploy = report.results?.deploy
  const dryRun = deploy === undefined ? undefined : dryRunOutcome(deploy, report.failure?.message)
  if (dryRun !== undefined)
    await deps.github?.checkRun({
      ...dryRun,
      changesMarkdown: runtime.redact(deps.accounts.hide(dryRun.changesMarkdown)),
    })
}

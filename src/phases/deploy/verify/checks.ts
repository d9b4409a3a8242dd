import type { HelmCli } from '../../../helm/cli.js'
import type { VerifyInputs } from '../../../inputs/types.js'
import type { KubeApi } from '../../../kube/kube-api.js'
import type { PhaseDeps } from '../../phase.js'
import { bakeAlarms, type AlarmReader } from './alarms.js'
import { runHelmTest } from './helm-test.js'
import { checkUrl, type HttpFetch } from './http-check.js'
import type { CheckResult, TestPodLog } from './types.js'

/** HTTP checks retry within this window at most (less when the budget ends sooner). */
const HTTP_WINDOW_MS = 120_000

export interface ChecksDeps {
  readonly helm: HelmCli
  readonly connectKube: () => Promise<KubeApi>
  /** CloudWatch, loaded only when verify-alarms is given. */
  readonly alarmReader: () => Promise<AlarmReader>
  readonly fetch: HttpFetch
  readonly record: PhaseDeps['record']
}

interface CheckTarget {
  readonly release: string
  readonly namespace: string
  readonly logLines: number
}

type Pending = Omit<CheckResult, 'seconds'>

/**
 * helm test, then the HTTP checks (together), then the alarms over the bake: each within what is left
 * of the one budget, each on the timeline; after a failure the rest are skipped.
 */
export async function runChecks(
  verify: VerifyInputs,
  target: CheckTarget,
  deps: ChecksDeps,
  control: { readonly signal: AbortSignal; readonly deadlineMs: number },
): Promise<{ readonly checks: CheckResult[]; readonly logs: readonly TestPodLog[] }> {
  const { runtime } = deps.helm
  const checks: CheckResult[] = []
  let logs: readonly TestPodLog[] = []
  const hasFailed = (): boolean => checks.some((check) => check.status !== 'passed') || control.signal.aborted
  const timed = async (label: string, work: () => Promise<Pending>): Promise<CheckResult> => {
    const startMs = runtime.now()
    const result = await work()
    const endMs = runtime.now()
    deps.record({ name: `verify: ${label}`, startMs, endMs, isFailed: result.status !== 'passed' })
    const check = { ...result, seconds: Math.round((endMs - startMs) / 100) / 10 }
    runtime.info(
      `${check.status === 'passed' ? 'Passed' : 'FAILED'}: ${check.name} (${check.seconds} s): ${check.detail}`,
    )
    return check
  }
  const skip = (result: Pending): CheckResult => ({
    ...result,
    status: 'skipped',
    seconds: 0,
    detail: 'not run: verification had already failed',
  })
  if (verify.isHelmTest) {
    checks.push(
      await timed('helm test', async () => {
        const ran = await runHelmTest(
          deps.helm,
          { ...target, timeoutSeconds: Math.floor((control.deadlineMs - runtime.now()) / 1000) },
          { connectKube: deps.connectKube, signal: control.signal },
        )
        logs = ran.logs
        return ran.result
      }),
    )
  }
  const urlChecks = verify.urls.map((url) => ({ kind: 'http', name: `GET ${url.shownUrl}`, url }) as const)
  if (hasFailed()) checks.push(...urlChecks.map((check) => skip({ ...check, status: 'skipped', detail: '' })))
  else {
    const windowEndMs = Math.min(control.deadlineMs, runtime.now() + HTTP_WINDOW_MS)
    const httpDeps = { fetch: deps.fetch, runtime, signal: control.signal }
    checks.push(
      ...(await Promise.all(
        urlChecks.map((check) => timed(check.name, () => checkUrl(check.url, windowEndMs, httpDeps))),
      )),
    )
  }
  if (verify.alarms.length > 0) {
    const name = `alarms ${verify.alarms.map((s) => (s.kind === 'name' ? s.name : `${s.prefix}*`)).join(', ')}`
    if (hasFailed()) checks.push(skip({ kind: 'alarms', name, status: 'skipped', detail: '' }))
    else {
      const readAlarms = await deps.alarmReader()
      checks.push(
        await timed('bake', () =>
          bakeAlarms(verify.alarms, verify.bakeSeconds * 1000, {
            readAlarms,
            runtime,
            signal: control.signal,
          }),
        ),
      )
    }
  }
  return { checks, logs }
}

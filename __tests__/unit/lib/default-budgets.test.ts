import { DEFAULT_AWS_TIMEOUTS, requestHandlerOptions } from '../../../src/lib/aws-deadline.js'
import { DEFAULT_RETRY_POLICY } from '../../../src/lib/retry.js'
import { ID_TOKEN_TIMEOUT_MS } from '../../../src/phases/auth/oidc.js'
import { DEFAULT_HELM_TIMEOUTS } from '../../../src/helm/cli.js'
import { DEFAULT_DOWNLOAD_BUDGET } from '../../../src/helm/install.js'
import { KILL_GRACE_MS } from '../../../src/runner/spawn.js'

/**
 * "No AWS call may keep the step past 90 s, the helm download past 2 minutes": the default budgets,
 * checked as arithmetic (the tests of the mechanisms run them with short injected budgets).
 */
describe('the default time budgets', () => {
  const SDK_ATTEMPTS = 3

  test('an AWS call: its SDK attempts fit in the call budget, and the call in 90 s', () => {
    const { attemptMs, callMs, connectMs } = DEFAULT_AWS_TIMEOUTS
    expect(connectMs).toBeLessThanOrEqual(attemptMs)
    expect(SDK_ATTEMPTS * attemptMs).toBeLessThan(callMs)
    expect(callMs).toBeLessThan(90_000)
  })

  test('phase auth: every attempt ends within what is left of its 30 s budget', () => {
    expect(DEFAULT_RETRY_POLICY.budgetMs).toBe(30_000)
    expect(ID_TOKEN_TIMEOUT_MS).toBeLessThan(DEFAULT_RETRY_POLICY.budgetMs)
  })

  test("the SDK's request timeout throws instead of only warning", () => {
    expect(requestHandlerOptions(DEFAULT_AWS_TIMEOUTS)).toEqual({
      connectionTimeout: 5_000,
      requestTimeout: 15_000,
      throwOnRequestTimeout: true,
    })
  })

  test('the helm download: both files, every retry, within 2 minutes', () => {
    const { totalMs, idleMs } = DEFAULT_DOWNLOAD_BUDGET
    expect(totalMs).toBeLessThan(120_000)
    expect(idleMs).toBeLessThan(totalMs)
  })

  test('helm: a read within a minute; the upgrade within its --timeout plus 90 s, SIGKILL included', () => {
    expect(DEFAULT_HELM_TIMEOUTS.queryMs).toBe(60_000)
    expect(DEFAULT_HELM_TIMEOUTS.upgradeGraceMs + KILL_GRACE_MS).toBe(90_000)
  })
})

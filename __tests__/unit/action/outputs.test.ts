import { collectExportedEnv, collectOutputs } from '../../../src/action/outputs.js'
import { publishRun } from '../../../src/action/publish.js'
import type { RunReport, RunResults } from '../../../src/action/results.js'
import type { Span } from '../../../src/action/timing.js'
import type { AuthResult } from '../../../src/phases/auth/index.js'
import { renderSummary } from '../../../src/action/summary.js'
import { AccountHider } from '../../../src/lib/masking.js'
import { FakeRuntime } from '../../fixtures/fake-runtime.js'
import { inputsFrom } from '../../fixtures/parsed-inputs.js'

const NO_HIDING = { hide: (text: string): string => text }

const ACCOUNT = '123456789012'
const ROLE = `arn:aws:iam::${ACCOUNT}:role/deploy`
const EXPIRATION = new Date('2030-01-01T01:00:00.000Z')

const AUTH: AuthResult = {
  credentials: {
    accessKeyId: 'ASIAEXAMPLE',
    secretAccessKey: 'secret-key',
    sessionToken: 'session-token',
    expiration: EXPIRATION,
  },
  accountId: ACCOUNT,
  assumedRoleArn: `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/gha-session`,
  roleArn: ROLE,
  expiration: EXPIRATION,
}

function results(values: Record<string, string>, auth: AuthResult = AUTH): RunResults {
  const inputs = inputsFrom({ 'role-to-assume': ROLE, 'aws-region': 'eu-west-1', ...values })
  return {
    inputs,
    auth,
    ecr: undefined,
    kubeconfig: undefined,
    deploy: undefined,
    teardown: undefined,
    github: undefined,
  }
}

const withoutAuth = (): RunResults => ({ ...results({}), auth: undefined })

describe('collectOutputs', () => {
  test('the auth outputs', () => {
    expect(collectOutputs(results({}))).toEqual({
      'aws-account-id': ACCOUNT,
      'aws-session-arn': AUTH.assumedRoleArn,
      'aws-credentials-expiration': '2030-01-01T01:00:00.000Z',
    })
  })

  test('no expiration, no expiration output', () => {
    expect(collectOutputs(results({}, { ...AUTH, expiration: undefined }))).not.toHaveProperty(
      'aws-credentials-expiration',
    )
  })

  test('no auth phase, no auth outputs', () => {
    expect(collectOutputs(withoutAuth())).toEqual({})
  })
})

describe('collectExportedEnv', () => {
  test('the credentials and the region, for later steps', () => {
    expect(collectExportedEnv(results({}))).toEqual({
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret-key',
      AWS_SESSION_TOKEN: 'session-token',
      AWS_CREDENTIAL_EXPIRATION: '2030-01-01T01:00:00.000Z',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
    })
  })

  test('export-credentials: false exports nothing', () => {
    expect(collectExportedEnv(results({ 'export-credentials': 'false' }))).toEqual({})
  })

  test('without auth there is nothing to export', () => {
    expect(collectExportedEnv(withoutAuth())).toEqual({})
  })

  test('credentials without a session token or expiry leave AWS_SESSION_TOKEN and AWS_CREDENTIAL_EXPIRATION out', () => {
    const auth = { ...AUTH, credentials: { accessKeyId: 'AKIA', secretAccessKey: 's' } }
    const names = Object.keys(collectExportedEnv(results({}, auth)))
    expect(names).not.toContain('AWS_SESSION_TOKEN')
    expect(names).not.toContain('AWS_CREDENTIAL_EXPIRATION')
  })
})

const SPAN = { name: 'auth', parent: undefined, startMs: 1_000, endMs: 2_234, isFailed: false }
const report = (run: RunResults, spans: Span[] = [SPAN]): RunReport => ({
  results: run,
  spans,
  failure: undefined,
})

describe('renderSummary', () => {
  test('the role, the account and the time of each phase', () => {
    const summary = renderSummary(report(results({})), NO_HIDING)
    expect(summary).toContain('### eks-deploy-action')
    expect(summary).toContain(`| Role | \`${ROLE}\` |`)
    expect(summary).toContain(`| Account | ${ACCOUNT} |`)
    expect(summary).toContain('| auth | +0.00 s | 1.23 s | ok |')
  })

  test('mask-aws-account-id hides the account everywhere in the summary', () => {
    const hider = new AccountHider(true, new FakeRuntime())
    hider.add(ACCOUNT)
    const summary = renderSummary(report(results({ 'mask-aws-account-id': 'true' })), hider)
    expect(summary).not.toContain(ACCOUNT)
    expect(summary).toContain('| Role | `arn:aws:iam::***:role/deploy` |')
    // Escaped, so that the masked account renders as *** rather than as emphasis.
    expect(summary).toContain('| Account | &#42;&#42;&#42; |')
  })

  test('without auth: no role, no account', () => {
    const summary = renderSummary(report(withoutAuth(), []), NO_HIDING)
    expect(summary).not.toContain('Role')
    expect(summary).not.toContain('Account')
  })

  test('table cells cannot break the table, nor names the chart', () => {
    const summary = renderSummary(report(results({}), [{ ...SPAN, name: 'a|b: #c' }]), NO_HIDING)
    expect(summary).toContain('| a\\|b: #c | +0.00 s | 1.23 s | ok |')
    expect(summary).toContain('  a|b   c 1.23 s :1000, 2234')
  })

  test('values from AWS or helm show as text: no HTML, link, emphasis, code fence or new line of their own', () => {
    const base = results({})
    const hostile = {
      ...base,
      auth: base.auth === undefined ? undefined : { ...base.auth, roleArn: 'arn`</code><script>x</script>`' },
      deploy: {
        helmVersion: 'v4.1.4',
        release: 'api',
        namespace: 'shop',
        isDryRun: false,
        previousRevision: undefined,
        isRolledBack: false,
        failure: undefined,
        failureReason: undefined,
        diagnosis: undefined,
        changes: undefined,
        state: {
          revision: 1,
          status: 'deployed',
          chartName: '<img src=x onerror=alert(1)>',
          chartVersion: '[click](https://evil.example)\n::warning::x',
          appVersion: '',
          description: '',
        },
      },
    }
    const summary = renderSummary(report(hostile), NO_HIDING)
    expect(summary).toContain('| Role | `` arn`</code><script>x</script>` `` |')
    expect(summary).toContain(
      '| Chart | &#60;img src=x onerror=alert(1)&#62; &#91;click&#93;(https://evil.example)&#92;n::warning::x |',
    )
    expect(summary.split('\n').filter((line) => line.startsWith('::'))).toEqual([])
  })
})

describe('publishRun', () => {
  test('writes the outputs, the exported env and the summary through the runtime', async () => {
    const runtime = new FakeRuntime()
    const run = results({})
    await publishRun(report(run), { runtime, accounts: NO_HIDING, github: undefined })
    expect(runtime.outputs).toEqual(collectOutputs(run))
    expect(runtime.exported).toEqual(collectExportedEnv(run))
    expect(runtime.summary).toBe(renderSummary(report(run), NO_HIDING))
  })

  test('a run that failed on its inputs has a summary, and no outputs', async () => {
    const runtime = new FakeRuntime()
    const failed = { ...SPAN, name: 'inputs', isFailed: true }
    const failure = { phases: ['inputs'], message: "Invalid input:\n- Input 'release': must be ..." }
    await publishRun(
      { results: undefined, spans: [failed], failure },
      { runtime, accounts: NO_HIDING, github: undefined },
    )
    expect(runtime.outputs).toEqual({})
    expect(runtime.summary).toContain(
      "#### The step failed in phase inputs\n\n```text\nInvalid input:\n- Input 'release'",
    )
    expect(runtime.summary).toContain('  inputs 1.23 s :crit, 1000, 2234')
  })
})

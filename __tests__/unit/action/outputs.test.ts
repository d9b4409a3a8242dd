import { collectExportedEnv, collectOutputs } from '../../../src/action/outputs.js'
import { publishResults } from '../../../src/action/publish.js'
import type { RunResults } from '../../../src/action/results.js'
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
    timings: [{ phase: 'auth', milliseconds: 1234 }],
  }
}

const withoutAuth = (): RunResults => ({ ...results({}), auth: undefined })

describe('collectOutputs', () => {
  test('the auth outputs', () => {
    expect(collectOutputs(results({}))).toEqual({
      'aws-account-id': ACCOUNT,
      'aws-role-arn': AUTH.assumedRoleArn,
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

  test('credentials without a session token leave AWS_SESSION_TOKEN out', () => {
    const auth = { ...AUTH, credentials: { accessKeyId: 'AKIA', secretAccessKey: 's' } }
    expect(Object.keys(collectExportedEnv(results({}, auth)))).not.toContain('AWS_SESSION_TOKEN')
  })
})

describe('renderSummary', () => {
  test('the role, the account and the time of each phase', () => {
    const summary = renderSummary(results({}), NO_HIDING)
    expect(summary).toContain('### eks-deploy-action')
    expect(summary).toContain(`| Role | \`${ROLE}\` |`)
    expect(summary).toContain(`| Account | ${ACCOUNT} |`)
    expect(summary).toContain('| Time: auth | 1.23 s |')
  })

  test('mask-aws-account-id hides the account everywhere in the summary', () => {
    const hider = new AccountHider(true, new FakeRuntime())
    hider.add(ACCOUNT)
    const summary = renderSummary(results({ 'mask-aws-account-id': 'true' }), hider)
    expect(summary).not.toContain(ACCOUNT)
    expect(summary).toContain('| Role | `arn:aws:iam::***:role/deploy` |')
    // Escaped, so that the masked account renders as *** rather than as emphasis.
    expect(summary).toContain('| Account | \\*\\*\\* |')
  })

  test('without auth: only timings', () => {
    const summary = renderSummary({ ...withoutAuth(), timings: [] }, NO_HIDING)
    expect(summary).not.toContain('Role')
    expect(summary).not.toContain('Account')
  })

  test('table cells cannot break the table', () => {
    const summary = renderSummary(
      { ...results({}), timings: [{ phase: 'a|b\nc', milliseconds: 0 }] },
      NO_HIDING,
    )
    expect(summary).toContain('| Time: a\\|b\\\\nc | 0.00 s |')
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
    const summary = renderSummary(hostile, NO_HIDING)
    expect(summary).toContain('| Role | `` arn`</code><script>x</script>` `` |')
    expect(summary).toContain(
      '| Chart | \\<img src=x onerror=alert(1)\\> \\[click\\](https://evil.example)\\\\n::warning::x |',
    )
    expect(summary.split('\n').filter((line) => line.startsWith('::'))).toEqual([])
  })
})

describe('publishResults', () => {
  test('writes the outputs, the exported env and the summary through the runtime', async () => {
    const runtime = new FakeRuntime()
    const run = results({})
    await publishResults(run, runtime, NO_HIDING)
    expect(runtime.outputs).toEqual(collectOutputs(run))
    expect(runtime.exported).toEqual(collectExportedEnv(run))
    expect(runtime.summary).toBe(renderSummary(run, NO_HIDING))
  })
})

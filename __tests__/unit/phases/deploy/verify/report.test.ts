import {
  checksLine,
  outputsOf,
  summaryRows,
  summarySections,
} from '../../../../../src/phases/deploy/report.js'
import type { DeployResult } from '../../../../../src/phases/deploy/types.js'
import type { Verification } from '../../../../../src/phases/deploy/verify/types.js'

const verification: Verification = {
  checks: [
    {
      kind: 'helm-test',
      name: 'helm test',
      status: 'passed',
      seconds: 2.1,
      detail: '1 test pod succeeded (api-smoke-test)',
    },
    {
      kind: 'http',
      name: 'GET https://shop.example.com/healthz?token=***',
      status: 'failed',
      seconds: 8,
      detail: 'answered 500 (expected 2xx) on 3 tries',
    },
    {
      kind: 'alarms',
      name: 'alarms api-*',
      status: 'skipped',
      seconds: 0,
      detail: 'not run: verification had already failed',
    },
  ],
  isVerified: false,
  failureReason:
    'verification: GET https://shop.example.com/healthz?token=***: answered 500 (expected 2xx) on 3 tries',
  aftermath: 'rolled-back',
  revision: 3,
  rolledBackTo: 2,
  testLogs: [{ pod: 'api-smoke-test', container: 'smoke', lines: ['<b>@team</b> ok'] }],
}

const deploy: DeployResult = {
  helmVersion: 'v4.1.4',
  release: 'api',
  namespace: 'shop',
  isDryRun: false,
  state: {
    revision: 4,
    status: 'deployed',
    description: 'Rollback to 2',
    updated: '',
    chartName: 'api',
    chartVersion: '1.0.0',
    appVersion: '1',
  } as DeployResult['state'],
  previousRevision: 2,
  isRolledBack: true,
  failure: undefined,
  failureReason: verification.failureReason,
  diagnosis: undefined,
  changes: undefined,
  verification,
}

describe("the verification's report", () => {
  test('outputs: verified false, rolled-back true, the reason; empty verified without verification', () => {
    expect(outputsOf(deploy)).toMatchObject({
      verified: 'false',
      'rolled-back': 'true',
      'failure-reason': verification.failureReason,
    })
    expect(outputsOf({ ...deploy, verification: undefined }).verified).toBe('')
  })

  test('the summary: a row, and a table of each check with its result and time; outside text escaped', () => {
    expect(summaryRows(deploy)).toContainEqual([
      'Verified',
      [
        'no: helm test passed (2.1 s); GET https://shop.example.com/healthz?token=*** failed (8 s); alarms api-* skipped (0 s); rolled back to revision 2',
      ],
    ])
    const markdown = summarySections(deploy).join('\n')
    expect(markdown).toContain('#### Verification of revision 3: failed')
    expect(markdown).toContain('| helm test | ✅ passed | 2.1 s | 1 test pod succeeded (api-smoke-test) |')
    expect(markdown).toContain('| ❌ failed | 8 s | answered 500 (expected 2xx) on 3 tries |')
    expect(markdown).toContain('Release: rolled back to revision 2.')
    expect(markdown).toContain('&#60;b&#62;&#64;&#8203;team&#60;/b&#62; ok')
    expect(markdown).not.toContain('#### Why the deploy failed')
  })

  test("the deployment status's line: each check, its result and time, URLs without their host", () => {
    expect(checksLine(deploy)).toBe(
      'helm test passed 2.1s, GET /healthz?token=*** failed 8s, alarms api-* skipped 0s',
    )
    expect(checksLine({ ...deploy, verification: undefined })).toBeUndefined()
  })
})

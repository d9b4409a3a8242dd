// The bench's pure analysis (npm run bench itself is never part of npm test, and nothing here times anything).
import { describeAwsRequest, sequentialLevels, type RecordedCall } from '../../../bench/counting-proxy.js'
import { judgeFullRun, judgeToken } from '../../../bench/judge.js'
import { firstError } from '../../../bench/processes.js'
import { formatRatio, summarize } from '../../../bench/stats.js'
import { readTimeline } from '../../../bench/own-time.js'

const call = (service: string, operation: string, startMs: number, endMs: number): RecordedCall => ({
  service,
  operation,
  startMs,
  endMs,
  status: 200,
})

describe('describeAwsRequest', () => {
  const signed = (service: string): string =>
    `AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20260101/eu-west-1/${service}/aws4_request, SignedHeaders=host, Signature=00`

  test.each([
    [
      'STS query, unsigned',
      { method: 'POST', path: '/', headers: {}, body: 'Action=AssumeRoleWithWebIdentity&Version=2011-06-15' },
      { service: 'STS', operation: 'AssumeRoleWithWebIdentity' },
    ],
    [
      'ECR JSON',
      {
        method: 'POST',
        path: '/',
        headers: {
          'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
          authorization: signed('ecr'),
        },
        body: '{}',
      },
      { service: 'ECR', operation: 'GetAuthorizationToken' },
    ],
    [
      'EKS REST',
      { method: 'GET', path: '/clusters/bench', headers: { authorization: signed('eks') }, body: '' },
      { service: 'EKS', operation: 'DescribeCluster' },
    ],
    [
      'anything else, by its signing scope',
      { method: 'GET', path: '/other', headers: { authorization: signed('eks') }, body: '' },
      { service: 'EKS', operation: 'GET /other' },
    ],
  ])('%s', (_name, request, expected) => {
    expect(describeAwsRequest(request)).toEqual(expected)
  })
})

describe('sequentialLevels', () => {
  test('calls that overlap in time share a level; the levels are the critical path', () => {
    const levels = sequentialLevels([
      call('EKS', 'DescribeCluster', 32, 40),
      call('OIDC', 'GET token', 0, 10),
      call('STS', 'AssumeRoleWithWebIdentity', 15, 25),
      call('ECR', 'GetAuthorizationToken', 30, 38),
      call('ECR', 'DescribeImages', 39, 45),
    ])
    expect(levels.map((level) => level.map((c) => c.operation))).toEqual([
      ['GET token'],
      ['AssumeRoleWithWebIdentity'],
      ['GetAuthorizationToken', 'DescribeCluster', 'DescribeImages'],
    ])
  })

  test('back-to-back calls are one level each', () => {
    expect(
      sequentialLevels([call('STS', 'A', 0, 5), call('ECR', 'B', 5, 9), call('EKS', 'C', 9, 12)]),
    ).toHaveLength(3)
  })
})

describe('judgeFullRun', () => {
  const fullCalls = [
    call('OIDC', 'GET token', 0, 1),
    call('STS', 'AssumeRoleWithWebIdentity', 2, 3),
    call('ECR', 'GetAuthorizationToken', 4, 5),
    call('ECR', 'DescribeImages', 4, 5),
    call('EKS', 'DescribeCluster', 4, 5),
  ]

  test('a run with every phase counts', () => {
    expect(judgeFullRun({ exitCode: 0, stdout: '' }, fullCalls)).toEqual({ kind: 'ok' })
  })

  test('an auth-only build is n/a, naming what it did not do', () => {
    const outcome = judgeFullRun({ exitCode: 0, stdout: '' }, fullCalls.slice(0, 2))
    expect(outcome).toEqual({
      kind: 'na',
      reason: 'phase not in this build: ecr-login, image check, kubeconfig; the run made none of their calls',
    })
  })

  test('a build that refuses the phase list is n/a; any other failure is a failure', () => {
    const refused = judgeFullRun(
      { exitCode: 1, stdout: "::error::Invalid input:%0A- Input 'phases': ..." },
      [],
    )
    expect(refused.kind).toBe('na')
    const broken = judgeFullRun({ exitCode: 1, stdout: '::error::Could not assume the role' }, [])
    expect(broken).toEqual({ kind: 'failed', reason: 'Could not assume the role' })
    const badInput = judgeFullRun(
      { exitCode: 1, stdout: "::error::Invalid input:%0A- Input 'image-tag': ..." },
      [],
    )
    expect(badInput.kind).toBe('failed')
  })
})

describe('judgeToken', () => {
  test('an ExecCredential with an EKS token counts; "not implemented" is n/a', () => {
    const credential = JSON.stringify({ kind: 'ExecCredential', status: { token: 'k8s-aws-v1.abc' } })
    expect(judgeToken({ exitCode: 0, stdout: credential }, 'x')).toEqual({ kind: 'ok' })
    expect(
      judgeToken({ exitCode: 1, stdout: '', stderr: 'token plugin: not implemented yet\n' }, 'x').kind,
    ).toBe('na')
    expect(judgeToken({ exitCode: 0, stdout: '{}' }, 'x').kind).toBe('failed')
  })
})

test('firstError decodes the workflow command', () => {
  expect(firstError('::add-mask::x\n::error::Invalid input:%0A- one%25\n')).toBe('Invalid input:\n- one%')
})

test('summarize and formatRatio', () => {
  const ours = summarize([30, 10, 20, 40])
  expect(ours).toEqual({ runs: 4, medianMs: 25, minMs: 10, maxMs: 40 })
  expect(formatRatio(ours, summarize([200]))).toBe('0.13 (8.0× faster)')
  expect(formatRatio(undefined, ours)).toBe('')
})

describe('readTimeline (the healthy deploy bench)', () => {
  const bar = (name: string, startMs: number, endMs: number): string =>
    `  ${name} ${((endMs - startMs) / 1000).toFixed(2)} s :${startMs}, ${endMs}`
  const process = { startMs: 1_000, endMs: 4_000 }

  test('own time: the wall time less helm upgrade, from its start ahead of the pre-flight', () => {
    const summary = [bar('auth', 1_200, 1_400), bar('helm upgrade', 1_500, 3_900)].join('\n')
    expect(readTimeline(summary, process)).toMatchObject({
      own: 600,
      'process start → first span': 200,
      'last span → process exit': 100,
    })
  })

  test("the time helm waited for the pre-flight at its first request is the action's own", () => {
    const summary = [
      bar('auth', 1_200, 1_400),
      bar('helm upgrade', 1_500, 3_900),
      bar('helm held', 1_700, 1_780),
    ].join('\n')
    expect(readTimeline(summary, process)?.own).toBe(680)
  })
})

import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch'
import { mockClient } from 'aws-sdk-client-mock'
import type { UrlCheck } from '../../../../../src/inputs/types.js'
import {
  bakeAlarms,
  judgeAlarms,
  pollIntervalMs,
  type AlarmState,
} from '../../../../../src/phases/deploy/verify/alarms.js'
import { cloudWatchAlarmReader } from '../../../../../src/phases/deploy/verify/alarms-client.js'
import { parseTestSuites } from '../../../../../src/phases/deploy/verify/helm-test.js'
import {
  checkUrl,
  judgeAnswer,
  RETRY_MS,
  type HttpFetch,
} from '../../../../../src/phases/deploy/verify/http-check.js'
import { FakeRuntime } from '../../../../fixtures/fake-runtime.js'

const check = (over: Partial<UrlCheck> = {}): UrlCheck => ({
  url: 'https://shop.example.com/healthz?token=s3cret',
  shownUrl: 'https://shop.example.com/healthz?token=***',
  expectedStatus: undefined,
  bodyPattern: undefined,
  ...over,
})

describe('HTTP checks', () => {
  test.each([
    [check(), 200, '', undefined],
    [check(), 204, '', undefined],
    [check(), 503, '', 'answered 503 (expected 2xx)'],
    [check({ expectedStatus: 401 }), 401, '', undefined],
    [check({ expectedStatus: 200 }), 201, '', 'answered 201 (expected 200)'],
    [check({ bodyPattern: '"status": *"ok"' }), 200, '{"status": "ok"}', undefined],
    [
      check({ bodyPattern: '"status": *"ok"' }),
      200,
      '{"status":"degraded"}',
      'answered 200, but the body does not match /"status": *"ok"/',
    ],
  ])('judgeAnswer(%j, %i, %j) = %s', (urlCheck, status, body, verdict) => {
    expect(judgeAnswer(urlCheck, status, body)).toBe(verdict)
  })

  /** A server that answers each request from the list (the last one repeats). */
  const answering = (statuses: number[], urls: string[] = []): HttpFetch => {
    let index = 0
    return (url) => {
      urls.push(url)
      const status = statuses[Math.min(index++, statuses.length - 1)] ?? 500
      return Promise.resolve({ status, text: () => Promise.resolve('ok') })
    }
  }

  test('a URL that recovers within the window passes, after its retries; only the shown URL is logged', async () => {
    const runtime = new FakeRuntime()
    const urls: string[] = []
    const result = await checkUrl(check(), runtime.now() + 60_000, {
      fetch: answering([503, 502, 200], urls),
      runtime,
      signal: new AbortController().signal,
    })
    expect(result).toEqual({
      kind: 'http',
      name: 'GET https://shop.example.com/healthz?token=***',
      status: 'passed',
      detail: '2xx after 3 tries',
    })
    expect(urls).toEqual(Array(3).fill('https://shop.example.com/healthz?token=s3cret'))
    expect(runtime.sleeps).toEqual([RETRY_MS, RETRY_MS])
    expect(runtime.logs.join('\n')).not.toContain('s3cret')
  })

  test('a URL still bad when the window ends fails with its last answer', async () => {
    const runtime = new FakeRuntime()
    const result = await checkUrl(check(), runtime.now() + 10_000, {
      fetch: answering([500]),
      runtime,
      signal: new AbortController().signal,
    })
    expect(result.status).toBe('failed')
    expect(result.detail).toBe('answered 500 (expected 2xx) on 4 tries')
  })

  test('a try cut short by the budget keeps the last answer the URL gave as the reason', async () => {
    const runtime = new FakeRuntime()
    const budget = new AbortController()
    let calls = 0
    const cutOnSecondTry: HttpFetch = () => {
      calls += 1
      if (calls === 1) return Promise.resolve({ status: 500, text: () => Promise.resolve('') })
      budget.abort()
      return Promise.reject(new DOMException('aborted', 'AbortError'))
    }
    const result = await checkUrl(check(), runtime.now() + 60_000, {
      fetch: cutOnSecondTry,
      runtime,
      signal: budget.signal,
    })
    expect(result).toMatchObject({ status: 'failed', detail: 'answered 500 (expected 2xx) on 1 try' })
  })

  test('a connection refused is a try that failed, not an exception', async () => {
    const runtime = new FakeRuntime()
    const refused: HttpFetch = () =>
      Promise.reject(
        Object.assign(new TypeError('fetch failed'), {
          cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
        }),
      )
    const result = await checkUrl(check(), runtime.now(), {
      fetch: refused,
      runtime,
      signal: new AbortController().signal,
    })
    expect(result).toMatchObject({ status: 'failed', detail: 'could not be fetched: ECONNREFUSED on 1 try' })
  })
})

describe('CloudWatch alarms over the bake', () => {
  const alarm = (name: string, state = 'OK', reason = ''): AlarmState => ({ name, state, reason })

  test.each([
    [[alarm('api-5xx'), alarm('api-latency-p99')], undefined],
    [[alarm('api-5xx', 'INSUFFICIENT_DATA'), alarm('api-latency-p99')], undefined],
    [
      [alarm('api-5xx', 'ALARM', 'Threshold Crossed: 3 datapoints > 5'), alarm('api-latency-p99')],
      'alarm api-5xx is in ALARM: Threshold Crossed: 3 datapoints > 5',
    ],
    [
      [alarm('api-latency-p99')],
      'no CloudWatch alarm api-5xx in this region: check verify-alarms and aws-region',
    ],
    [
      [alarm('api-5xx')],
      'no CloudWatch alarm api-latency-* in this region: check verify-alarms and aws-region',
    ],
  ])('judgeAlarms(%j) = %s', (alarms, verdict) => {
    expect(
      judgeAlarms(
        [
          { kind: 'name', name: 'api-5xx' },
          { kind: 'prefix', prefix: 'api-latency-' },
        ],
        alarms,
      ),
    ).toBe(verdict)
  })

  test.each([
    [3_000, 1_000],
    [60_000, 6_000],
    [600_000, 30_000],
  ])('a bake of %i ms is read every %i ms', (bakeMs, interval) => {
    expect(pollIntervalMs(bakeMs)).toBe(interval)
  })

  test('alarms that stay OK pass after the whole bake, with a progress line at each reading', async () => {
    const runtime = new FakeRuntime()
    const result = await bakeAlarms([{ kind: 'prefix', prefix: 'api-' }], 60_000, {
      readAlarms: () => Promise.resolve([alarm('api-5xx')]),
      runtime,
      signal: new AbortController().signal,
    })
    expect(result).toEqual({
      kind: 'alarms',
      name: 'alarms api-*',
      status: 'passed',
      detail: '1 alarm not in ALARM for 1:00',
    })
    expect(runtime.sleeps.reduce((a, b) => a + b, 0)).toBe(60_000)
    expect(runtime.logs.filter((line) => line.startsWith('Baking: '))).toHaveLength(11)
  })

  test('an alarm that goes to ALARM during the bake fails it at that reading', async () => {
    const runtime = new FakeRuntime()
    let readings = 0
    const result = await bakeAlarms([{ kind: 'name', name: 'api-5xx' }], 60_000, {
      readAlarms: () =>
        Promise.resolve([++readings < 3 ? alarm('api-5xx') : alarm('api-5xx', 'ALARM', 'Threshold Crossed')]),
      runtime,
      signal: new AbortController().signal,
    })
    expect(result).toMatchObject({ status: 'failed', detail: 'alarm api-5xx is in ALARM: Threshold Crossed' })
    expect(readings).toBe(3)
  })

  test('a reading CloudWatch refuses fails the check, naming the error', async () => {
    const runtime = new FakeRuntime()
    const result = await bakeAlarms([{ kind: 'name', name: 'api-5xx' }], 60_000, {
      readAlarms: () =>
        Promise.reject(new Error('AccessDenied: not authorized to perform cloudwatch:DescribeAlarms')),
      runtime,
      signal: new AbortController().signal,
    })
    expect(result.detail).toContain('CloudWatch DescribeAlarms failed: AccessDenied')
  })

  test('DescribeAlarms: names in one call, each prefix in its own, every page, metric and composite alarms', async () => {
    const mock = mockClient(CloudWatchClient)
    mock
      .on(DescribeAlarmsCommand, { AlarmNames: ['api-5xx', 'db-cpu'] })
      .resolves({ MetricAlarms: [{ AlarmName: 'api-5xx', StateValue: 'OK', StateReason: 'fine' }] })
      .on(DescribeAlarmsCommand, { AlarmNamePrefix: 'worker-', NextToken: undefined })
      .resolves({
        CompositeAlarms: [{ AlarmName: 'worker-health', StateValue: 'ALARM', StateReason: 'children' }],
        NextToken: 'p2',
      })
      .on(DescribeAlarmsCommand, { AlarmNamePrefix: 'worker-', NextToken: 'p2' })
      .resolves({ MetricAlarms: [{ AlarmName: 'worker-queue', StateValue: 'INSUFFICIENT_DATA' }] })
    const read = await cloudWatchAlarmReader(new CloudWatchClient({ region: 'eu-west-1' }))
    const alarms = await read([
      { kind: 'name', name: 'api-5xx' },
      { kind: 'prefix', prefix: 'worker-' },
      { kind: 'name', name: 'db-cpu' },
    ])
    expect(alarms).toEqual([
      { name: 'api-5xx', state: 'OK', reason: 'fine' },
      { name: 'worker-health', state: 'ALARM', reason: 'children' },
      { name: 'worker-queue', state: 'INSUFFICIENT_DATA', reason: '' },
    ])
    const inputs = mock.commandCalls(DescribeAlarmsCommand).map((call) => call.args[0].input)
    expect(inputs).toHaveLength(3)
    for (const input of inputs) expect(input.AlarmTypes).toEqual(['MetricAlarm', 'CompositeAlarm'])
    mock.restore()
  })
})

describe('helm test output', () => {
  const helm3Fail = [
    'NAME: demo',
    'STATUS: deployed',
    'REVISION: 2',
    'TEST SUITE:     demo-smoke-test',
    'Last Started:   Sun Dec  6 10:27:48 2026',
    'Last Completed: Sun Dec  6 10:27:49 2026',
    'Phase:          Failed',
    'TEST SUITE:     demo-db-test',
    'Phase:          Succeeded',
  ].join('\n')

  test('the suites and their phases (Helm 3 and 4 print the same blocks)', () => {
    expect(parseTestSuites(helm3Fail, 'Error: 1 error occurred:\n\t* pod demo-smoke-test failed')).toEqual([
      { pod: 'demo-smoke-test', phase: 'Failed' },
      { pod: 'demo-db-test', phase: 'Succeeded' },
    ])
  })

  test("a pod only the error names (Helm 4's `not ready`, Helm 3's `pod ... failed`) counts as failed", () => {
    expect(
      parseTestSuites(
        '',
        'Error: resource Pod/shop/demo-smoke-test not ready. status: Failed, message: pod demo-smoke-test failed',
      ),
    ).toEqual([{ pod: 'demo-smoke-test', phase: 'Failed' }])
    expect(parseTestSuites('', 'Error: pod demo-other failed')).toEqual([
      { pod: 'demo-other', phase: 'Failed' },
    ])
  })
})

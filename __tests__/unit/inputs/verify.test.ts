import { shownUrl } from '../../../src/inputs/verify.js'
import { inputProblems, inputsFrom } from '../../fixtures/parsed-inputs.js'

describe('verification inputs', () => {
  test('off by default: no check, bake 0, a 10-minute budget, roll back', () => {
    const { verify } = inputsFrom({})
    expect(verify).toEqual({
      isHelmTest: false,
      urls: [],
      alarms: [],
      bakeSeconds: 0,
      timeout: '10m',
      timeoutSeconds: 600,
      rollback: 'true',
    })
  })

  test('verify-urls: URL, optional status, the rest of the line a body pattern; environment-url stands for the input', () => {
    const { verify } = inputsFrom({
      'environment-url': 'https://pr-12.example.com/',
      'verify-urls': [
        'https://shop.example.com/healthz',
        'https://shop.example.com/api?token=s3cret&v=2 204',
        'environment-url 200 "status": *"ok"',
        'http://127.0.0.1:8080/ ready|live',
      ].join('\n'),
    })
    expect(verify.urls).toEqual([
      {
        url: 'https://shop.example.com/healthz',
        shownUrl: 'https://shop.example.com/healthz',
        expectedStatus: undefined,
        bodyPattern: undefined,
      },
      {
        url: 'https://shop.example.com/api?token=s3cret&v=2',
        shownUrl: 'https://shop.example.com/api?token=***&v=***',
        expectedStatus: 204,
        bodyPattern: undefined,
      },
      {
        url: 'https://pr-12.example.com/',
        shownUrl: 'https://pr-12.example.com/',
        expectedStatus: 200,
        bodyPattern: '"status": *"ok"',
      },
      {
        url: 'http://127.0.0.1:8080/',
        shownUrl: 'http://127.0.0.1:8080/',
        expectedStatus: undefined,
        bodyPattern: 'ready|live',
      },
    ])
  })

  test.each([
    [
      { 'verify-urls': 'shop.example.com/healthz' },
      "Input 'verify-urls': each line must start with an http(s):// URL",
    ],
    [{ 'verify-urls': 'environment-url' }, 'names environment-url, which is not given'],
    [{ 'verify-urls': 'https://a.example.com/ 200 (' }, 'is not a regular expression'],
    [
      { 'verify-urls': 'https://a.example.com/ 999' },
      'an expected status must be an HTTP status from 100 to 599',
    ],
    [{ 'verify-alarms': 'api-*-5xx' }, "Input 'verify-alarms': each item must be a CloudWatch alarm name"],
    [{ 'verify-alarms': '*' }, "Input 'verify-alarms'"],
    [{ 'bake-minutes': '-1' }, "Input 'bake-minutes': must be a number of minutes"],
    [{ 'bake-minutes': '5m' }, "Input 'bake-minutes'"],
    [{ 'verify-timeout': 'soon' }, "Input 'verify-timeout': must be a Go duration"],
    [
      { 'bake-minutes': '10', 'verify-alarms': 'a', 'verify-timeout': '5m' },
      'must be longer than bake-minutes (600 s)',
    ],
    [{ 'verify-rollback': 'maybe' }, "Input 'verify-rollback': must be one of 'true', 'false', 'uninstall'"],
    [{ 'helm-test': 'yes' }, "Input 'helm-test': must be 'true' or 'false'"],
  ])('%j is refused before any AWS call: %s', (values, problem) => {
    expect(inputProblems(values)).toContain(problem)
  })

  test('a refused URL is quoted without its query values', () => {
    const message = inputProblems({ 'verify-urls': 'ftp://files.example.com/x?sig=abcdef' })
    expect(message).not.toContain('abcdef')
    expect(message).toContain('sig=***')
  })

  test('verify-alarms: names and prefixes, comma or newline separated; bake-minutes takes fractions', () => {
    const { verify } = inputsFrom({
      'verify-alarms': 'api-prod-5xx, api-prod-latency-*\nworker-queue-depth',
      'bake-minutes': '0.05',
      'verify-timeout': '90s',
      'verify-rollback': 'uninstall',
      'helm-test': 'true',
    })
    expect(verify.alarms).toEqual([
      { kind: 'name', name: 'api-prod-5xx' },
      { kind: 'prefix', prefix: 'api-prod-latency-' },
      { kind: 'name', name: 'worker-queue-depth' },
    ])
    expect(verify).toMatchObject({
      bakeSeconds: 3,
      timeoutSeconds: 90,
      rollback: 'uninstall',
      isHelmTest: true,
    })
  })

  test('bake-minutes without verify-alarms is a warning: nothing would be watched', () => {
    const { warnings } = inputsFrom({ 'bake-minutes': '5' })
    expect(warnings.join('\n')).toContain("Input 'bake-minutes': bakes only with verify-alarms")
  })

  test.each([
    ['https://user:pass@shop.example.com/h?token=abc#frag', 'https://***@shop.example.com/h?token=***'],
    ['https://shop.example.com/h', 'https://shop.example.com/h'],
    ['not a url?secret=1', 'not a url?…'],
  ])('shownUrl(%s) hides user info and query values', (url, shown) => {
    expect(shownUrl(url)).toBe(shown)
  })
})

import { inputProblems, inputsFrom } from '../../fixtures/parsed-inputs.js'

/**
 * Values that used to pass the checks and fail only on the network (a DNS error retried for 30 s, an
 * STS refusal): each is now refused before any call, naming the input, quoting at most ~200
 * characters of the value with its control characters escaped.
 */
const ROLE = 'arn:aws:iam::123456789012:role/deploy'

function problemLine(values: Record<string, string>, input: string): string {
  const line = inputProblems(values)
    .split('\n')
    .find((text) => text.includes(`Input '${input}'`))
  if (line === undefined) throw new Error(`no problem about '${input}'`)
  return line
}

describe('refused before any network call', () => {
  test.each([
    ['aws-region', { 'aws-region': 'xx-west-1' }, /not an AWS region code/],
    [
      'role-to-assume',
      { 'role-to-assume': 'arn:aws-cn:iam::123456789012:role/deploy' },
      /partition aws-cn, but aws-region eu-west-1 is in partition aws/,
    ],
    [
      'cluster-role-arn',
      { 'cluster-role-arn': 'arn:aws-us-gov:iam::123456789012:role/x' },
      /partition aws-us-gov/,
    ],
    [
      'managed-session-policies',
      { 'managed-session-policies': 'arn:aws-cn:iam::aws:policy/ReadOnlyAccess' },
      /partition aws-cn/,
    ],
    [
      'role-to-assume',
      { 'role-to-assume': `arn:aws:iam::123456789012:role/${'r'.repeat(65)}` },
      /1-64 letters/,
    ],
    [
      'role-to-assume',
      { 'role-to-assume': `arn:aws:iam::123456789012:role/${'p/'.repeat(300)}deploy` },
      /IAM role ARN/,
    ],
    ['ecr-repository', { 'ecr-repository': 'a'.repeat(1_000) }, /2-256 characters/],
    ['ecr-repository', { 'ecr-repository': 'a' }, /2-256 characters/],
    [
      'inline-session-policy',
      { 'inline-session-policy': '{"Version":"2012-10-17"}' },
      /must hold a Statement/,
    ],
    ['inline-session-policy', { 'inline-session-policy': '[1, 2]' }, /an object with a Statement/],
    [
      'inline-session-policy',
      { 'inline-session-policy': '{"Statement":{"Effect":"Maybe","Action":"s3:*"}}' },
      /Effect "Allow" or "Deny"/,
    ],
    [
      'inline-session-policy',
      { 'inline-session-policy': '{"Version":"2020-01-01","Statement":[]}' },
      /Version "2012-10-17"/,
    ],
    [
      'inline-session-policy',
      { 'inline-session-policy': `{"Statement":[],"Pad":"${'x'.repeat(2100)}"}` },
      /at most 2048 characters/,
    ],
    [
      'managed-session-policies',
      {
        'managed-session-policies': Array.from(
          { length: 11 },
          (_, i) => `arn:aws:iam::aws:policy/P${i}`,
        ).join(','),
      },
      /at most 10 policies/,
    ],
    ['timeout', { timeout: '2562048h' }, /longer than a Go duration can be/],
    ['audience', { audience: 'a'.repeat(256) }, /at most 255 characters/],
    ['registries', { registries: '123456789012.dkr.ecr.xx-west-1.amazonaws.com' }, /not an AWS region code/],
    [
      'registries',
      { registries: '123456789012.dkr.ecr.cn-north-1.amazonaws.com' },
      /\.amazonaws\.com\.cn for a region in China/,
    ],
    ['chart', { release: 'api', chart: '--post-renderer=/bin/sh' }, /must not start with -/],
    [
      'chart',
      { release: 'api', chart: 'repo/--set', 'chart-repository': 'https://charts.example.com' },
      /must name a chart that does not start with -/,
    ],
    [
      'chart-repository',
      { release: 'api', chart: 'api', 'chart-repository': 'https://' },
      /http\(s\):\/\/ URL/,
    ],
    ['helm-mirror', { 'helm-mirror': 'https://mirror.example.com/helm?x=1' }, /without \? or #/],
  ])('%s (case %#)', (input, values, rule) => {
    expect(problemLine({ 'role-to-assume': ROLE, ...values }, input)).toMatch(rule)
  })
})

describe('control characters', () => {
  test.each(['chart', 'chart-version', 'namespace', 'audience', 'helm-mirror', 'image-tag', 'timeout'])(
    '%s: a line break is refused, and quoted escaped',
    (input) => {
      const line = problemLine({ release: 'api', chart: './c', [input]: 'x\n::warning::injected' }, input)
      expect(line).toContain(
        "without line breaks or other control characters. Received: 'x\\n::warning::injected'",
      )
    },
  )

  test.each([['set'], ['set-string'], ['values-files'], ['helm-args']])(
    '%s: a carriage return inside a line is refused (the runner splits lines on it too)',
    (input) => {
      const line = problemLine(
        { release: 'api', chart: './c', [input]: 'a=b\r::set-output name=x::y' },
        input,
      )
      expect(line).toContain("Received: 'a=b\\r::set-output name=x::y'")
    },
  )

  test('lists keep their line breaks, and CRLF line ends are fine', () => {
    expect(inputsFrom({ 'set-string': 'a=1\r\nb=2\r\n' }).deploy.setString).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ])
  })

  test('inline-session-policy may span lines', () => {
    const policy = '{\n\t"Statement": [{ "Effect": "Allow", "Action": "ecr:*", "Resource": "*" }]\r\n}'
    expect(inputsFrom({ 'inline-session-policy': policy }).auth.inlineSessionPolicy).toBe(policy)
  })

  test('an escape character is refused even where line breaks are allowed', () => {
    expect(
      problemLine({ 'inline-session-policy': '{"Statement":[]}\u001b[2J' }, 'inline-session-policy'),
    ).toContain('control characters other than line breaks')
  })
})

describe('what a problem quotes', () => {
  test('at most 200 characters of the value, and its length', () => {
    const line = problemLine(
      { 'ecr-repository': 'a'.repeat(10_000), 'aws-region': 'eu-west-1' },
      'ecr-repository',
    )
    expect(line).toContain(`Received: '${'a'.repeat(200)}... (10000 characters)'`)
    expect(line.length).toBeLessThan(450)
  })

  test('a one-line value of more than 4096 characters is refused', () => {
    expect(problemLine({ chart: `./${'c'.repeat(5000)}`, release: 'api' }, 'chart')).toContain(
      'at most 4096 characters',
    )
  })
})

describe('a region of a known shape that the SDK does not list: a warning, not a failure', () => {
  test.each([
    ['us-eest-1', 'Did you mean us-east-1?'],
    ['eu-west-99', 'partition aws).'],
  ])('%s', (region, hint) => {
    const inputs = inputsFrom({ 'aws-region': region })
    expect(inputs.region).toBe(region)
    expect(inputs.warnings).toHaveLength(1)
    expect(inputs.warnings[0]).toContain(`Input 'aws-region': is not a region this action's AWS SDK knows`)
    expect(inputs.warnings[0]).toContain(hint)
  })

  test('a known region: no warning', () => {
    expect(inputsFrom({ 'aws-region': 'eu-west-1' }).warnings).toEqual([])
  })
})

import { ActionError } from '../../../src/lib/errors.js'
import { parseInputs } from '../../../src/inputs/parse.js'
import { parseGoDuration } from '../../../src/inputs/deploy.js'
import { readRunnerContext } from '../../../src/runner/context.js'
import { fakeContext, inputProblems, inputsFrom, mapReader } from '../../fixtures/parsed-inputs.js'

const ROLE = 'arn:aws:iam::123456789012:role/deploy'
const DIGEST = `sha256:${'ab12'.repeat(16)}`

/** The problem line about `input`: it names the input and quotes the value received. */
function expectProblem(message: string, input: string, received: string): void {
  const line = message.split('\n').find((text) => text.includes(`Input '${input}'`))
  expect(line).toBeDefined()
  expect(line).toContain(`Received: '${received}'`)
}

describe('role-to-assume', () => {
  test.each([
    ROLE,
    'arn:aws:iam::123456789012:role/path/to/deploy',
    'arn:aws:iam::123456789012:role/Deploy+Role=a,b.c@d_e-f',
  ])('accepts %s', (arn) => {
    expect(inputsFrom({ 'role-to-assume': arn }).auth.roleToAssume).toBe(arn)
  })

  test.each([
    ['arn:aws-cn:iam::123456789012:role/deploy', 'cn-north-1'],
    ['arn:aws-us-gov:iam::123456789012:role/deploy', 'us-gov-west-1'],
  ])('accepts %s with a region of its partition (%s)', (arn, region) => {
    expect(inputsFrom({ 'role-to-assume': arn, 'aws-region': region }).auth.roleToAssume).toBe(arn)
  })

  test.each([
    'deploy',
    'arn:aws:iam::12345678901:role/deploy',
    'arn:aws:iam::123456789012:user/deploy',
    'arn:aws:sts::123456789012:assumed-role/deploy/session',
    'arn:aws:iam::123456789012:role/',
    'arn:aws:iam::123456789012:role/has space',
    'arn:aws:iam:us-east-1:123456789012:role/deploy',
  ])('rejects %s, naming the input and the value', (arn) => {
    expectProblem(inputProblems({ 'role-to-assume': arn }), 'role-to-assume', arn)
  })

  test('empty means no auth phase, not an error', () => {
    expect(inputsFrom({ 'role-to-assume': '  ' }).auth.roleToAssume).toBeUndefined()
  })
})

describe('aws-region', () => {
  test.each(['us-east-1', 'eu-central-1', 'us-gov-west-1', 'ap-southeast-3', 'cn-north-1', 'il-central-1'])(
    'accepts %s',
    (region) => {
      expect(inputsFrom({ 'aws-region': region }).region).toBe(region)
    },
  )

  test.each(['US-EAST-1', 'us-east', 'useast1', 'us-east-1a', 'eu_west_1', 'us-east-1 us-west-2'])(
    'rejects %s',
    (region) => {
      expectProblem(inputProblems({ 'aws-region': region }), 'aws-region', region)
    },
  )

  test('falls back to the ambient region of the job', () => {
    expect(inputsFrom({ 'aws-region': '' }, { ambientRegion: 'ap-south-1' }).region).toBe('ap-south-1')
  })

  test('a bad ambient region is blamed on the variable it came from', () => {
    const message = inputProblems({ 'aws-region': '' }, { ambientRegion: 'us-east-1a' })
    expectProblem(message, 'aws-region', 'us-east-1a')
    expect(message).toContain('is empty, and the region taken from AWS_REGION or AWS_DEFAULT_REGION')
  })

  test('the input wins over the ambient region', () => {
    expect(inputsFrom({ 'aws-region': 'eu-west-3' }, { ambientRegion: 'ap-south-1' }).region).toBe(
      'eu-west-3',
    )
  })

  test('missing everywhere: says which input and which variables, and how to fix it', () => {
    const message = inputProblems({ 'aws-region': '' })
    expect(message).toContain("Input 'aws-region' is required")
    expect(message).toContain('AWS_REGION')
    expect(message).toContain('AWS_DEFAULT_REGION')
    expect(message).toContain('aws-region: us-east-1')
  })

  test.each([
    [{ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-east-2' }, 'eu-west-1'],
    [{ AWS_DEFAULT_REGION: 'us-east-2' }, 'us-east-2'],
    [{ AWS_REGION: '  ', AWS_DEFAULT_REGION: 'us-east-2' }, 'us-east-2'],
    [{}, undefined],
  ])('the runner context takes AWS_REGION, then AWS_DEFAULT_REGION: %j', (env, expected) => {
    const context = readRunnerContext(env, { os: 'linux', arch: 'x64', tmpdir: '/nonexistent' })
    expect(context.ambientRegion).toBe(expected)
  })
})

describe('role-session-name', () => {
  test('defaults to a name derived from the run', () => {
    expect(inputsFrom({}).auth.roleSessionName).toBe('gha-octo-org.octo-repo-4242-1')
  })

  test.each(['ab', 'my-session', 'a.b@c=d,e+f_g-h', 'x'.repeat(64)])('accepts %s', (name) => {
    expect(inputsFrom({ 'role-session-name': name }).auth.roleSessionName).toBe(name)
  })

  test.each(['a', 'x'.repeat(65), 'has space', 'slash/name', 'ünïcode', 'colon:name'])(
    'rejects %s',
    (name) => {
      expectProblem(inputProblems({ 'role-session-name': name }), 'role-session-name', name)
    },
  )
})

describe('whole numbers with a range', () => {
  test.each([
    ['role-duration-seconds', '900', (i: ReturnType<typeof inputsFrom>) => i.auth.roleDurationSeconds, 900],
    [
      'role-duration-seconds',
      '43200',
      (i: ReturnType<typeof inputsFrom>) => i.auth.roleDurationSeconds,
      43200,
    ],
    ['image-wait-seconds', '0', (i: ReturnType<typeof inputsFrom>) => i.ecr.imageWaitSeconds, 0],
    ['image-wait-seconds', '3600', (i: ReturnType<typeof inputsFrom>) => i.ecr.imageWaitSeconds, 3600],
    ['history-max', '0', (i: ReturnType<typeof inputsFrom>) => i.deploy.historyMax, 0],
    ['tag-length', '4', (i: ReturnType<typeof inputsFrom>) => i.ecr.tagLength, 4],
    ['tag-length', '40', (i: ReturnType<typeof inputsFrom>) => i.ecr.tagLength, 40],
    ['tag-length', 'full', (i: ReturnType<typeof inputsFrom>) => i.ecr.tagLength, 40],
    ['tag-length', 'FULL', (i: ReturnType<typeof inputsFrom>) => i.ecr.tagLength, 40],
  ])('%s: %s', (name, value, pick, expected) => {
    expect(pick(inputsFrom({ [name]: value }))).toBe(expected)
  })

  test.each([
    ['role-duration-seconds', '899', '900 to 43200'],
    ['role-duration-seconds', '43201', '900 to 43200'],
    ['role-duration-seconds', '1h', '900 to 43200'],
    ['role-duration-seconds', '3600.5', '900 to 43200'],
    ['role-duration-seconds', '-900', '900 to 43200'],
    ['role-duration-seconds', '1e4', '900 to 43200'],
    ['image-wait-seconds', '3601', '0 to 3600'],
    ['history-max', 'ten', '0 to 1000'],
    ['tag-length', '3', '4 to 40'],
    ['tag-length', '41', '4 to 40'],
  ])('%s rejects %s, giving the range', (name, value, range) => {
    const message = inputProblems({ [name]: value })
    expectProblem(message, name, value)
    expect(message).toContain(range)
  })
})

describe('booleans', () => {
  const BOOLEANS = [
    ['export-credentials', (i: ReturnType<typeof inputsFrom>) => i.auth.shouldExportCredentials],
    ['mask-aws-account-id', (i: ReturnType<typeof inputsFrom>) => i.auth.shouldMaskAccountId],
    ['skip-logout', (i: ReturnType<typeof inputsFrom>) => i.ecr.shouldSkipLogout],
    ['export-kubeconfig', (i: ReturnType<typeof inputsFrom>) => i.kubeconfig.shouldExportKubeconfig],
    ['create-namespace', (i: ReturnType<typeof inputsFrom>) => i.deploy.shouldCreateNamespace],
    ['atomic', (i: ReturnType<typeof inputsFrom>) => i.deploy.isAtomic],
    ['wait', (i: ReturnType<typeof inputsFrom>) => i.deploy.shouldWait],
    ['dry-run', (i: ReturnType<typeof inputsFrom>) => i.deploy.isDryRun],
  ] as const

  test.each(BOOLEANS)('%s reads true/True/TRUE and false/False/FALSE', (name, pick) => {
    for (const value of ['true', 'True', 'TRUE']) expect(pick(inputsFrom({ [name]: value }))).toBe(true)
    for (const value of ['false', 'False', 'FALSE']) expect(pick(inputsFrom({ [name]: value }))).toBe(false)
  })

  test.each(BOOLEANS.flatMap(([name]) => ['yes', '1', 'on', 'Yes', 'TRUE!'].map((value) => [name, value])))(
    '%s rejects %s',
    (name, value) => {
      const message = inputProblems({ [name]: value })
      expectProblem(message, name, value)
      expect(message).toContain("'true' or 'false'")
    },
  )

  test.each([
    ['auto', 'auto'],
    ['', 'auto'],
    ['AUTO', 'auto'],
    ['true', true],
    ['false', false],
  ] as const)('require-image %s', (value, expected) => {
    expect(inputsFrom({ 'require-image': value }).ecr.requireImage).toBe(expected)
  })
})

describe('phases', () => {
  test.each([
    ['', { kind: 'auto' }],
    ['auto', { kind: 'auto' }],
    [' Auto ', { kind: 'auto' }],
    ['auth', { kind: 'list', phases: ['auth'] }],
    ['auth, ecr-login', { kind: 'list', phases: ['auth', 'ecr-login'] }],
    ['AUTH,Deploy', { kind: 'list', phases: ['auth', 'deploy'] }],
    ['kubeconfig\ndeploy\n', { kind: 'list', phases: ['kubeconfig', 'deploy'] }],
    ['auth,auth,deploy', { kind: 'list', phases: ['auth', 'deploy'] }],
  ])('%j', (value, expected) => {
    expect(inputsFrom({ phases: value }).phases).toEqual(expected)
  })

  test('an unknown phase is named, with the list of phases', () => {
    const message = inputProblems({ phases: 'auth,build' })
    expectProblem(message, 'phases', 'auth,build')
    expect(message).toContain("'build' is not a phase")
    expect(message).toContain('auth, ecr-login, kubeconfig, deploy')
  })

  test('the value is quoted as typed', () => {
    expectProblem(inputProblems({ phases: 'Auth,Build' }), 'phases', 'Auth,Build')
  })

  test('each unknown phase is its own problem', () => {
    const message = inputProblems({ phases: 'build,push' })
    expect(message).toContain("'build' is not a phase")
    expect(message).toContain("'push' is not a phase")
  })
})

describe('auth lists and policies', () => {
  test('managed session policies, comma or newline separated', () => {
    const arns = ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::123456789012:policy/deploy-limits']
    expect(inputsFrom({ 'managed-session-policies': arns.join(',\n') }).auth.managedSessionPolicies).toEqual(
      arns,
    )
  })

  test.each(['ReadOnlyAccess', 'arn:aws:iam::123456789012:role/deploy'])(
    'rejects managed policy %s',
    (arn) => {
      expectProblem(inputProblems({ 'managed-session-policies': arn }), 'managed-session-policies', arn)
    },
  )

  test('inline session policy must be JSON', () => {
    const policy = '{"Version":"2012-10-17","Statement":[]}'
    expect(inputsFrom({ 'inline-session-policy': policy }).auth.inlineSessionPolicy).toBe(policy)
    expectProblem(inputProblems({ 'inline-session-policy': 'Allow *' }), 'inline-session-policy', 'Allow *')
  })

  test('allowed-account-ids', () => {
    expect(
      inputsFrom({ 'allowed-account-ids': '123456789012, 210987654321\n' }).auth.allowedAccountIds,
    ).toEqual(['123456789012', '210987654321'])
    expectProblem(
      inputProblems({ 'allowed-account-ids': '123456789012,1234' }),
      'allowed-account-ids',
      '1234',
    )
  })

  test('audience defaults to sts.amazonaws.com and can be changed', () => {
    expect(inputsFrom({}).auth.audience).toBe('sts.amazonaws.com')
    expect(inputsFrom({ audience: 'my-aud' }).auth.audience).toBe('my-aud')
  })
})

describe('registries', () => {
  test('account ids and ECR hosts, comma or newline separated', () => {
    const registries = inputsFrom({
      registries:
        '123456789012, 210987654321.dkr.ecr.us-west-2.amazonaws.com\n' +
        '111122223333.DKR.ECR.cn-north-1.amazonaws.com.cn\n333344445555.dkr.ecr-fips.us-gov-west-1.amazonaws.com',
    }).ecr.registries
    expect(registries).toEqual([
      { kind: 'account', accountId: '123456789012' },
      {
        kind: 'host',
        host: '210987654321.dkr.ecr.us-west-2.amazonaws.com',
        accountId: '210987654321',
        region: 'us-west-2',
      },
      {
        kind: 'host',
        host: '111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn',
        accountId: '111122223333',
        region: 'cn-north-1',
      },
      {
        kind: 'host',
        host: '333344445555.dkr.ecr-fips.us-gov-west-1.amazonaws.com',
        accountId: '333344445555',
        region: 'us-gov-west-1',
      },
    ])
  })

  test.each(['12345', 'docker.io', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop', 'public.ecr.aws'])(
    'rejects %s',
    (item) => {
      expectProblem(inputProblems({ registries: `123456789012,${item}` }), 'registries', item)
    },
  )
})

describe('the image', () => {
  test.each(['shop/api', 'api', 'team-a/shop.api_v2'])('ecr-repository %s', (name) => {
    expect(inputsFrom({ 'ecr-repository': name }).ecr.repository).toBe(name)
  })

  test.each(['Shop/API', 'shop/api:v1', '/shop', 'shop//api', 'shop/'])(
    'rejects ecr-repository %s',
    (name) => {
      expectProblem(inputProblems({ 'ecr-repository': name }), 'ecr-repository', name)
    },
  )

  test.each(['v1.2.3', '1234567', '_x', 'A'.repeat(128)])('image-tag %s', (tag) => {
    expect(inputsFrom({ 'image-tag': tag }).ecr.imageTag).toBe(tag)
  })

  test.each(['.hidden', '-x', 'a:b', 'A'.repeat(129), 'has space', 'a/b'])('rejects image-tag %s', (tag) => {
    expectProblem(inputProblems({ 'image-tag': tag }), 'image-tag', tag)
  })

  test.each([
    ['tag-prefix', 'sha-'],
    ['tag-suffix', '-amd64'],
  ])('%s %s', (name, value) => {
    const inputs = inputsFrom({ [name]: value })
    expect(name === 'tag-prefix' ? inputs.ecr.tagPrefix : inputs.ecr.tagSuffix).toBe(value)
  })

  test.each([
    ['tag-prefix', 'a/b'],
    ['tag-suffix', 'a:b'],
  ])('rejects %s %s', (name, value) => {
    expectProblem(inputProblems({ [name]: value }), name, value)
  })

  test.each(['auto', 'head', 'merge', 'workflow-run'] as const)('sha-source %s', (source) => {
    expect(inputsFrom({ 'sha-source': source }).ecr.shaSource).toBe(source)
  })

  test('rejects an unknown sha-source, listing the choices', () => {
    const message = inputProblems({ 'sha-source': 'tip' })
    expectProblem(message, 'sha-source', 'tip')
    expect(message).toContain("'auto', 'head', 'merge', 'workflow-run'")
  })

  test('image-digest', () => {
    expect(inputsFrom({ 'image-digest': DIGEST }).ecr.imageDigest).toBe(DIGEST)
  })

  test.each([DIGEST.toUpperCase(), DIGEST.slice(0, -1), `sha512:${'ab'.repeat(32)}`, 'ab12'.repeat(16)])(
    'rejects image-digest %s',
    (digest) => {
      expectProblem(inputProblems({ 'image-digest': digest }), 'image-digest', digest)
    },
  )
})

describe('kubeconfig', () => {
  test('cluster name, role and auth mode', () => {
    const inputs = inputsFrom({
      'cluster-name': 'prod_eu-1',
      'cluster-role-arn': ROLE,
      'kubeconfig-auth': 'Token',
    })
    expect(inputs.kubeconfig).toEqual({
      clusterName: 'prod_eu-1',
      clusterRoleArn: ROLE,
      auth: 'token',
      shouldExportKubeconfig: true,
    })
  })

  test.each([
    ['cluster-name', '-prod'],
    ['cluster-name', 'a'.repeat(101)],
    ['cluster-name', 'prod.eu'],
    ['cluster-role-arn', 'cluster-admin'],
    ['kubeconfig-auth', 'aws-cli'],
  ])('rejects %s %s', (name, value) => {
    expectProblem(inputProblems({ [name]: value }), name, value)
  })
})

describe('release and namespace', () => {
  test.each(['my-app', 'a', 'app.v2', 'a'.repeat(53)])('release %s', (release) => {
    expect(inputsFrom({ release }).deploy.release).toBe(release)
  })

  test.each(['My-App', '-app', 'app-', 'my_app', 'a'.repeat(54), 'app..v2'])(
    'rejects release %s',
    (release) => {
      expectProblem(inputProblems({ release }), 'release', release)
    },
  )

  test.each(['default', 'kube-system', 'a', 'a'.repeat(63)])('namespace %s', (namespace) => {
    expect(inputsFrom({ namespace }).deploy.namespace).toBe(namespace)
  })

  test.each(['Default', 'a.b', 'a'.repeat(64), '-ns', 'ns_1'])('rejects namespace %s', (namespace) => {
    expectProblem(inputProblems({ namespace }), 'namespace', namespace)
  })
})

describe('Go durations', () => {
  test.each([
    ['5m', 300],
    ['90s', 90],
    ['1h30m', 5400],
    ['1.5h', 5400],
    ['2h45m30s', 9930],
    ['500ms', 0.5],
    ['1m500ms', 60.5],
    ['1000us', 0.001],
    ['1000µs', 0.001],
    ['1000000ns', 0.001],
  ])('%s is %d s', (text, seconds) => {
    expect(parseGoDuration(text)).toBeCloseTo(seconds, 9)
  })

  test.each(['5', '5 m', 'm', '1d', '-5m', '', '5m30', '.5s', '5M'])('%j is not a Go duration', (text) => {
    expect(parseGoDuration(text)).toBeUndefined()
  })

  test('timeout keeps the text and its seconds', () => {
    expect(inputsFrom({ timeout: '1h30m' }).deploy).toMatchObject({ timeout: '1h30m', timeoutSeconds: 5400 })
  })

  // Any fraction of a millisecond ended in "The value of "delay" is out of range" in a timer.
  test.each([
    ['1.5s', 2],
    ['1.1s', 2],
    ['1s', 1],
    ['1m500ms', 61],
    ['1000000001ns', 2],
  ])('timeout %s waits in whole seconds, rounded up: %d', (timeout, seconds) => {
    expect(inputsFrom({ timeout }).deploy).toMatchObject({ timeout, timeoutSeconds: seconds })
  })

  test.each(['1ns', '999ms', '500us'])('refuses timeout %s, shorter than 1s, and says so', (timeout) => {
    const message = inputProblems({ timeout })
    expectProblem(message, 'timeout', timeout)
    expect(message).toContain('is shorter than 1s')
  })

  test.each(['5', '0s', '10 minutes'])('rejects timeout %s', (timeout) => {
    const message = inputProblems({ timeout })
    expectProblem(message, 'timeout', timeout)
    expect(message).toContain('5m, 90s or 1h30m')
  })
})

describe('set and set-string', () => {
  test.each(['set', 'set-string'] as const)(
    '%s: one key=value a line; commas and = stay in the value',
    (name) => {
      const inputs = inputsFrom({
        [name]: [
          'replicaCount=3',
          '# a comment',
          '',
          'ingress.hosts={a.example.com,b.example.com}',
          'env.DATABASE_URL=postgres://u@h/db?sslmode=require&x=y',
          'annotations.note=a, b, c',
          'empty=',
        ].join('\n'),
      })
      expect(name === 'set' ? inputs.deploy.set : inputs.deploy.setString).toEqual([
        { key: 'replicaCount', value: '3' },
        { key: 'ingress.hosts', value: '{a.example.com,b.example.com}' },
        { key: 'env.DATABASE_URL', value: 'postgres://u@h/db?sslmode=require&x=y' },
        { key: 'annotations.note', value: 'a, b, c' },
        { key: 'empty', value: '' },
      ])
    },
  )

  test.each([
    ['set', 'replicaCount', 'replicaCount'],
    ['set', '=3', '=3'],
    // set-string values are secrets: a bad line is not quoted back.
    ['set-string', 'image.tag', '<hidden: 9 characters, no key=>'],
    ['set-string', '=s3cret-value', '<hidden: 13 characters, no key=>'],
  ])('%s rejects the line %s', (name, line, shown) => {
    const message = inputProblems({ [name]: `a=1\n${line}` })
    expectProblem(message, name, shown)
    expect(message).toContain('key=value')
    if (name === 'set-string') expect(message).not.toContain(line)
  })

  test('a set-string line with a bad key names the key, not the value', () => {
    const message = inputProblems({ 'set-string': 'db password=s3cret-value' })
    expectProblem(message, 'set-string', 'db password=<hidden>')
    expect(message).not.toContain('s3cret')
  })

  test('values-files and helm-args: one item a line, commas kept', () => {
    const deploy = inputsFrom({
      'values-files': 'values.yaml\nvalues,prod.yaml',
      'helm-args': '--labels=team=a,tier=web\n--debug',
    }).deploy
    expect(deploy.valuesFiles).toEqual(['values.yaml', 'values,prod.yaml'])
    expect(deploy.helmArgs).toEqual(['--labels=team=a,tier=web', '--debug'])
  })
})

describe('helm', () => {
  test.each([
    ['v3.17.3', { kind: 'release', version: 'v3.17.3' }],
    ['3.17.3', { kind: 'release', version: 'v3.17.3' }],
    ['v4.1.4-rc.1', { kind: 'release', version: 'v4.1.4-rc.1' }],
    ['system', { kind: 'system' }],
    ['SYSTEM', { kind: 'system' }],
  ])('helm-version %s', (value, expected) => {
    expect(inputsFrom({ 'helm-version': value }).deploy.helmVersion).toEqual(expected)
  })

  test.each(['v2.17.0', 'latest', 'v4.1', 'v5.0.0'])('rejects helm-version %s', (value) => {
    expectProblem(inputProblems({ 'helm-version': value }), 'helm-version', value)
  })

  test('helm-mirror loses its trailing slashes', () => {
    expect(inputsFrom({ 'helm-mirror': 'https://mirror.example.com/helm//' }).deploy.helmMirror).toBe(
      'https://mirror.example.com/helm',
    )
  })
})

describe('chart kinds', () => {
  test.each([
    [
      { chart: 'oci://123456789012.dkr.ecr.us-east-1.amazonaws.com/charts/api' },
      { kind: 'oci', ref: 'oci://123456789012.dkr.ecr.us-east-1.amazonaws.com/charts/api' },
    ],
    [
      { chart: 'nginx', 'chart-repository': 'https://charts.example.com' },
      { kind: 'repo', name: 'nginx', repository: 'https://charts.example.com' },
    ],
    [
      { chart: 'bitnami/nginx', 'chart-repository': 'https://charts.example.com' },
      { kind: 'repo', name: 'nginx', repository: 'https://charts.example.com' },
    ],
    [{ chart: './charts/api' }, { kind: 'path', path: './charts/api' }],
    [{ chart: 'bitnami/nginx' }, { kind: 'path', path: 'bitnami/nginx' }],
    [{ chart: 'api-1.2.3.tgz' }, { kind: 'path', path: 'api-1.2.3.tgz' }],
    [{}, undefined],
  ])('%j', (values, expected) => {
    expect(inputsFrom(values).deploy.chart).toEqual(expected)
  })

  test('chart-repository without chart', () => {
    const message = inputProblems({ 'chart-repository': 'https://charts.example.com' })
    expect(message).toContain("Input 'chart': is required when 'chart-repository' is set.")
  })

  test('chart-repository must be a URL', () => {
    expectProblem(
      inputProblems({ chart: 'nginx', 'chart-repository': 'charts.example.com' }),
      'chart-repository',
      'charts.example.com',
    )
  })
})

describe('every problem at once', () => {
  const BAD = {
    'role-to-assume': 'deploy-role',
    'aws-region': 'mars-1',
    'role-duration-seconds': '60',
    'export-credentials': 'maybe',
    phases: 'auth,build',
    registries: 'docker.io',
    'image-tag': ':latest',
    'image-digest': 'sha256:abc',
    release: 'My_Release',
    namespace: 'Prod',
    timeout: '5 minutes',
    set: 'novalue',
    'helm-version': 'latest',
  }

  test('reports each bad input, with its value, in one ActionError', () => {
    let thrown: unknown
    try {
      parseInputs(mapReader(BAD), fakeContext())
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ActionError)
    const error = thrown as ActionError
    expect(error.message).toMatch(/^Invalid inputs:\n- /)
    for (const [name, value] of Object.entries(BAD)) expectProblem(error.message, name, value)
    expect(error.message.split('\n- ')).toHaveLength(Object.keys(BAD).length + 1)
    expect(error.hint).toContain('action.yml')
  })

  test('one problem reads "Invalid input"', () => {
    expect(inputProblems({ release: 'X' })).toMatch(/^Invalid input:\n- Input 'release'/)
  })
})

describe('purity', () => {
  test('reads nothing but its reader and the context it is given', () => {
    const saved = { ...process.env }
    process.env.AWS_REGION = 'eu-north-1'
    process.env.AWS_DEFAULT_REGION = 'eu-north-1'
    process.env['INPUT_AWS-REGION'] = 'eu-north-1'
    process.env['INPUT_ROLE-TO-ASSUME'] = ROLE
    process.env.GITHUB_REPOSITORY = 'other/repo'
    try {
      const read = mapReader({ phases: 'auto', release: 'api', chart: './chart' })
      expect(() => parseInputs(read, fakeContext())).toThrow("Input 'aws-region' is required")
      const inputs = parseInputs(read, fakeContext({ ambientRegion: 'us-west-1' }))
      expect(inputs.region).toBe('us-west-1')
      expect(inputs.auth.roleToAssume).toBeUndefined()
      expect(inputs.auth.roleSessionName).toBe('gha-octo-org.octo-repo-4242-1')
    } finally {
      for (const key of Object.keys(process.env))
        if (!(key in saved)) Reflect.deleteProperty(process.env, key)
      Object.assign(process.env, saved)
    }
  })

  test('the same reader gives equal results, and the object is the context it was given', () => {
    const context = fakeContext({ ambientRegion: 'us-west-1' })
    const values = { 'role-to-assume': ROLE, set: 'a=b' }
    expect(parseInputs(mapReader(values), context)).toEqual(parseInputs(mapReader(values), context))
    expect(parseInputs(mapReader(values), context).context).toBe(context)
  })
})

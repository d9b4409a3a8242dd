import { parseInputs } from '../../../src/inputs/parse.js'
import { readRunnerContext } from '../../../src/runner/context.js'
import { loadActionYaml } from '../../fixtures/action-runner.js'

const context = readRunnerContext({}, { os: 'linux', arch: 'x64', tmpdir: '/tmp' })

/** Reads inputs as the runner gives them: action.yml defaults, then the step's `with:`. */
function read(given: Record<string, string>) {
  const defaults = Object.fromEntries(
    Object.entries(loadActionYaml().inputs).map(([name, spec]) => [name, spec.default ?? '']),
  )
  const all: Record<string, string> = { ...defaults, 'aws-region': 'eu-west-1', ...given }
  return (name: string): string => all[name] ?? ''
}

describe('deploy inputs', () => {
  test('the defaults of action.yml', () => {
    const { deploy } = parseInputs(read({ release: 'api', chart: './chart' }), context)
    expect(deploy).toEqual({
      release: 'api',
      chart: { kind: 'path', path: './chart' },
      manifests: [],
      chartVersion: undefined,
      namespace: 'default',
      shouldCreateNamespace: true,
      valuesFiles: [],
      set: [],
      setString: [],
      imageRepositoryKey: 'image.repository',
      imageTagKey: 'image.tag',
      isAtomic: true,
      shouldWait: true,
      waitMode: 'auto',
      timeout: '5m',
      timeoutSeconds: 300,
      historyMax: 10,
      helmArgs: [],
      isDryRun: false,
      dryRunDiff: 'redacted',
      fieldConflicts: 'auto',
      isFailFast: true,
      isPreflight: true,
      lock: 'true',
      shouldSkipUnchanged: false,
      shouldFailOnChanges: false,
      lockTimeoutSeconds: 600,
      logLines: 20,
      shouldRecoverPending: false,
      onPausedRollout: 'wait',
      shouldKeepFailedInstall: false,
      helmVersion: { kind: 'release', version: 'v4.1.4' },
      helmMirror: 'https://get.helm.sh',
    })
  })

  test('values keep commas, = and spaces; one pair per line', () => {
    const { deploy } = parseInputs(
      read({ set: 'a=1\nb.c=x,y=z', 'set-string': 'tag=1234567\nmsg=hello, "world"' }),
      context,
    )
    expect(deploy.set).toEqual([
      { key: 'a', value: '1' },
      { key: 'b.c', value: 'x,y=z' },
    ])
    expect(deploy.setString).toEqual([
      { key: 'tag', value: '1234567' },
      { key: 'msg', value: 'hello, "world"' },
    ])
  })

  test.each([
    ['helm-mirror', 'get.helm.sh', "Input 'helm-mirror': must be an http(s):// URL"],
    [
      'chart-repository',
      'oci://registry/charts',
      "Input 'chart-repository': must be an http(s):// URL (for an OCI chart, give chart: oci://...).",
    ],
    ['set', 'bad key=1', "Input 'set': must be a Helm value path"],
    ['image-tag-key', 'image tag', "Input 'image-tag-key': must be a Helm value path"],
    ['image-repository-key', 'a,b', "Input 'image-repository-key': must be a Helm value path"],
    ['helm-version', 'v5.0', "Input 'helm-version': must be a Helm release such as v4.1.4"],
    ['timeout', '5 minutes', "Input 'timeout': must be a Go duration"],
    ['release', 'My_App', "Input 'release': must be a Helm release name"],
  ])('%s: %j is refused, naming the input and the value', (name, value, message) => {
    const given = { release: 'api', chart: './chart', [name]: value }
    expect(() => parseInputs(read(given), context)).toThrow(message)
    expect(() => parseInputs(read(given), context)).toThrow(`Received: '${value}'`)
  })

  test('fail-on-changes gates a dry run only', () => {
    const plan = { release: 'api', chart: './chart', 'fail-on-changes': 'true' }
    expect(parseInputs(read({ ...plan, 'dry-run': 'true' }), context).deploy.shouldFailOnChanges).toBe(true)
    expect(() => parseInputs(read(plan), context)).toThrow(
      "Input 'fail-on-changes': gates a dry run only: set dry-run: true with it",
    )
  })

  test('wait-mode hookOnly needs atomic: false (automatic rollback waits for readiness itself)', () => {
    const given = { release: 'api', chart: './chart', 'wait-mode': 'hookOnly' }
    expect(() => parseInputs(read(given), context)).toThrow(
      "Input 'wait-mode': cannot be combined with atomic: true (the default)",
    )
    expect(() => parseInputs(read(given), context)).toThrow('Set atomic: false to wait for hooks only')
    expect(parseInputs(read({ ...given, atomic: 'false' }), context).deploy.waitMode).toBe('hookOnly')
    expect(parseInputs(read({ ...given, 'wait-mode': 'legacy' }), context).deploy.waitMode).toBe('legacy')
  })

  test('an input a rule reads again is said to be wrong once (atomic, dry-run)', () => {
    const problems = (given: Record<string, string>): string[] => {
      try {
        parseInputs(read({ release: 'api', chart: './chart', ...given }), context)
        return []
      } catch (error) {
        return (error as Error).message.split('\n').filter((line) => line.startsWith('- '))
      }
    }
    const atomic = problems({ 'wait-mode': 'hookOnly', atomic: 'yes' })
    expect(atomic.filter((line) => line.startsWith("- Input 'atomic'"))).toHaveLength(1)
    const dryRun = problems({ 'fail-on-changes': 'true', 'dry-run': 'maybe' })
    expect(dryRun.filter((line) => line.startsWith("- Input 'dry-run'"))).toHaveLength(1)
  })

  test('a mirror with a trailing slash is trimmed', () => {
    const { deploy } = parseInputs(read({ 'helm-mirror': 'https://mirror.example.com/helm/' }), context)
    expect(deploy.helmMirror).toBe('https://mirror.example.com/helm')
  })
})

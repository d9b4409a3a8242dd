import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as core from '@actions/core'
import * as runner from '../../src/runner-protocol.js'

/**
 * src/runner-protocol.ts stands in for @actions/core: each scenario runs once through core and
 * once through ours, and both must leave the same bytes on stdout, in the file commands and the
 * job summary, and the same environment and exit code.
 */
interface Protocol {
  getInput(name: string): string
  getState(name: string): string
  setOutput(name: string, value: string): void
  exportVariable(name: string, value: string): void
  saveState(name: string, value: string): void
  addPath(dir: string): void
  setSecret(secret: string): void
  info(message: string): void
  debug(message: string): void
  warning(message: string, where?: runner.AnnotationProperties): void
  error(message: string, where?: runner.AnnotationProperties): void
  notice(message: string, where?: runner.AnnotationProperties): void
  group<T>(title: string, fn: () => Promise<T>): Promise<T>
  setFailed(message: string): void
  appendStepSummary(markdown: string): Promise<void>
}

const ours: Protocol = runner
const theirs: Protocol = {
  ...core,
  warning: (message, where) => {
    core.warning(message, where)
  },
  error: (message, where) => {
    core.error(message, where)
  },
  notice: (message, where) => {
    core.notice(message, where)
  },
  appendStepSummary: async (markdown) => {
    // core's summary is a singleton that keeps the first file path it saw; each trace has its own.
    ;(core.summary as unknown as { _filePath?: string | undefined })._filePath = undefined
    await core.summary.addRaw(markdown, true).write()
  },
}

const FILES = ['OUTPUT', 'ENV', 'STATE', 'PATH', 'STEP_SUMMARY'] as const
const RESET_ENV = ['PATH', 'STATE_cleanup', 'INPUT_ROLE-TO-ASSUME', 'INPUT_AWS_REGION', 'MY_VAR']

interface Trace {
  readonly stdout: string
  readonly files: Record<string, string>
  readonly env: Record<string, string | undefined>
  readonly exitCode: typeof process.exitCode
  readonly returned: unknown
}

let dir: string
let savedEnv: NodeJS.ProcessEnv
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runner-protocol-'))
  savedEnv = { ...process.env }
})
afterEach(async () => {
  process.env = savedEnv
  process.exitCode = undefined
  await fs.rm(dir, { recursive: true, force: true })
})

/** Each delimiter is a fresh UUID; numbered in order of appearance, the two traces can be compared. */
function normalize(text: string): string {
  const seen = new Map<string, number>()
  return text.replace(/ghadelimiter_[0-9a-f-]{36}/g, (d) => {
    if (!seen.has(d)) seen.set(d, seen.size + 1)
    return `ghadelimiter_<${seen.get(d)}>`
  })
}

async function trace(
  impl: Protocol,
  useFiles: boolean,
  scenario: (p: Protocol) => unknown,
  env: Record<string, string> = {},
): Promise<Trace> {
  const run = await fs.mkdtemp(path.join(dir, 'run-'))
  for (const name of FILES) {
    const file = path.join(run, name)
    await fs.writeFile(file, '')
    if (useFiles) process.env[`GITHUB_${name}`] = file
    else process.env[`GITHUB_${name}`] = name === 'STEP_SUMMARY' ? file : ''
  }
  for (const name of RESET_ENV) Reflect.deleteProperty(process.env, name)
  process.env.PATH = '/usr/bin'
  Object.assign(process.env, env)
  process.exitCode = undefined
  const written: string[] = []
  const write = process.stdout.write.bind(process.stdout)
  process.stdout.write = (chunk: string | Uint8Array) => {
    written.push(String(chunk))
    return true
  }
  let returned: unknown
  try {
    returned = await scenario(impl)
  } catch (error) {
    returned = error instanceof Error ? `throws ${error.message}` : error
  } finally {
    process.stdout.write = write
  }
  const files: Record<string, string> = {}
  for (const name of FILES) files[name] = normalize(await fs.readFile(path.join(run, name), 'utf8'))
  return {
    stdout: normalize(written.join('')),
    files,
    env: { PATH: process.env.PATH, MY_VAR: process.env.MY_VAR },
    exitCode: process.exitCode,
    returned,
  }
}

const SCENARIOS: [string, (p: Protocol) => unknown][] = [
  [
    'a multi-line output',
    (p) => {
      p.setOutput('kubeconfig', 'apiVersion: v1\r\nclusters:\n- x\n')
    },
  ],
  [
    'an exported variable, also set in this process',
    (p) => {
      p.exportVariable('MY_VAR', 'a b\nc')
    },
  ],
  [
    'saved state',
    (p) => {
      p.saveState('cleanup', '{"paths":["/tmp/a b"]}')
    },
  ],
  [
    'a path entry, also prepended to PATH',
    (p) => {
      p.addPath('/opt/helm/v4')
    },
  ],
  [
    'a mask with % \\r \\n',
    (p) => {
      p.setSecret('p%ss\r\nw0rd%0A')
    },
  ],
  [
    'info as is',
    (p) => {
      p.info('50% done %0A\nnext line')
    },
  ],
  [
    'debug, escaped',
    (p) => {
      p.debug('50% done\r\nnext')
    },
  ],
  [
    'warning, error and notice',
    (p) => {
      p.warning('a: b, c')
      p.error('e\n2')
      p.notice('%')
    },
  ],
  [
    'annotation properties, escaped, empty ones left out',
    (p) => {
      p.warning('w', { title: 'a:b,c%\n', file: 'src/x.ts', startLine: 3, startColumn: 0 })
    },
  ],
  [
    'a group around awaited work',
    (p) =>
      p.group('Title 100%', async () => {
        p.info('inside')
        return Promise.resolve(42)
      }),
  ],
  ['a group whose work throws still ends', (p) => p.group('G', () => Promise.reject(new Error('no')))],
  [
    'setFailed',
    (p) => {
      p.setFailed('Failed:\n  because')
    },
  ],
  ['the job summary', (p) => p.appendStepSummary('| a | b |\n| - | - |')],
  ['inputs', (p) => [p.getInput('role-to-assume'), p.getInput('aws region'), p.getInput('missing')]],
  ['state', (p) => [p.getState('cleanup'), p.getState('other')]],
]
const INPUT_ENV = {
  'INPUT_ROLE-TO-ASSUME': '  arn:aws:iam::1:role/x \n',
  INPUT_AWS_REGION: 'eu-west-1',
  STATE_cleanup: '{}',
}

describe.each([
  ['with the runner files', true],
  ['without them (stdout commands)', false],
])('%s', (_label, useFiles) => {
  test.each(SCENARIOS)('%s: the same as @actions/core', async (_name, scenario) => {
    const expected = await trace(theirs, useFiles, scenario, INPUT_ENV)
    const actual = await trace(ours, useFiles, scenario, INPUT_ENV)
    expect(actual).toEqual(expected)
    // Every scenario leaves a mark somewhere, so equal traces are not two empty ones.
    const traces = [expected.stdout, ...Object.values(expected.files), expected.env.MY_VAR, expected.returned]
    expect(traces.join('') + String(expected.env.PATH)).not.toBe('/usr/bin')
  })
})

test('the heredoc format, written out', async () => {
  const { files } = await trace(ours, true, (p) => {
    p.setOutput('image', 'a\nb')
    p.saveState('s', '')
  })
  expect(files.OUTPUT).toBe(`image<<ghadelimiter_<1>${os.EOL}a\nb${os.EOL}ghadelimiter_<1>${os.EOL}`)
  expect(files.STATE).toBe(`s<<ghadelimiter_<1>${os.EOL}${os.EOL}ghadelimiter_<1>${os.EOL}`)
})

test('the workflow commands, written out', async () => {
  const { stdout } = await trace(ours, true, (p) => {
    p.setSecret('a%b\r\nc')
    p.warning('x', { title: 'T: 1,2', startLine: 4 })
  })
  expect(stdout).toBe(`::add-mask::a%25b%0D%0Ac${os.EOL}::warning title=T%3A 1%2C2,line=4::x${os.EOL}`)
})

test.each([
  ['name', 'x ghadelimiter_fixed', 'v'],
  ['value', 'x', 'before\nghadelimiter_fixed\nafter'],
])('a %s holding the delimiter is refused', (what, name, value) => {
  expect(() => runner.formatKeyValue(name, value, 'ghadelimiter_fixed')).toThrow(
    `Unexpected input: ${what} should not contain the delimiter "ghadelimiter_fixed"`,
  )
})

test('a file command whose file is missing fails as core does', async () => {
  const missing = path.join(dir, 'gone')
  const scenario = (p: Protocol) => {
    p.setOutput('a', 'b')
  }
  const expected = await trace(theirs, true, scenario, { GITHUB_OUTPUT: missing })
  const actual = await trace(ours, true, scenario, { GITHUB_OUTPUT: missing })
  expect(actual.returned).toBe(`throws Missing file at path: ${missing}`)
  expect(actual).toEqual(expected)
})

test('a summary file that cannot be written fails as core does', async () => {
  const scenario = (p: Protocol) => p.appendStepSummary('x')
  const env = { GITHUB_STEP_SUMMARY: path.join(dir, 'no', 'such') }
  const expected = await trace(theirs, true, scenario, env)
  expect(expected.returned).toMatch(/^throws Unable to access summary file/)
  expect(await trace(ours, true, scenario, env)).toEqual(expected)
})

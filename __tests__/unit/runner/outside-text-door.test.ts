import { jest } from '@jest/globals'
import { createActionsRuntime } from '../../../src/runner/actions-runtime.js'
import { unpausedCommands } from '../../fixtures/leak-scan.js'

// Text from a cluster, a chart or a container log, as the lab's hostile objects carry it.
const HOSTILE = [
  'Release web deployed: ##[set-output name=image;]evil.example/x:1',
  'Readiness probe failed: ##[add-mask]deploy',
  'appVersion ##[stop-commands]silence',
  '::set-output name=image::evil.example/x:1',
  'ok\n  ::add-mask::deploy',
  'ok\r::warning::x',
  'two ##[ in ##[error]one line',
]

describe('the runtime is the one door: no outside text runs a workflow command', () => {
  let written: string[]
  beforeEach(() => {
    written = []
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
      return true
    })
  })
  afterEach(() => {
    jest.restoreAllMocks()
  })

  test.each(HOSTILE)('%j through info, notice, warning, debug and relay', (text) => {
    const runtime = createActionsRuntime()
    runtime.info(`Event: ${text}`)
    runtime.info(text)
    runtime.relay(text)
    runtime.notice(`Image: ${text}`)
    runtime.warning(`Pod web: ${text}`)
    runtime.debug(text)
    const stdout = written.join('')
    const commands = unpausedCommands(stdout).filter(
      (line) => !/^::(notice|warning|debug)::/.test(line) || line.includes('##['),
    )
    expect(commands).toEqual([])
    // The text is still there for a reader.
    expect(stdout).toContain(text.split('\n')[0]?.split('\r')[0] ?? '')
  })
})

describe('unpausedCommands follows the runner', () => {
  test.each([
    ['::warning::x', ['::warning::x']],
    ['text ##[set-output name=a;]b', ['text ##[set-output name=a;]b']],
    ['::stop-commands::T\n::add-mask::x\na ##[error]b\n::T::\n::error::after', ['::error::after']],
    ['a :: b\nimage: x:1', []],
  ])('%j', (stdout, expected) => {
    expect(unpausedCommands(stdout)).toEqual(expected)
  })
})

import { escapeMarkdown } from '../../../src/lib/markdown-text.js'
import { carriesWorkflowCommand, neutraliseCommands, printable } from '../../../src/lib/printable.js'

describe('carriesWorkflowCommand: the runner reads :: at a line start and ##[ anywhere', () => {
  test.each([
    ['::set-output name=x::y', true],
    ['  ::add-mask::deploy', true],
    ['fine\n::error::x', true],
    ['fine\r::error::x', true],
    ['Release web deployed: ##[set-output name=image;]evil.example/x:1', true],
    ['a :: b', false],
    ['image: nginx:1.27', false],
    ['# comment [x]', false],
  ])('%j -> %s', (text, expected) => {
    expect(carriesWorkflowCommand(text)).toBe(expected)
  })
})

describe('printable and neutraliseCommands leave no command', () => {
  test.each([
    '::set-output name=x::y',
    'x ##[add-mask]deploy',
    '##[stop-commands]t',
    'one\n::error::two',
    ' \t::warning::x',
    'a\u2028::debug::b',
    '##[##[::',
  ])('%j', (text) => {
    const quoted = printable(text)
    expect(carriesWorkflowCommand(quoted)).toBe(false)
    expect(quoted).not.toMatch(/[\n\r]/)
    expect(carriesWorkflowCommand(neutraliseCommands(text))).toBe(false)
  })

  test('still shows what was there', () => {
    expect(printable('::error::x ##[add-mask]y')).toBe(':\\u003aerror::x #\\u0023[add-mask]y')
    expect(printable('image: nginx:1.27')).toBe('image: nginx:1.27')
  })
})

describe('escapeMarkdown shows outside text as it is', () => {
  test.each([
    ['@team please look', '&#64;&#8203;team please look'],
    ['see #123', 'see &#35;&#8203;123'],
    ['[click](https://evil.example)', '&#91;click&#93;(https://evil.example)'],
    ['<img src=x onerror=alert(1)>', '&#60;img src=x onerror=alert(1)&#62;'],
    [
      '*bold* _em_ ~del~ `code` | cell',
      '&#42;bold&#42; &#95;em&#95; &#126;del&#126; &#96;code&#96; &#124; cell',
    ],
    ['# heading', '&#35; heading'],
    ['a@b.c plain text', 'a&#64;&#8203;b.c plain text'],
  ])('%j', (text, expected) => {
    expect(escapeMarkdown(text)).toBe(expected)
  })

  test('no markdown or HTML character survives raw', () => {
    const escaped = escapeMarkdown('<>&"\'|`*_~[]!\\#@x')
    expect(escaped.replace(/&#\d+;/g, '')).toBe('x')
  })
})

import { collectErrorSites, collectInputChecks } from '../../../scripts/docs/error-catalog.js'
import { cell } from '../../../scripts/docs/markdown.js'
import { firstSentence } from '../../../scripts/docs/action-tables.js'
import { regenerate } from '../../../scripts/docs/readme.js'
import { indexSources, indexTexts } from '../../../scripts/docs/source-index.js'
import { groupOf, mergeHints, renderErrorCatalog } from '../../../scripts/docs/troubleshooting.js'
import { ROOT } from '../../fixtures/action-runner.js'

// scripts/docs turns the sources' `new ActionError(...)` sites back into text: these snippets are the
// shapes src/ uses, each with the text the catalog must show.
const sitesOf = (...files: string[]) =>
  collectErrorSites(
    indexTexts(
      '/',
      files.map((text, i) => [`src/phases/x/f${i}.ts`, text] as const),
    ),
  )

describe('the error catalog', () => {
  test.each([
    [
      'a constant is followed to its text',
      "const WHERE = 'the endpoint'\nthrow new ActionError(`No answer from ${WHERE}.`)",
      'No answer from the endpoint.',
    ],
    [
      'a run-time value becomes a placeholder named after it',
      'throw new ActionError(`Role ${params.roleArn} failed: ${describe(error)}`)',
      'Role {roleArn} failed: {error}',
    ],
    [
      'a short conditional shows both wordings',
      "throw new ActionError(`${n} input${n > 1 ? 's' : ''}, ${n > 1 ? 'they lack' : 'it lacks'} it`)",
      '{n} input[s], [they lack|it lacks] it',
    ],
    [
      'a long conditional is named after its variable',
      "const who = x ? `IAM role ${arn} of the job` : 'the principal of the job credentials'\nthrow new ActionError(`Refused ${who}.`)",
      'Refused {who}.',
    ],
    [
      'a single-return helper is inlined with its arguments',
      "function where(region) { return `in ${region} (EKS)` }\nthrow new ActionError(`Not found ${where('eu-west-1')}.`)",
      'Not found in eu-west-1 (EKS).',
    ],
  ])('%s', (_what, source, message) => {
    expect(sitesOf(source).map((site) => site.message)).toEqual([message])
  })

  test('a hint from a switch over error names lists each case; fall-through cases share one entry', () => {
    const [site] = sitesOf(`
      function hintFor(name) {
        switch (name) {
          case 'A':
          case 'B':
            return 'Fix a or b.'
          case 'C':
            return \`Fix c in \${region}.\`
          default:
            return 'Retry.'
        }
      }
      throw new ActionError('Failed.', { hint: hintFor(error.name) })`)
    expect(site?.hints).toEqual([
      { when: 'A, B', text: 'Fix a or b.' },
      { when: 'C', text: 'Fix c in {region}.' },
      { when: 'otherwise', text: 'Retry.' },
    ])
  })

  test('a hint looked up in an object by key, with a fallback, lists each key and the fallback', () => {
    const [site] = sitesOf(`
      const HINTS = { CREATING: 'Wait.', FAILED: 'See the console.' }
      throw new ActionError('Not usable.', { hint: HINTS[status] ?? 'Try again.' })`)
    expect(site?.hints).toEqual([
      { when: 'CREATING', text: 'Wait.' },
      { when: 'FAILED', text: 'See the console.' },
      { when: 'otherwise', text: 'Try again.' },
    ])
  })

  test('a hint built as lines of an array, pushed onto and mapped, joins them', () => {
    const [site] = sitesOf(`
      const NEEDS = { auth: 'role-to-assume: arn', deploy: 'release: app' }
      function f() {
        const hint = ['First.', \`  helm history \${release}\`]
        if (x) hint.push('Last.')
        throw new ActionError('Stuck.', { hint: [...hint, Object.values(NEEDS).map((n) => \`  \${n}\`).join('\\n')].join('\\n') })
      }`)
    expect(site?.hints).toEqual([
      { text: 'First.\n  helm history {release}\nLast.\n  role-to-assume: arn\n  release: app' },
    ])
  })
  test('a sentence passed through a method (redacted, say) stays a sentence; a value passed through stays a value', () => {
    const [site] = sitesOf(`
      const hint = ['Allow it.', \`  aws iam ... \${roleArn}\`].join('\\n')
      throw new ActionError(accounts.hide(\`Not authorized in \${accounts.hide(accountId)}.\`), { hint: accounts.hide(hint) })`)
    expect(site).toMatchObject({
      message: 'Not authorized in {accountId}.',
      hints: [{ text: 'Allow it.\n  aws iam ... {roleArn}' }],
    })
  })

  test("a helper's literal true or false argument picks the branch; optional lines are listed", () => {
    const [site] = sitesOf(`
      function hintFor(isDiagnosed, extra) {
        return [
          isDiagnosed ? 'See the group "Why the rollout failed" above, and the summary.' : "See helm's output above, in full.",
          ...(extra.length === 0 ? [] : ['Or grant exactly this:', 'rules:']),
        ].join('\\n')
      }
      throw new ActionError('Failed.', { hint: hintFor(true, denied) })`)
    expect(site?.hints).toEqual([
      {
        text: 'See the group "Why the rollout failed" above, and the summary.\nOr grant exactly this:\nrules:',
      },
    ])
  })
})

describe('the input checks', () => {
  test("render each reader's problem with the call's arguments, and problems pushed as text", () => {
    const problems = `
      export class InputProblems {
        add(name, received, what) {}
        int(name, fallback, range) { this.add(name, value, \`must be a whole number from \${range.min} to \${range.max}.\`) }
        choice(name, choices, fallback) { this.add(name, value, \`must be one of \${choices.map((c) => \`'\${c}'\`).join(', ')}.\`) }
      }`
    const reader = `
      p.int('history-max', 10, { min: 0, max: 1000 })
      p.choice('sha-source', ['auto', 'head'] as const, 'auto')
      p.add('timeout', timeout, 'must be a Go duration.')
      p.int('not-an-input', 1, { min: 0, max: 1 })
      p.problems.push("Input 'aws-region' is required.")`
    const index = indexTexts('/', [
      ['src/inputs/problems.ts', problems],
      ['src/inputs/reader.ts', reader],
    ])
    const checks = collectInputChecks(index, new Set(['history-max', 'sha-source', 'timeout', 'aws-region']))
    expect(checks.map(({ input, problem }) => [input, problem])).toEqual([
      ['history-max', 'must be a whole number from 0 to 1000.'],
      ['sha-source', "must be one of 'auto', 'head'."],
      ['timeout', 'must be a Go duration.'],
      ['aws-region', 'is required.'],
    ])
  })
})

describe('Markdown table cells', () => {
  test.each([
    ['pipes and HTML outside code', 'a|b <x>', 'a\\|b &lt;x&gt;'],
    ['pipes inside code, nothing else', 'run `a | b <c>`', 'run `a \\| b <c>`'],
    ['line breaks', 'one\ntwo', 'one<br>two'],
    [
      'an indented line becomes code',
      'Run:\n  helm history api -n shop',
      'Run:<br>`helm history api -n shop`',
    ],
    ['pipes in an indented line made code', 'Run:\n  a [x|y]', 'Run:<br>`a [x\\|y]`'],
  ])('%s', (_what, text, expected) => {
    expect(cell(text)).toBe(expected)
  })
})

describe('generated sections', () => {
  const render = (key: string) => `<${key}>`

  test('are replaced between their markers, the rest of the text kept', () => {
    const text = 'a\n<!-- BEGIN npm run docs: k -->\nold\n<!-- END npm run docs: k -->\nb\n'
    expect(regenerate(text, render)).toBe(
      'a\n<!-- BEGIN npm run docs: k -->\n\n<k>\n\n<!-- END npm run docs: k -->\nb\n',
    )
  })

  test('without their END marker fail instead of being left stale', () => {
    expect(() => regenerate('<!-- BEGIN npm run docs: k -->\nold\n', render)).toThrow(
      /without a matching END/,
    )
  })
})

describe('hints that differ in a few lines', () => {
  const byRole = [
    'Run once:',
    '  aws eks create-access-entry --principal-arn {principalArn}',
    'The role ARN, not the session.',
  ]
  const byCaller = [
    'Run once:',
    '  aws eks create-access-entry --principal-arn <principal-arn>',
    'Ask STS who you are.',
  ]

  test('are shown once, each differing line as [a|b] around the words they share', () => {
    expect(mergeHints([byRole.join('\n'), byCaller.join('\n')])).toBe(
      [
        'Run once:',
        '  aws eks create-access-entry --principal-arn [{principalArn}|<principal-arn>]',
        '[The role ARN, not the session.|Ask STS who you are.]',
      ].join('\n'),
    )
  })

  test('stay apart when they share no line or their lines do not pair up', () => {
    expect(mergeHints(['Re-run the job.', 'Check the region.'])).toBeUndefined()
    expect(mergeHints(['Run once:\n  a', 'Run once:'])).toBeUndefined()
  })

  test('make one catalog row, the hint text not repeated', () => {
    const catalog = renderErrorCatalog([
      {
        file: 'src/phases/deploy/x.ts',
        message: 'Refused.',
        hints: [{ text: byRole.join('\n') }, { text: byCaller.join('\n') }],
      },
    ])
    expect(catalog.match(/Run once:/g)).toHaveLength(1)
  })
})

describe("the catalog's headings", () => {
  test('name a phase or what the errors are about for every folder of src/ that throws, never its path', () => {
    const files = new Set(collectErrorSites(indexSources(ROOT)).map((site) => site.file))
    const unnamed = [...files].filter((file) => groupOf(file).startsWith('src/'))
    expect(files.size).toBeGreaterThan(20)
    expect(unnamed).toEqual([])
  })
})

describe("the README's one-line summary of an input", () => {
  test.each([
    [
      'the phase tag dropped, the first sentence kept',
      '[all] AWS region, e.g. us-east-1. Falls back.',
      'AWS region, e.g. us-east-1.',
    ],
    [
      'e.g. does not end a sentence',
      '[ecr-login] Text before the SHA, e.g. `sha-`.',
      'Text before the SHA, e.g. `sha-`.',
    ],
    [
      'a long sentence cut before its first colon outside brackets',
      `[deploy] Before helm runs, ask the API server (as the deploying identity) whether it may do what the release needs: ${'x '.repeat(60)}.`,
      'Before helm runs, ask the API server (as the deploying identity) whether it may do what the release needs.',
    ],
  ])('%s', (_what, description, expected) => {
    expect(firstSentence(description)).toBe(expected)
  })
})

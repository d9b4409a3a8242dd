import {
  checkRunOf,
  checkRunTarget,
  MAX_OUTPUT_CHARS,
  type DryRunOutcome,
} from '../../../src/github/check-run.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'
const HEAD = 'fedcba9876543210fedcba9876543210fedcba98'
const pullRequest = (headRepo: string | undefined) => ({
  pull_request: {
    number: 12,
    head: { sha: HEAD, repo: headRepo === undefined ? null : { full_name: headRepo } },
    base: { repo: { full_name: 'octo-org/octo-repo' } },
  },
})

describe('checkRunTarget: the commit a dry run answers for', () => {
  test.each([
    ['push: GITHUB_SHA', 'push', {}, { kind: 'commit', headSha: SHA }],
    [
      'a pull request: its head, not the test merge',
      'pull_request',
      pullRequest('octo-org/octo-repo'),
      { kind: 'commit', headSha: HEAD },
    ],
    [
      'pull_request_target: its head',
      'pull_request_target',
      pullRequest('octo-org/octo-repo'),
      { kind: 'commit', headSha: HEAD },
    ],
  ])('%s', (_name, eventName, payload, target) => {
    expect(checkRunTarget(eventName, SHA, payload)).toEqual(target)
  })

  test.each([
    ['a fork', 'mallory/octo-repo'],
    ['a deleted fork', undefined],
  ])('from %s: no check run (a read-only token), said why', (_name, headRepo) => {
    const target = checkRunTarget('pull_request', SHA, pullRequest(headRepo))
    expect(target).toMatchObject({ kind: 'none', why: expect.stringContaining('from a fork') as unknown })
  })
})

const outcome = (overrides: Partial<DryRunOutcome> = {}): DryRunOutcome => ({
  release: 'api',
  namespace: 'shop',
  counts: { added: 1, changed: 2, removed: 0 },
  hasChanges: true,
  failure: undefined,
  changesMarkdown: '| Deployment | api | changed |',
  ...overrides,
})

describe('checkRunOf: the check run of a dry run', () => {
  test.each([
    ['changes', outcome(), 'neutral', '1 to add, 2 to change, 0 to remove'],
    [
      'none',
      outcome({ counts: { added: 0, changed: 0, removed: 0 }, hasChanges: false }),
      'success',
      'No changes',
    ],
    [
      'changes with fail-on-changes',
      outcome({ failure: 'Release api in namespace shop would change' }),
      'failure',
      '1 to add, 2 to change, 0 to remove',
    ],
    [
      'the dry run failed',
      outcome({ counts: undefined, hasChanges: false, failure: 'chart does not render' }),
      'failure',
      'The dry run failed',
    ],
  ] as const)('%s: %s, "%s"', (_name, given, conclusion, title) => {
    const run = checkRunOf(given, HEAD)
    expect(run).toMatchObject({ name: 'eks-deploy-action: api (shop)', headSha: HEAD, conclusion, title })
    expect(run.summary).toContain(given.changesMarkdown)
  })

  test("a diff over GitHub's 65535 characters is cut at a line's end, its code fence closed, with a note", () => {
    const diff = [
      '```diff',
      ...Array.from({ length: 5000 }, (_, i) => `+ line ${i} ${'x'.repeat(20)}`),
      '```',
    ].join('\n')
    const { summary } = checkRunOf(outcome({ changesMarkdown: diff }), HEAD)
    expect(summary.length).toBeLessThanOrEqual(MAX_OUTPUT_CHARS)
    expect(summary).toMatch(
      /\n```\n\n… cut at GitHub's limit of a check run \(65535 characters\): the job summary has all of it\.$/,
    )
    expect(summary).not.toMatch(/\+ line \d+ x*\n```\n\n…[\s\S]*\+ line/)
  })
})

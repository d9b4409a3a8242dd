import { ActionError } from '../../../../src/lib/errors.js'
import {
  checkDockerTag,
  effectiveShaSource,
  formatImageTag,
  needsEventPayload,
  resolveImageTag,
  selectCommit,
  type CommitContext,
} from '../../../../src/phases/ecr/image-tag.js'
import type { EcrInputs, ShaSource } from '../../../../src/inputs/types.js'

const GITHUB_SHA = '1111111111111111111111111111111111111111'
const PR_HEAD = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
const RUN_HEAD = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'

const prPayload = { pull_request: { number: 7, head: { sha: PR_HEAD }, merge_commit_sha: GITHUB_SHA } }
const runPayload = { workflow_run: { id: 1, head_sha: RUN_HEAD } }

const context = (eventName: string, payload?: unknown): CommitContext => ({
  eventName,
  sha: GITHUB_SHA,
  payload,
})

const ecr = (overrides: Partial<EcrInputs> = {}): EcrInputs => ({
  repository: 'shop/api',
  registries: [],
  imageTag: undefined,
  shaSource: 'auto',
  tagLength: 7,
  tagPrefix: '',
  tagSuffix: '',
  imageDigest: undefined,
  requireImage: 'auto',
  imageWaitSeconds: 0,
  shouldSkipLogout: false,
  failOnSeverity: undefined,
  ...overrides,
})

describe('selectCommit', () => {
  test.each<[string, ShaSource, unknown, string]>([
    ['push', 'auto', undefined, GITHUB_SHA],
    ['workflow_dispatch', 'auto', {}, GITHUB_SHA],
    ['pull_request', 'auto', prPayload, PR_HEAD],
    ['pull_request_target', 'auto', prPayload, PR_HEAD],
    ['pull_request_review', 'auto', prPayload, PR_HEAD],
    ['workflow_run', 'auto', runPayload, RUN_HEAD],
    ['pull_request', 'merge', prPayload, GITHUB_SHA],
    ['pull_request_target', 'merge', prPayload, GITHUB_SHA],
    ['pull_request', 'head', prPayload, PR_HEAD],
    ['workflow_run', 'workflow-run', runPayload, RUN_HEAD],
    ['workflow_run', 'merge', runPayload, GITHUB_SHA],
  ])('%s with sha-source %s', (eventName, source, payload, expected) => {
    expect(selectCommit(source, context(eventName, payload)).sha).toBe(expected)
  })

  test('names where the SHA came from', () => {
    expect(selectCommit('auto', context('pull_request', prPayload)).origin).toBe(
      'pull_request.head.sha of the event payload',
    )
    expect(selectCommit('auto', context('push')).origin).toBe('GITHUB_SHA')
  })

  test('upper-case SHAs are normalised', () => {
    const payload = { pull_request: { head: { sha: PR_HEAD.toUpperCase() } } }
    expect(selectCommit('head', context('pull_request', payload)).sha).toBe(PR_HEAD)
  })

  test.each<[string, ShaSource, unknown, RegExp]>([
    ['push', 'head', {}, /sha-source 'head' on a 'push' event reads the commit from pull_request\.head\.sha/],
    ['push', 'workflow-run', {}, /workflow_run\.head_sha of the event payload, which holds nothing/],
    ['pull_request', 'auto', undefined, /pull_request\.head\.sha .* holds nothing/],
    ['pull_request', 'auto', { pull_request: { head: { sha: 'main' } } }, /holds 'main', not a commit SHA/],
  ])(
    '%s with sha-source %s and a payload without the commit fails clearly',
    (eventName, source, payload, message) => {
      let thrown: unknown
      try {
        selectCommit(source, context(eventName, payload))
      } catch (error) {
        thrown = error
      }
      expect(thrown).toBeInstanceOf(ActionError)
      expect((thrown as ActionError).message).toMatch(message)
      expect((thrown as ActionError).hint).toMatch(/image-tag/)
    },
  )

  test('a run without GITHUB_SHA says to set image-tag', () => {
    expect(() => selectCommit('auto', { eventName: 'push', sha: '', payload: undefined })).toThrow(
      /GITHUB_SHA, which holds nothing/,
    )
  })
})

describe('effectiveShaSource and needsEventPayload', () => {
  test.each<[string, ShaSource, string, boolean]>([
    ['push', 'auto', 'merge', false],
    ['pull_request', 'auto', 'head', true],
    ['pull_request_target', 'auto', 'head', true],
    ['workflow_run', 'auto', 'workflow-run', true],
    ['pull_request', 'merge', 'merge', false],
    ['push', 'head', 'head', true],
  ])('%s / %s', (eventName, source, effective, needsPayload) => {
    expect(effectiveShaSource(source, eventName)).toBe(effective)
    expect(needsEventPayload({ imageTag: undefined, shaSource: source }, eventName)).toBe(needsPayload)
  })

  test('an explicit image-tag needs no payload', () => {
    expect(needsEventPayload({ imageTag: 'v1', shaSource: 'auto' }, 'pull_request')).toBe(false)
  })
})

describe('formatImageTag', () => {
  const commit = { sha: '0123456789abcdef0123456789abcdef01234567', origin: 'GITHUB_SHA' }
  test.each<[number, string, string, string]>([
    [7, '', '', '0123456'],
    [4, '', '', '0123'],
    [12, '', '', '0123456789ab'],
    [40, '', '', '0123456789abcdef0123456789abcdef01234567'],
    [7, 'sha-', '', 'sha-0123456'],
    [7, '', '-arm64', '0123456-arm64'],
    [8, 'pr_', '.1', 'pr_01234567.1'],
  ])('length %i, prefix %p, suffix %p', (tagLength, tagPrefix, tagSuffix, expected) => {
    expect(formatImageTag(commit, { tagLength, tagPrefix, tagSuffix })).toBe(expected)
  })

  test.each([['.'], ['-'], ['-v']])(
    'prefix %p would start the tag with . or -: a clear error',
    (tagPrefix) => {
      expect(() => formatImageTag(commit, { tagLength: 7, tagPrefix, tagSuffix: '' })).toThrow(
        /is not a valid Docker tag.*must not start with \. or -/,
      )
    },
  )

  test('a tag over 128 characters is refused', () => {
    expect(() =>
      formatImageTag(commit, { tagLength: 40, tagPrefix: 'p'.repeat(80), tagSuffix: 's'.repeat(9) }),
    ).toThrow(/not a valid Docker tag/)
  })
})

describe('checkDockerTag', () => {
  const long = (length: number): [string, string] => [`${length} characters`, 'A'.repeat(length)]
  test.each([
    ['latest', 'latest'],
    ['digits only', '0123456'],
    ['dots', 'v1.2.3'],
    ['leading _', '_x'],
    long(128),
    ['every allowed character', 'sha-1_2.3-4'],
  ])('accepts %s', (_label, tag) => {
    expect(() => {
      checkDockerTag(tag, 'test')
    }).not.toThrow()
  })
  test.each([
    ['empty', ''],
    ['leading .', '.hidden'],
    ['leading -', '-dash'],
    ['a colon', 'a:b'],
    ['a slash', 'a/b'],
    ['a space', 'a b'],
    ['non-ASCII', 'é'],
    long(129),
  ])('refuses %s', (_label, tag) => {
    expect(() => {
      checkDockerTag(tag, 'test')
    }).toThrow(ActionError)
  })
})

describe('resolveImageTag', () => {
  test('an explicit image-tag wins over the commit', () => {
    expect(
      resolveImageTag(ecr({ imageTag: 'v1.2.3', tagPrefix: 'x-' }), context('pull_request', prPayload)),
    ).toEqual({
      tag: 'v1.2.3',
      origin: "input 'image-tag'",
    })
  })

  test('derived from the pull request head, with every option', () => {
    const resolved = resolveImageTag(
      ecr({ tagLength: 10, tagPrefix: 'pr-', tagSuffix: '-amd64' }),
      context('pull_request_target', prPayload),
    )
    expect(resolved.tag).toBe('pr-aaaaaaaaaa-amd64')
    expect(resolved.origin).toBe(`commit ${PR_HEAD} (pull_request.head.sha of the event payload)`)
  })

  test('derived from workflow_run.head_sha, full length', () => {
    expect(resolveImageTag(ecr({ tagLength: 40 }), context('workflow_run', runPayload)).tag).toBe(RUN_HEAD)
  })
})

import { deriveSessionName, SESSION_NAME_PATTERN } from '../../../src/inputs/session-name.js'

const run = (repository: string, runId = '4242', runAttempt = '1') =>
  deriveSessionName({ repository, runId, runAttempt })

describe('deriveSessionName', () => {
  test('gha-<owner>.<repo>-<run id>-<attempt>', () => {
    expect(run('octo-org/octo-repo', '987654321', '2')).toBe('gha-octo-org.octo-repo-987654321-2')
  })

  test.each([
    ['my org/répo name', 'gha-my-org.r-po-name-4242-1'],
    ['owner/repo:with*odd#chars', 'gha-owner.repo-with-odd-chars-4242-1'],
    ['Owner_1/Repo.js', 'gha-Owner_1.Repo.js-4242-1'],
    ['o+=,.@-/r', 'gha-o+=,.@-.r-4242-1'],
  ])('sanitises %j to [\\w+=,.@-]', (repository, expected) => {
    expect(run(repository)).toBe(expected)
  })

  test('a long repository name is cut; the run id and attempt survive', () => {
    const name = run(`${'o'.repeat(39)}/${'r'.repeat(100)}`, '12345678901', '17')
    expect(name).toHaveLength(64)
    expect(name.startsWith(`gha-${'o'.repeat(39)}.`)).toBe(true)
    expect(name.endsWith('-12345678901-17')).toBe(true)
  })

  test('a name that just fits is not cut', () => {
    const repository = `o/${'r'.repeat(64 - 'gha-o.'.length - '-4242-1'.length)}`
    expect(run(repository)).toHaveLength(64)
    expect(run(repository)).toBe(`gha-${repository.replace('/', '.')}-4242-1`)
  })

  test.each([
    ['', '1', '1'],
    ['a/b', '1', '1'],
    ['x'.repeat(200), '9'.repeat(20), '99'],
    ['ütf/ñame', '4242', '3'],
    ['owner/repo', '', ''],
  ])('always a valid STS session name of 2-64 characters: %j %j %j', (repository, runId, attempt) => {
    const name = run(repository, runId, attempt)
    expect(name.length).toBeGreaterThanOrEqual(2)
    expect(name.length).toBeLessThanOrEqual(64)
    expect(name).toMatch(SESSION_NAME_PATTERN)
  })
})

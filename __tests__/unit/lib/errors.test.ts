import {
  ActionError,
  describeAwsError,
  failedIn,
  failedTogether,
  formatFailure,
  listOf,
} from '../../../src/lib/errors.js'
import { stsError } from '../../fixtures/sts-errors.js'

describe('ActionError', () => {
  test('carries message, hint and cause, and is an Error named ActionError', () => {
    const cause = new Error('root')
    const error = new ActionError('what happened', { hint: 'how to fix it', cause })
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({
      name: 'ActionError',
      message: 'what happened',
      hint: 'how to fix it',
      cause,
    })
  })

  test('hint and cause are optional', () => {
    const error = new ActionError('plain')
    expect(error.hint).toBeUndefined()
    expect('cause' in error).toBe(false)
  })
})

describe('describeAwsError', () => {
  test.each([
    [stsError('AccessDenied', 403, 'abc-123'), 'AccessDenied, HTTP 403, request id abc-123'],
    [stsError('Throttling', 400, ''), 'Throttling, HTTP 400'],
    [Object.assign(new Error('x'), { $metadata: {} }), undefined],
    [Object.assign(new Error('x'), { $metadata: { attempts: 3 }, code: 'ECONNREFUSED' }), undefined],
    [new Error('not AWS'), undefined],
    ['a string', undefined],
    [null, undefined],
  ])('%#', (error, expected) => {
    expect(describeAwsError(error)).toBe(expected)
  })
})

describe('formatFailure', () => {
  test('message, then a blank line, then the hint', () => {
    expect(formatFailure(new ActionError('It broke.', { hint: 'Do this.' }))).toBe('It broke.\n\nDo this.')
  })

  test('an AWS error keeps its name, status and request id', () => {
    expect(formatFailure(stsError('AccessDenied', 403, 'req-1'))).toBe(
      'STS says AccessDenied (AccessDenied, HTTP 403, request id req-1)',
    )
  })

  test('the cause chain, with the AWS facts of each cause, before the hint', () => {
    const root = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' })
    const sdk = Object.assign(new Error('request failed', { cause: root }), {
      name: 'InternalFailure',
      $metadata: { httpStatusCode: 500, requestId: 'req-9' },
    })
    const error = new ActionError('Could not assume the role.', { cause: sdk, hint: 'Re-run the job.' })
    expect(formatFailure(error)).toBe(
      [
        'Could not assume the role.',
        'Caused by: request failed (InternalFailure, HTTP 500, request id req-9)',
        'Caused by: connect ECONNREFUSED 127.0.0.1:443',
        '',
        'Re-run the job.',
      ].join('\n'),
    )
  })

  test('a cause whose text is already shown is not repeated', () => {
    const error = new ActionError('Failed: disk full', { cause: new Error('disk full') })
    expect(formatFailure(error)).toBe('Failed: disk full')
  })

  test('a quoted AWS cause still gives its name, status and request id', () => {
    const cause = stsError('IDPCommunicationError', 400, 'req-77')
    const error = new ActionError(`STS kept failing. Last error: ${cause.name}: ${cause.message}`, {
      cause,
      hint: 'Re-run.',
    })
    expect(formatFailure(error)).toBe(
      [
        'STS kept failing. Last error: IDPCommunicationErrorException: STS says IDPCommunicationError',
        'AWS error: IDPCommunicationErrorException, HTTP 400, request id req-77',
        '',
        'Re-run.',
      ].join('\n'),
    )
  })

  test('the chain stops after three causes', () => {
    let error: Error = new Error('level 0')
    for (let level = 1; level <= 5; level++) error = new Error(`level ${level}`, { cause: error })
    expect(formatFailure(error).split('\n')).toEqual([
      'level 5',
      'Caused by: level 4',
      'Caused by: level 3',
      'Caused by: level 2',
    ])
  })

  test.each([
    ['a string', 'something odd', 'something odd'],
    ['an object', { code: 42, reason: 'odd' }, '{"code":42,"reason":"odd"}'],
    ['a number', 7, '7'],
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['a symbol', Symbol('odd'), 'Symbol(odd)'],
    ['an Error without a message', new RangeError(''), 'RangeError'],
    [
      'a circular object',
      (() => {
        const o: Record<string, unknown> = {}
        o.self = o
        return o
      })(),
      '[object Object]',
    ],
  ])('a non-Error throw (%s) still gives a message', (_name, thrown, expected) => {
    expect(formatFailure(thrown)).toBe(expected)
  })
})

describe('PhaseFailure: the failure names its phase', () => {
  const missing = new ActionError("EKS cluster 'prod' was not found in us-east-1.", { hint: 'Fix it.' })
  test.each([
    [
      'one phase',
      failedIn('kubeconfig', missing),
      ["EKS cluster 'prod' was not found in us-east-1.", '', 'Fix it.', '', 'Failed in phase kubeconfig.'],
    ],
    [
      'two side by side, with a hint about both',
      failedTogether(
        [failedIn('image check', new Error('no repository')), failedIn('kubeconfig', missing)],
        'Wrong region?',
      ),
      [
        '2 phases that ran side by side failed: image check and kubeconfig.',
        '',
        'Phase image check: no repository',
        '',
        "Phase kubeconfig: EKS cluster 'prod' was not found in us-east-1.",
        '',
        'Fix it.',
        '',
        'Wrong region?',
      ],
    ],
    [
      'one of two failed: as one phase',
      failedTogether([failedIn('ecr-login', new Error('no'))], undefined),
      ['no', '', 'Failed in phase ecr-login.'],
    ],
  ])('%s', (_case, failure, lines) => {
    expect(formatFailure(failure).split('\n')).toEqual(lines)
  })

  test('a phase error marked by a part keeps its phase; its message is the first error', () => {
    const inner = failedIn('image check', missing)
    expect(failedIn('ecr-login', inner)).toBe(inner)
    expect(inner).toMatchObject({ message: missing.message, phases: ['image check'], cause: missing })
  })

  test.each([
    [[], ''],
    [['a'], 'a'],
    [['a', 'b'], 'a and b'],
    [['a', 'b', 'c'], 'a, b and c'],
  ])('listOf %j', (items, text) => {
    expect(listOf(items)).toBe(text)
  })
})

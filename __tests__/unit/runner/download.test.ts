import { HttpStatusError, isRetryableDownloadError } from '../../../src/runner/download.js'
import { ServiceTimeoutError } from '../../../src/lib/service-timeout.js'

const nodeError = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {})

describe('isRetryableDownloadError', () => {
  test.each([
    ['HTTP 500', new HttpStatusError(500, 'Internal Server Error', 'u')],
    ['HTTP 503', new HttpStatusError(503, '', 'u')],
    ['HTTP 408', new HttpStatusError(408, '', 'u')],
    ['HTTP 429', new HttpStatusError(429, '', 'u')],
    ['a stall', new ServiceTimeoutError({ service: 'm', waitedMs: 20_000, isIdle: true })],
    ['a reset', nodeError('socket hang up', 'ECONNRESET')],
    ['refused', nodeError('connect ECONNREFUSED', 'ECONNREFUSED')],
    ['an answer cut short', nodeError('aborted', 'ECONNRESET')],
    ['a premature close', nodeError('Premature close', 'ERR_STREAM_PREMATURE_CLOSE')],
    ['a cause that is one', new Error('wrapped', { cause: nodeError('x', 'EPIPE') })],
    ['an error of another realm', { name: 'Error', message: 'aborted' }],
  ])('retried: %s', (_name, error) => {
    expect(isRetryableDownloadError(error)).toBe(true)
  })

  test.each([
    ['HTTP 404', new HttpStatusError(404, 'Not Found', 'u')],
    ['HTTP 403', new HttpStatusError(403, '', 'u')],
    ['a redirect to http refused', new HttpStatusError(301, 'redirect to http: refused', 'u')],
    ['an unknown host', nodeError('getaddrinfo ENOTFOUND', 'ENOTFOUND')],
    ['a plain error', new Error('boom')],
    ['undefined', undefined],
  ])('not retried: %s', (_name, error) => {
    expect(isRetryableDownloadError(error)).toBe(false)
  })
})

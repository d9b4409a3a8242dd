import { createWriteStream } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { pipeline } from 'node:stream/promises'
import { ServiceTimeoutError } from '../lib/service-timeout.js'

/** How long one download attempt may take: no byte for idleMs, or no end by timeoutMs, cuts it. */
export interface DownloadLimits {
  readonly idleMs: number
  readonly timeoutMs: number
}

/** The server answered, but not with the file (the message is the status: the caller names the URL). */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError'

  constructor(
    readonly status: number,
    statusText: string,
    readonly url: string,
  ) {
    super(`HTTP ${status}${statusText === '' ? '' : ` ${statusText}`}`)
  }
}

const MAX_REDIRECTS = 5
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ERR_STREAM_PREMATURE_CLOSE',
])

/**
 * Whether another attempt may help: a 5xx, 408 or 429, a timeout, a dropped connection or an
 * answer cut short (Node says "aborted"). A 404 or a 403 will not change.
 */
export function isRetryableDownloadError(error: unknown): boolean {
  if (error instanceof HttpStatusError) return error.status >= 500 || [408, 429].includes(error.status)
  // Node's own errors are checked by shape: they need not be instances of this realm's Error.
  for (let e = error as ErrorShape | null | undefined; typeof e === 'object' && e !== null; e = e.cause) {
    if (e.name === 'TimeoutError' || e.message === 'aborted') return true
    if (typeof e.code === 'string' && RETRYABLE_CODES.has(e.code)) return true
  }
  return false
}

interface ErrorShape {
  readonly name?: unknown
  readonly message?: unknown
  readonly code?: unknown
  readonly cause?: ErrorShape | null
}

/**
 * Downloads `url` to `dest` within `limits`. Why not @actions/tool-cache's downloadTool: it has no
 * way to be cancelled, so a mirror that stalls holds it ~10 minutes (3 attempts of a 3-minute socket
 * timeout) and one that drips holds it for ever. The agent comes from @actions/http-client, so the
 * runner's proxy settings (https_proxy, no_proxy) apply as they do to tool-cache.
 */
export async function downloadFile(url: string, dest: string, limits: DownloadLimits): Promise<void> {
  const signal = AbortSignal.timeout(limits.timeoutMs)
  try {
    const response = await get(url, limits.idleMs, signal, MAX_REDIRECTS)
    await pipeline(response, createWriteStream(dest, { mode: 0o600 }), { signal })
  } catch (error) {
    if (signal.aborted)
      throw new ServiceTimeoutError({ service: new URL(url).origin, waitedMs: limits.timeoutMs })
    throw error
  }
}

async function get(
  url: string,
  idleMs: number,
  signal: AbortSignal,
  redirects: number,
): Promise<http.IncomingMessage> {
  const target = new URL(url)
  const { HttpClient } = await import('@actions/http-client')
  const agent = new HttpClient('eks-deploy-action').getAgent(url)
  const request = (target.protocol === 'https:' ? https : http).get(target, { agent, signal })
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    request.on('response', resolve).on('error', reject)
    request.setTimeout(idleMs, () => {
      request.destroy(new ServiceTimeoutError({ service: target.origin, waitedMs: idleMs, isIdle: true }))
    })
  })
  const status = response.statusCode ?? 0
  const location = response.headers.location
  if (status >= 300 && status < 400 && location !== undefined && redirects > 0) {
    response.resume()
    const next = new URL(location, target)
    // Never from https to http: the checksum's protection would then rest on a plain connection.
    if (target.protocol === 'https:' && next.protocol !== 'https:') {
      throw new HttpStatusError(status, `redirect to ${next.protocol} refused`, url)
    }
    return get(next.href, idleMs, signal, redirects - 1)
  }
  if (status !== 200) {
    response.resume()
    throw new HttpStatusError(status, response.statusMessage ?? '', url)
  }
  return response
}

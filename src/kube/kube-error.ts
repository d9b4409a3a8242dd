import { KubeApiError } from './kube-api.js'
import { namedMessageOf } from '../lib/errors.js'

/** client-node's ApiException keeps the Status as a JSON string in `body`: its reason and message, with what we asked. */
export function toKubeError(what: string, error: unknown): Error {
  if (error instanceof KubeApiError) return error
  const code = (error as { code?: unknown }).code
  if (typeof code === 'number') {
    let status: { reason?: string | undefined; message?: string | undefined } = {}
    const body = (error as { body?: unknown }).body
    try {
      status = typeof body === 'string' ? (JSON.parse(body) as typeof status) : {}
    } catch {
      status = { message: typeof body === 'string' ? body.slice(0, 300) : undefined }
    }
    const message = status.message ?? (code === 401 ? 'Unauthorized' : `HTTP ${code}`)
    return new KubeApiError(code, status.reason ?? '', `Could not ${what}: ${message} (HTTP ${code})`)
  }
  const text = namedMessageOf(error)
  return new Error(`Could not ${what}: ${text}`, { cause: error })
}

/**
 * node-fetch 2 (client-node 1.x's transport) reports a response on a kept-alive connection as cut
 * short, `Premature close`, when it was not (node-fetch/node-fetch#1767; more often on the Node
 * releases after nodejs/node#63989). Seen on the lab under load in API discovery and the access
 * reviews: a request that fails that way is sent once more, on another connection.
 */
export async function retrying<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request()
  } catch (error) {
    if (!isPrematureClose(error)) throw error
    return request()
  }
}

function isPrematureClose(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
  return (
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    (typeof message === 'string' && message.includes('Premature close'))
  )
}

import { namedMessageOf } from '../lib/errors.js'
import { KubeApiError } from './kube-api.js'

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

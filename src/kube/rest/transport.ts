import http from 'node:http'
import https from 'node:https'
import { KubeApiError } from '../kube-api.js'
import { namedMessageOf } from '../../lib/errors.js'

/** Where and how to reach the API server: what rest/target.ts reads of a kubeconfig. */
export interface RestTarget {
  /** https://host[:port][/prefix], or http:// (a loopback stand-in). */
  readonly server: string
  /** PEM of the cluster's CA; undefined: the system's roots. */
  readonly ca: string | undefined
  /** insecure-skip-tls-verify. */
  readonly isInsecure: boolean
  /** The bearer token of each request (made again when it nears its expiry). */
  readonly token: () => Promise<string>
}

export interface RestRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** /api/v1/…, /apis/<group>/<version>/…, each segment already encoded. */
  readonly path: string
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>
  readonly body?: unknown
  /** Default application/json. */
  readonly contentType?: string
  /** Never sent twice (a second delete of a namespace already terminating is refused, HTTP 409). */
  readonly isOnce?: boolean
}

/** An answer as it came: its status and text. */
export interface RestAnswer {
  readonly status: number
  readonly text: string
}

/**
 * A keep-alive burst (the pre-flight's access reviews all at once) shares a few connections instead of
 * opening one each: a handshake costs more than the API server's answer to a review.
 */
const MAX_SOCKETS = 6

/**
 * JSON over HTTPS to the API server, with the kubeconfig's CA and bearer token: one keep-alive agent
 * (an idle socket is unref'd by Node, so none holds the process at its end), a timeout per request, and
 * one more try when a kept-alive connection turns out closed by the server.
 */
export class RestTransport {
  private readonly agent: http.Agent
  private readonly base: URL

  constructor(
    private readonly target: RestTarget,
    private readonly timeoutMs: number,
  ) {
    this.base = new URL(target.server)
    const isHttps = this.base.protocol === 'https:'
    this.agent = isHttps
      ? new https.Agent({
          keepAlive: true,
          maxSockets: MAX_SOCKETS,
          ...(target.ca === undefined ? {} : { ca: target.ca }),
          rejectUnauthorized: !target.isInsecure,
        })
      : new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS })
  }

  /** The answer's JSON; an answer of 400 or more is a KubeApiError with the Status's reason and message. */
  async json<T>(what: string, request: RestRequest): Promise<T> {
    return JSON.parse(await this.text(what, request)) as T
  }

  async text(what: string, request: RestRequest): Promise<string> {
    const answer = await this.exchange(what, request)
    if (answer.status >= 400) throw statusError(what, answer)
    return answer.text
  }

  /** The answer, whatever its status; a request that got none is an Error saying what was asked. */
  async exchange(what: string, request: RestRequest): Promise<RestAnswer> {
    try {
      return await this.send(request)
    } catch (error) {
      if (request.isOnce === true || !isClosedConnection(error)) throw sendError(what, error)
    }
    try {
      return await this.send(request)
    } catch (error) {
      throw sendError(what, error)
    }
  }

  private async send(request: RestRequest): Promise<RestAnswer> {
    const url = new URL(this.base)
    url.pathname = `${this.base.pathname.replace(/\/$/, '')}${request.path}`
    for (const [name, value] of Object.entries(request.query ?? {}))
      if (value !== undefined) url.searchParams.set(name, String(value))
    const body = request.body === undefined ? undefined : JSON.stringify(request.body)
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${await this.target.token()}`,
      'user-agent': 'eks-deploy-action',
      ...(body === undefined
        ? {}
        : {
            'content-type': request.contentType ?? 'application/json',
            'content-length': String(Buffer.byteLength(body)),
          }),
    }
    const signal = AbortSignal.timeout(this.timeoutMs)
    const send = url.protocol === 'https:' ? https.request : http.request
    return new Promise((resolve, reject) => {
      const outgoing = send(
        url,
        { method: request.method, headers, agent: this.agent, signal },
        (incoming) => {
          const chunks: Buffer[] = []
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
          incoming.on('error', reject)
          incoming.on('end', () => {
            resolve({ status: incoming.statusCode ?? 0, text: Buffer.concat(chunks).toString() })
          })
        },
      )
      outgoing.on('error', reject)
      outgoing.end(body)
    })
  }
}

/** Kubernetes' Status of a refusal, as the port's KubeApiError (the same words as client-node's path). */
export function statusError(what: string, answer: RestAnswer): KubeApiError {
  let status: { reason?: string | undefined; message?: string | undefined } = {}
  try {
    status = JSON.parse(answer.text) as typeof status
  } catch {
    status = { message: answer.text.slice(0, 300) || undefined }
  }
  const code = answer.status
  const message = status.message ?? (code === 401 ? 'Unauthorized' : `HTTP ${code}`)
  return new KubeApiError(code, status.reason ?? '', `Could not ${what}: ${message} (HTTP ${code})`)
}

function sendError(what: string, error: unknown): Error {
  return new Error(`Could not ${what}: ${namedMessageOf(error)}`, { cause: error })
}

/** A kept-alive connection the server had closed: the request never reached it, or got no answer. */
function isClosedConnection(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code
  return code === 'ECONNRESET' || code === 'EPIPE'
}

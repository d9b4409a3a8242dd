import http from 'node:http'
import https from 'node:https'

/** The part of fetch() the runner's OIDC request uses: a GET with headers and a signal. */
export interface HttpGetInit {
  readonly method?: string
  readonly headers?: Readonly<Record<string, string>>
  readonly signal?: AbortSignal | null
}

export type HttpGetResponse = Pick<Response, 'ok' | 'status' | 'text'>

/**
 * A GET over node:http(s), answering the members of Response the OIDC request reads.
 *
 * Why not fetch(): Node's fetch runs on undici, whose HTTP parser is WebAssembly. Loading it,
 * instantiating the parser and the background tier-up compile Node waits for at exit cost about
 * 100 ms of a 300 ms auth run here (`npm run bench`); the AWS SDK already uses node:http(s).
 * Redirects are not followed: the runner's token endpoint answers directly.
 */
export function httpGet(input: string | URL, init: HttpGetInit = {}): Promise<HttpGetResponse> {
  const url = new URL(input)
  if ((init.method ?? 'GET').toUpperCase() !== 'GET') {
    return Promise.reject(new Error(`httpGet only sends GET requests, not ${init.method ?? ''}`))
  }
  const get = url.protocol === 'https:' ? https.get : http.get
  return new Promise((resolve, reject) => {
    const request = get(
      url,
      { headers: { ...init.headers }, ...(init.signal ? { signal: init.signal } : {}) },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('error', reject)
        response.on('end', () => {
          const status = response.statusCode ?? 0
          const body = Buffer.concat(chunks).toString('utf8')
          resolve({ ok: status >= 200 && status < 300, status, text: () => Promise.resolve(body) })
        })
      },
    )
    request.on('error', reject)
  })
}

/** What the action needs of HTTP: a GET (fetch() fits it, for tests). */
export type HttpGet = (input: string | URL, init?: HttpGetInit) => Promise<HttpGetResponse>

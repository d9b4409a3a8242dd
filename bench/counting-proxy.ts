import http from 'node:http'
import { performance } from 'node:perf_hooks'

/** One request that went through a counting proxy, timed on the bench's clock (performance.now()). */
export interface RecordedCall {
  /** OIDC, STS, ECR, EKS, or what the request named. */
  readonly service: string
  readonly operation: string
  readonly startMs: number
  readonly endMs: number
  readonly status: number
}

export interface CountingProxy {
  readonly url: string
  readonly calls: readonly RecordedCall[]
  stop(): Promise<void>
}

export type Describe = (request: RequestFacts) => { service: string; operation: string }

export interface RequestFacts {
  readonly method: string
  readonly path: string
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly body: string
}

/**
 * A loopback HTTP proxy in front of `target` (moto_server, the OIDC fixture) that records every
 * request's start (headers in), end (response sent) and what it asked for, so the bench can
 * count the calls a run makes and how many of them happen one after another.
 */
export async function startCountingProxy(target: string, describe: Describe): Promise<CountingProxy> {
  const calls: RecordedCall[] = []
  const agent = new http.Agent({ keepAlive: true })
  const server = http.createServer((request, response) => {
    const startMs = performance.now()
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const body = Buffer.concat(chunks)
      const facts = {
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        headers: request.headers,
        body: body.toString('utf8'),
      }
      const upstream = http.request(
        new URL(facts.path, target),
        { method: facts.method, headers: request.headers, agent },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(response)
          answer.on('end', () => {
            calls.push({
              ...describe(facts),
              startMs,
              endMs: performance.now(),
              status: answer.statusCode ?? 0,
            })
          })
        },
      )
      upstream.on('error', (error) => {
        calls.push({ ...describe(facts), startMs, endMs: performance.now(), status: 502 })
        response.writeHead(502).end(String(error))
      })
      upstream.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    stop: () =>
      new Promise((resolve) => {
        agent.destroy()
        server.closeAllConnections()
        server.close(() => {
          resolve()
        })
      }),
  }
}

const TARGET_PREFIXES: Readonly<Record<string, string>> = {
  AmazonEC2ContainerRegistry_V20150921: 'ECR',
  AWSSecurityTokenServiceV20110615: 'STS',
}
const SCOPE_SERVICES: Readonly<Record<string, string>> = {
  sts: 'STS',
  ecr: 'ECR',
  'api.ecr': 'ECR',
  eks: 'EKS',
}

/**
 * Names an AWS request by its protocol: JSON (X-Amz-Target), query (Action=, STS) or REST (EKS:
 * `GET /clusters/<name>`). The service comes from the SigV4 credential scope when signed;
 * AssumeRoleWithWebIdentity is sent unsigned.
 */
export function describeAwsRequest(request: RequestFacts): { service: string; operation: string } {
  const header = (name: string): string => {
    const value = request.headers[name]
    return Array.isArray(value) ? (value[0] ?? '') : (value ?? '')
  }
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(header('authorization'))?.[1]
  const scopeService = scope === undefined ? undefined : (SCOPE_SERVICES[scope] ?? scope.toUpperCase())
  const target = header('x-amz-target')
  if (target !== '') {
    const [prefix = '', operation = target] = target.split('.')
    return { service: TARGET_PREFIXES[prefix] ?? scopeService ?? prefix, operation }
  }
  const url = new URL(request.path, 'http://proxy')
  const action = new URLSearchParams(request.body).get('Action') ?? url.searchParams.get('Action')
  if (action !== null) return { service: scopeService ?? 'STS', operation: action }
  const cluster = /^\/clusters\/[^/]+$/.exec(url.pathname)
  if (cluster !== null && request.method === 'GET')
    return { service: scopeService ?? 'EKS', operation: 'DescribeCluster' }
  return { service: scopeService ?? 'unknown', operation: `${request.method} ${url.pathname}` }
}

/**
 * Groups calls into levels that happen one after another: a call that starts before every call
 * of the current level has ended overlaps it and joins it. The number of levels is the critical
 * path of the run, in round trips.
 */
export function sequentialLevels(calls: readonly RecordedCall[]): RecordedCall[][] {
  const levels: RecordedCall[][] = []
  let levelEndMs = Number.NEGATIVE_INFINITY
  for (const call of [...calls].sort((a, b) => a.startMs - b.startMs)) {
    const current = levels.at(-1)
    if (current !== undefined && call.startMs < levelEndMs) {
      current.push(call)
      levelEndMs = Math.max(levelEndMs, call.endMs)
    } else {
      levels.push([call])
      levelEndMs = call.endMs
    }
  }
  return levels
}

/** "OIDC GET /token → STS AssumeRoleWithWebIdentity → {ECR GetAuthorizationToken ‖ EKS DescribeCluster}" */
export function formatLevels(levels: readonly (readonly RecordedCall[])[]): string {
  return levels
    .map((level) => {
      const names = level.map((call) => `${call.service} ${call.operation}`)
      return names.length === 1 ? (names[0] ?? '') : `{${names.join(' ‖ ')}}`
    })
    .join(' → ')
}

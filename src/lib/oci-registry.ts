import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { ActionError, messageOf } from './errors.js'

// A registry answers in well under a second; a silent one must not hold the step.
const REQUEST_TIMEOUT_MS = 30_000
// A signature manifest or bundle is a few kilobytes; anything far larger is not one.
const MAX_BODY_BYTES = 4 * 1024 * 1024

const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ')

/** A manifest or an index as the registry served it. */
export interface Manifest {
  readonly mediaType?: string
  readonly artifactType?: string
  readonly config?: { readonly mediaType?: string }
  readonly layers?: readonly Descriptor[]
  readonly manifests?: readonly Descriptor[]
  readonly annotations?: Readonly<Record<string, string>>
}

export interface Descriptor {
  readonly mediaType?: string
  readonly digest?: string
  readonly size?: number
  readonly artifactType?: string
  readonly annotations?: Readonly<Record<string, string>>
}

/** What the action reads of one repository: manifests, blobs, tags and the referrers of a digest. */
export interface RegistryReader {
  /** `<host>/<repository>`, for the log and the refusals. */
  readonly name: string
  /** Undefined when the registry has no such manifest (404). */
  manifest(reference: string): Promise<Manifest | undefined>
  /** The manifest and its digest (sha256 of the bytes served); undefined when there is none (404). */
  pin(reference: string): Promise<{ readonly manifest: Manifest; readonly digest: string } | undefined>
  /** The repository's tags (the first page: at most `max`); empty when it has none (404). */
  tags(max: number): Promise<readonly string[]>
  /** The blob, its digest checked. */
  blob(digest: string): Promise<Buffer>
  /** The referrers index of a digest; undefined when the registry has no referrers API (404). */
  referrers(digest: string): Promise<Manifest | undefined>
}

/** `https://host/v1/` and `host` name the same registry for Docker (as ecr/docker-config.ts reads it). */
const hostOfKey = (key: string): string =>
  (key.replace(/^[a-z]+:\/\//i, '').split('/')[0] ?? '').toLowerCase()

/** base64(user:password) of the registry's entry in the Docker config the step's login wrote. */
export async function registryAuth(
  dockerConfigDir: string | undefined,
  host: string,
): Promise<string | undefined> {
  if (dockerConfigDir === undefined) return undefined
  let config: unknown
  try {
    config = JSON.parse(await fs.readFile(path.join(dockerConfigDir, 'config.json'), 'utf8'))
  } catch {
    return undefined
  }
  const auths = (config as { auths?: Record<string, { auth?: unknown } | undefined> } | null)?.auths ?? {}
  const entry = Object.entries(auths).find(([key]) => hostOfKey(key) === host.toLowerCase())?.[1]
  return typeof entry?.auth === 'string' && entry.auth !== '' ? entry.auth : undefined
}

/** How the registry is reached, and who reads it (the start of every error: `verify-image: cosign`). */
export interface RegistryOptions {
  readonly purpose: string
  /** `http` only where helm is told so (helm-args --plain-http). */
  readonly scheme?: 'https' | 'http'
}

/**
 * A reader of one repository over the OCI distribution API (https), with the step's login: Basic
 * (ECR, htpasswd registries), or the Bearer token a registry's challenge asks for, fetched with it.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pull
 */
export function openRegistry(
  host: string,
  repository: string,
  auth: string | undefined,
  mask: (secret: string) => void,
  options: RegistryOptions,
): RegistryReader {
  const { purpose, scheme = 'https' } = options
  const base = `${scheme}://${host}/v2/${repository}`
  let authorization = auth === undefined ? undefined : `Basic ${auth}`

  async function get(url: string, accept?: string): Promise<Response> {
    const send = () =>
      fetch(url, {
        headers: {
          ...(accept === undefined ? {} : { accept }),
          ...(authorization === undefined ? {} : { authorization }),
        },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      })
    let response: Response
    try {
      response = await send()
      if (response.status === 401) {
        const bearer = await bearerToken(response.headers.get('www-authenticate'), auth)
        if (bearer !== undefined) {
          mask(bearer)
          authorization = `Bearer ${bearer}`
          response = await send()
        }
      }
    } catch (error) {
      throw new RegistryUnreachable(purpose, host, url, messageOf(error))
    }
    if (response.status === 401 || response.status === 403)
      throw new RegistryRefused(
        `${purpose}: ${host} refused to read ${repository} (HTTP ${response.status}${auth === undefined ? ', without a login' : ''}).`,
        {
          status: response.status,
          hasLogin: auth !== undefined,
          hint: `The step's login must be allowed to pull from ${host}/${repository}: for ECR, ecr:BatchGetImage and ecr:GetDownloadUrlForLayer on the repository (and ecr:GetAuthorizationToken); phase ecr-login must run.`,
        },
      )
    return response
  }

  async function body(response: Response, url: string): Promise<Buffer> {
    const bytes = Buffer.from(await response.arrayBuffer())
    if (bytes.length > MAX_BODY_BYTES)
      throw new RegistryUnreachable(purpose, host, url, `the answer is over ${MAX_BODY_BYTES} bytes`)
    return bytes
  }

  async function read(url: string, accept: string): Promise<Buffer | undefined> {
    const response = await get(url, accept)
    if (response.status === 404) return undefined
    if (!response.ok) throw new RegistryUnreachable(purpose, host, url, `HTTP ${response.status}`)
    return body(response, url)
  }

  async function json(url: string, accept: string): Promise<{ value: unknown; bytes: Buffer } | undefined> {
    const bytes = await read(url, accept)
    if (bytes === undefined) return undefined
    try {
      return { value: JSON.parse(bytes.toString('utf8')) as unknown, bytes }
    } catch {
      throw new RegistryUnreachable(purpose, host, url, 'the answer is not JSON')
    }
  }

  const manifestOf = async (reference: string) => {
    const found = await json(`${base}/manifests/${reference}`, MANIFEST_TYPES)
    return found && { value: found.value as Manifest, bytes: found.bytes }
  }

  return {
    name: `${host}/${repository}`,
    manifest: async (reference) => (await manifestOf(reference))?.value,
    pin: async (reference) => {
      const found = await manifestOf(reference)
      return found && { manifest: found.value, digest: sha256(found.bytes) }
    },
    tags: async (max) => {
      const found = await json(`${base}/tags/list?n=${max}`, 'application/json')
      const tags = (found?.value as { tags?: unknown } | null | undefined)?.tags
      return Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === 'string') : []
    },
    referrers: async (digest) =>
      (await json(`${base}/referrers/${digest}`, 'application/vnd.oci.image.index.v1+json'))?.value as
        Manifest | undefined,
    blob: async (digest) => {
      const url = `${base}/blobs/${digest}`
      const response = await get(url)
      if (!response.ok) throw new RegistryUnreachable(purpose, host, url, `HTTP ${response.status}`)
      const bytes = await body(response, url)
      if (sha256(bytes) !== digest)
        throw new RegistryUnreachable(purpose, host, url, 'the blob does not match its digest')
      return bytes
    },
  }
}

/** The token a `Bearer realm=...,service=...,scope=...` challenge names, fetched with the Basic login. */
async function bearerToken(challenge: string | null, auth: string | undefined): Promise<string | undefined> {
  if (challenge === null || !/^bearer\s/i.test(challenge)) return undefined
  const fields = new Map([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']))
  const realm = fields.get('realm')
  if (realm === undefined) return undefined
  const url = new URL(realm)
  for (const name of ['service', 'scope']) {
    const value = fields.get(name)
    if (value !== undefined) url.searchParams.set(name, value)
  }
  const response = await fetch(url, {
    headers: auth === undefined ? {} : { authorization: `Basic ${auth}` },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  })
  if (!response.ok) return undefined
  const answer = (await response.json()) as { token?: unknown; access_token?: unknown }
  const token = answer.token ?? answer.access_token
  return typeof token === 'string' ? token : undefined
}

const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

/** The registry could not be read: not reached, a certificate not trusted, an answer that is no answer. */
export class RegistryUnreachable extends ActionError {
  constructor(purpose: string, host: string, url: string, why: string) {
    super(`${purpose}: could not read ${url.replace(/^https?:\/\//, '')}: ${why}.`, {
      hint: `The runner must reach ${host} over https with a certificate it trusts (a private CA: NODE_EXTRA_CA_CERTS); rerun the job if it was a passing outage.`,
    })
  }
}

/** The registry refused the login (401) or the read (403). */
export class RegistryRefused extends ActionError {
  readonly status: number
  readonly hasLogin: boolean
  constructor(message: string, facts: { status: number; hasLogin: boolean; hint: string }) {
    super(message, { hint: facts.hint })
    this.status = facts.status
    this.hasLogin = facts.hasLogin
  }
}

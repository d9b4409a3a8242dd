import path from 'node:path'
import type { Env } from '../../lib/env.js'

/** A registry login to write: the host and base64(`user:password`), as Docker stores it. */
export interface RegistryAuth {
  readonly host: string
  readonly auth: string
}

export interface MergedDockerConfig {
  readonly config: Readonly<Record<string, unknown>>
  /** The credsStore that was dropped, if any: its registries now go through credHelpers. */
  readonly droppedCredsStore: string | undefined
  /** credHelpers entries dropped because they would hide our logins. */
  readonly droppedCredHelpers: readonly string[]
}

type JsonObject = Record<string, unknown>

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** `https://host/v1/` and `host` name the same registry for Docker. */
export function registryHostname(key: string): string {
  return (key.replace(/^[a-z]+:\/\//i, '').split('/')[0] ?? '').toLowerCase()
}

/**
 * The user's config plus our `auths` entries. Docker consults a credential helper before `auths`
 * (credHelpers[host], then credsStore), so either would hide a plain entry: credHelpers for our
 * hosts are dropped; credsStore is dropped, and the registries it held (the `auths` keys with no
 * `auth`) are routed to the same helper through credHelpers so earlier logins keep working.
 * Everything else (other auths, proxies, plugins, ...) is kept. Pure.
 */
export function mergeDockerConfig(existing: unknown, logins: readonly RegistryAuth[]): MergedDockerConfig {
  const config: JsonObject = isObject(existing) ? { ...existing } : {}
  const ours = new Set(logins.map((login) => login.host.toLowerCase()))
  const auths: JsonObject = {}
  const credHelpers: JsonObject = {}
  const droppedCredHelpers: string[] = []
  const credsStore = typeof config.credsStore === 'string' ? config.credsStore : undefined

  for (const [key, value] of Object.entries(isObject(config.auths) ? config.auths : {})) {
    if (ours.has(registryHostname(key))) continue
    auths[key] = value
    const isInStore = !isObject(value) || typeof value.auth !== 'string' || value.auth === ''
    if (credsStore !== undefined && credsStore !== '' && isInStore) credHelpers[key] = credsStore
  }
  for (const [key, helper] of Object.entries(isObject(config.credHelpers) ? config.credHelpers : {})) {
    if (ours.has(registryHostname(key))) droppedCredHelpers.push(key)
    else credHelpers[key] = helper
  }
  for (const login of logins) auths[login.host] = { auth: login.auth }

  delete config.credsStore
  config.auths = auths
  if (Object.keys(credHelpers).length > 0) config.credHelpers = credHelpers
  else delete config.credHelpers
  return {
    config,
    droppedCredsStore: credsStore === '' ? undefined : credsStore,
    droppedCredHelpers,
  }
}

/** The Docker config directory the user's tools read now: DOCKER_CONFIG, else ~/.docker. */
export function userDockerConfigDir(env: Env): string | undefined {
  const dockerConfig = env.DOCKER_CONFIG?.trim()
  if (dockerConfig !== undefined && dockerConfig !== '') return dockerConfig
  const home = env.HOME?.trim() ?? env.USERPROFILE?.trim()
  return home === undefined || home === '' ? undefined : path.join(home, '.docker')
}

import type { RegistryRef } from '../../inputs/types.js'

/** `<account>.dkr.ecr.<region>.amazonaws.com`, `.amazonaws.com.cn` in the China partition. */
export function ecrHost(accountId: string, region: string): string {
  return `${accountId}.dkr.ecr.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`
}

/** The host of a GetAuthorizationToken proxyEndpoint (`https://<host>`). */
export function hostOfEndpoint(endpoint: string): string | undefined {
  try {
    return new URL(endpoint.includes('://') ? endpoint : `https://${endpoint}`).host.toLowerCase()
  } catch {
    return undefined
  }
}

/** Where the image's repository lives: the first of `registries`, else the caller's registry. */
export interface RegistryLocation {
  readonly region: string
  /** Undefined: the caller's own account (ECR's default registry). */
  readonly accountId: string | undefined
  /** Known without a call unless it is the caller's own registry. */
  readonly host: string | undefined
}

export function locateImageRegistry(registries: readonly RegistryRef[], region: string): RegistryLocation {
  const first = registries[0]
  if (first === undefined) return { region, accountId: undefined, host: undefined }
  switch (first.kind) {
    case 'account':
      return { region, accountId: first.accountId, host: ecrHost(first.accountId, region) }
    case 'host':
      return { region: first.region, accountId: first.accountId, host: first.host }
  }
}

/** One GetAuthorizationToken call: a region, and the registry hosts of that region to log in to. */
export interface TokenRequest {
  readonly region: string
  /** The caller's own registry first, whose host the answer's proxyEndpoint gives (no `registries`). */
  readonly hasCallerRegistry: boolean
  readonly hosts: readonly string[]
}

/**
 * One token request per region, in the order the registries were given (the caller's own registry
 * when none were, then those of the chart). An ECR token is regional and valid for every registry of
 * its region the principal may use, so no registryIds are sent (ECR deprecated that parameter: it
 * never changed the token's scope).
 */
export function planTokenRequests(
  registries: readonly RegistryRef[],
  region: string,
  chartRegistries: readonly RegistryRef[] = [],
): TokenRequest[] {
  const byRegion = new Map<string, { hasCallerRegistry: boolean; hosts: Set<string> }>()
  if (registries.length === 0) byRegion.set(region, { hasCallerRegistry: true, hosts: new Set() })
  for (const ref of [...registries, ...chartRegistries]) {
    const refRegion = ref.kind === 'host' ? ref.region : region
    const request = byRegion.get(refRegion) ?? { hasCallerRegistry: false, hosts: new Set<string>() }
    request.hosts.add(ref.kind === 'host' ? ref.host : ecrHost(ref.accountId, region))
    byRegion.set(refRegion, request)
  }
  return [...byRegion].map(([refRegion, request]) => ({
    region: refRegion,
    hasCallerRegistry: request.hasCallerRegistry,
    hosts: [...request.hosts],
  }))
}

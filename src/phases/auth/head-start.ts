import type { PhaseDeps } from '../phase.js'
import type { AuthEarlier } from './index.js'
import { requestIdTokenEarly } from './oidc.js'
import type { AuthParams } from './types.js'

/**
 * Started with the step, before this phase's module (and the SDK) loads: the ID token request needs
 * no SDK, so its round trip overlaps the load. Role chaining signs with the job's current
 * credentials and needs no ID token.
 */
export function startAuth(params: AuthParams, deps: Pick<PhaseDeps, 'httpGet' | 'runtime'>): AuthEarlier {
  return { idToken: params.isRoleChaining ? undefined : requestIdTokenEarly(params, params.audience, deps) }
}

import { ActionError } from '../../../lib/errors.js'
import type { AccessAnswer } from '../../../kube/kube-api.js'
import type { LockOutcome, TakeLockDeps, TakeLockParams } from './types.js'

/** What the lock does with a Lease: read it, create it once, update it to take, renew and release it. */
export const LEASE_QUESTIONS = ['get', 'create', 'update'] as const

// The Role and RoleBinding the hint names.
const ROLE = 'eks-deploy-action-lock'

/**
 * The identity may not use Leases in the namespace (the `admin` ClusterRole, for one, grants none):
 * with lock: required the deploy is refused before helm runs; with lock: true it goes ahead without
 * the lock, after one warning that says what to grant.
 */
export async function lockDenied(
  params: TakeLockParams,
  denied: readonly AccessAnswer[],
  deps: TakeLockDeps,
): Promise<LockOutcome> {
  const { namespace } = params
  const user = await deps.kube
    .whoAmI({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace })
    .catch(() => undefined)
  const who = user === undefined ? 'The deploying identity' : `Kubernetes user "${user}"`
  const verbs = denied.map((answer) => answer.verb).join(', ')
  const lacking = `${who} may not ${verbs} leases.coordination.k8s.io in namespace ${namespace}`
  const hint = grantHint(namespace, user)
  if (params.isRequired)
    return {
      kind: 'refused',
      error: new ActionError(
        `${lacking}, which the release lock of ${params.release} needs (lock: required). Nothing was changed: helm did not run (access pre-flight).`,
        { hint },
      ),
    }
  deps.runtime.warning(
    `${lacking}: deploying ${params.release} without the release lock, so a deploy of it from another workflow at the same time may fail on "another operation is in progress". ${hint}`,
  )
  return { kind: 'unlocked', reason: `${lacking} (see the warning)` }
}

/** The Role and RoleBinding that grant exactly what the lock needs, as kubectl commands. */
function grantHint(namespace: string, user: string | undefined): string {
  const subject = user === undefined ? '--user=<the Kubernetes user of the deploy role>' : `--user=${user}`
  return [
    `Grant it with a Role in ${namespace}:`,
    `  kubectl -n ${namespace} create role ${ROLE} --verb=${LEASE_QUESTIONS.join(',')} --resource=leases.coordination.k8s.io`,
    `  kubectl -n ${namespace} create rolebinding ${ROLE} --role=${ROLE} ${subject}`,
    'Or set lock: false to deploy without the lock and without this warning.',
  ].join('\n')
}

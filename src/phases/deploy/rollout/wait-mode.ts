import type { ReleaseSpec } from '../../../helm/args.js'
import type { Runtime } from '../../../runner/runtime.js'
import { PROGRESSIVE_KINDS } from './progressive.js'
import type { WorkloadRef } from './workloads.js'

/** Whether the release renders a kind kstatus cannot judge (an Argo Rollout, a Flagger Canary). */
export const hasProgressive = (refs: readonly WorkloadRef[]): boolean =>
  refs.some((ref) => (PROGRESSIVE_KINDS as readonly string[]).includes(ref.kind))

/**
 * wait-mode `auto` once the release's kinds are known: Helm 4 waits with kstatus, which reads a Rollout
 * or a Canary as Current before any controller wrote its status (the deploy passes unready) and as
 * Unknown once Argo writes it (a string observedGeneration: the deploy hangs to the timeout). So helm
 * waits with Helm 3's checks (`legacy`: Deployments, StatefulSets, DaemonSets, Jobs, Services; custom
 * resources pass) and the action's watch decides the Rollouts and Canaries within `timeout`. Not
 * `hookOnly`: Helm 4 turns it into `watcher` whenever --rollback-on-failure is set (atomic, the
 * default). Anything else, and Helm 3 (whose --wait ignores custom resources), waits as `watcher`.
 * Pure but for the log line.
 */
export function resolveWaitMode(
  spec: ReleaseSpec,
  refs: readonly WorkloadRef[] | undefined,
  major: number,
  runtime: Pick<Runtime, 'info'>,
): ReleaseSpec {
  if (spec.waitMode !== 'auto') return spec
  const progressive = (refs ?? []).filter((ref) =>
    (PROGRESSIVE_KINDS as readonly string[]).includes(ref.kind),
  )
  if (major < 4 || progressive.length === 0 || spec.isDryRun || !(spec.shouldWait || spec.isAtomic))
    return { ...spec, waitMode: 'watcher' }
  runtime.info(
    `wait-mode auto: ${progressive.map((ref) => `${ref.kind} ${ref.name}`).join(', ')} cannot be judged by Helm 4's kstatus wait: helm waits with Helm 3's checks (--wait=legacy), which leave custom resources alone, and the action's watch decides their readiness within timeout ${spec.timeout}.`,
  )
  return { ...spec, waitMode: 'legacy' }
}

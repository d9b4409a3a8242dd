import type { ContainerStatus, Pod } from '../../../kube/kube-objects.js'

/** Why a container is not running as it should, in the kubelet's own words. */
export interface ContainerTrouble {
  readonly container: string
  readonly image: string | undefined
  readonly isInit: boolean
  /** state.waiting.reason (CrashLoopBackOff, ImagePullBackOff, CreateContainerConfigError, ...). */
  readonly waitingReason: string | undefined
  readonly waitingMessage: string | undefined
  readonly restarts: number
  /** The last termination: lastState.terminated, or state.terminated for a container that is not restarting. */
  readonly lastTermination: { readonly reason: string; readonly exitCode: number | undefined } | undefined
}

export interface PodState {
  readonly name: string
  readonly phase: string
  readonly isReady: boolean
  /** PodScheduled=False: the scheduler's reason (Unschedulable) and message. */
  readonly unschedulable: { readonly reason: string; readonly message: string } | undefined
  readonly troubles: readonly ContainerTrouble[]
}

/** Waiting reasons that mean the container cannot start as it is (not merely "not yet"). */
export const IMAGE_PULL_REASONS: readonly string[] = ['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName']
export const CONFIG_REASONS: readonly string[] = ['CreateContainerConfigError', 'CreateContainerError']
const BENIGN_WAITING: readonly string[] = ['ContainerCreating', 'PodInitializing']

/** What a pod's status says about it, reduced to what the rollout watch and the diagnosis need. Pure. */
export function describePod(pod: Pod): PodState {
  const status = pod.status ?? {}
  const scheduled = status.conditions?.find((condition) => condition.type === 'PodScheduled')
  const images = new Map(
    [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => [c.name, c.image]),
  )
  const troubles = [
    ...(status.initContainerStatuses ?? []).map((s) => trouble(s, true, images)),
    ...(status.containerStatuses ?? []).map((s) => trouble(s, false, images)),
  ].filter((t): t is ContainerTrouble => t !== undefined)
  return {
    name: pod.metadata?.name ?? '?',
    phase: status.phase ?? 'Unknown',
    isReady: status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    unschedulable:
      scheduled?.status === 'False'
        ? { reason: scheduled.reason ?? 'Unschedulable', message: scheduled.message ?? '' }
        : undefined,
    troubles,
  }
}

function trouble(
  status: ContainerStatus,
  isInit: boolean,
  images: ReadonlyMap<string, string | undefined>,
): ContainerTrouble | undefined {
  const waiting = status.state?.waiting
  const waitingReason =
    waiting?.reason !== undefined && !BENIGN_WAITING.includes(waiting.reason) ? waiting.reason : undefined
  const terminated = status.lastState?.terminated ?? failedNow(status)
  const restarts = status.restartCount ?? 0
  if (waitingReason === undefined && terminated === undefined && restarts === 0) return undefined
  return {
    container: status.name,
    image: images.get(status.name) ?? status.image,
    isInit,
    waitingReason,
    waitingMessage: waitingReason === undefined ? undefined : waiting?.message,
    restarts,
    lastTermination:
      terminated === undefined
        ? undefined
        : { reason: terminated.reason ?? 'Terminated', exitCode: terminated.exitCode },
  }
}

/** A container that ended with a failure and is not restarted (a Job's pod, say). */
function failedNow(status: ContainerStatus) {
  const terminated = status.state?.terminated
  return terminated === undefined || (terminated.exitCode ?? 0) === 0 ? undefined : terminated
}

/** One line for a pod in a notable state, e.g. `web-7d9c-x2k1: CrashLoopBackOff, 3 restarts, last exit 1`. */
export function describePodLine(pod: PodState): string | undefined {
  if (pod.unschedulable !== undefined) {
    return `${pod.name}: ${pod.unschedulable.reason}: ${pod.unschedulable.message}`.trim()
  }
  const parts = pod.troubles.map((t) => {
    const ended =
      t.lastTermination === undefined
        ? undefined
        : `${t.lastTermination.reason} (exit ${t.lastTermination.exitCode ?? '?'})`
    const what = [t.waitingReason ?? ended]
    if (t.restarts > 0) what.push(`${t.restarts} restart${t.restarts === 1 ? '' : 's'}`)
    const last = t.lastTermination
    if (last !== undefined && t.waitingReason !== undefined)
      what.push(
        last.reason === 'Error'
          ? `last exit ${last.exitCode ?? '?'}`
          : `last ${last.reason} (exit ${last.exitCode ?? '?'})`,
      )
    const label = what.filter((part) => part !== undefined).join(', ')
    return pod.troubles.length > 1 || t.isInit
      ? `${t.isInit ? 'init ' : ''}container ${t.container}: ${label}`
      : label
  })
  return parts.length === 0 ? undefined : `${pod.name}: ${parts.join('; ')}`
}

import { taggedImageReference, type ImageRef } from '../../lib/image-ref.js'
import type { ExecResult } from '../../runner/runtime.js'
import { describeHelmArgs, type ReleaseSpec } from '../../helm/args.js'
import { helmTimedOut, operationDeadline, type HelmCli } from '../../helm/cli.js'
import type { Rollout } from './prepare.js'
import { Diagnostics, type Diagnosis, type DiagnosticsDeps } from './rollout/diagnose.js'
import type { HopelessRollout } from './rollout/fail-fast.js'
import { failureReason } from './rollout/explain.js'
import { watchRollout, type WatchResult } from './rollout/watch.js'
import { hasProgressive } from './rollout/wait-mode.js'
import type { WorkloadStatus } from './rollout/workloads.js'

/** What the rollout watch saw while helm waited. */
export interface WatchedRollout {
  /** Set when fail-fast stopped helm. */
  readonly verdict: HopelessRollout | undefined
  /** When fail-fast stopped helm, ms after helm started. */
  readonly stoppedAfterMs: number | undefined
  readonly last: readonly WorkloadStatus[]
  /** Gathered while the failing pods still existed (fail-fast), else after helm exited. */
  readonly diagnosis: Diagnosis | undefined
  readonly diagnostics: Diagnostics
  /** When fail-fast stopped helm: the one-line failure reason it said, the step's too (computed once). */
  readonly reason: string | undefined
  /** Gathered shortly before helm's own timeout, while the pods its rollback removes still existed. */
  readonly beforeTimeout: Diagnosis | undefined
  /** What the watch decided after helm returned (Rollouts, Canaries); undefined: helm decided. */
  readonly readiness: WatchResult['readiness']
}

export interface UpgradeParams {
  readonly spec: ReleaseSpec
  readonly image: ImageRef | undefined
  /** The image is in the chart already (pinned into plain manifests), not in values. */
  readonly isImagePinned: boolean
  readonly args: readonly string[]
}

/** Diagnosing is bounded: it never holds the deploy (or its rollback) for long. */
const DIAGNOSIS_BUDGET_MS = 15_000
/** How long before helm's timeout the watch looks at a rollout that is not ready yet, and for how long at most. */
const BEFORE_TIMEOUT_MS = 10_000
const BEFORE_TIMEOUT_BUDGET_MS = 5_000

/** A `helm upgrade --install` process, started here or ahead of the pre-flight (ahead.ts). */
export interface StartedUpgrade {
  readonly args: readonly string[]
  readonly env: Readonly<Record<string, string>>
  /** When the process started (the runtime's clock). */
  readonly startedMs: number
  readonly result: Promise<ExecResult>
  /** Aborting it stops helm (SIGTERM: it then rolls back and exits). */
  readonly stop: AbortController
  /** helm's own timeout with a grace: past it, the process is stopped. */
  readonly deadline: { readonly signal: AbortSignal; readonly ms: number }
}

/**
 * Starts `helm upgrade --install` with `args` and `env`. `holdOutput`: its output waits for it (a helm
 * started ahead, whose output is printed only if it is the one that runs).
 */
export function startUpgrade(
  helm: HelmCli,
  spec: ReleaseSpec,
  command: { readonly args: readonly string[]; readonly env: Readonly<Record<string, string>> },
  holdOutput?: Promise<boolean>,
): StartedUpgrade {
  const stop = new AbortController()
  const deadline = operationDeadline(helm, spec.timeoutSeconds)
  const startedMs = helm.runtime.now()
  const result = helm.runtime.exec(helm.binary, command.args, {
    env: command.env,
    shouldForwardSignals: true,
    shouldStream: !spec.isDryRun,
    stop: AbortSignal.any([stop.signal, deadline.signal]),
    ...(holdOutput === undefined ? {} : { holdOutput }),
  })
  result.catch(() => undefined)
  return { args: command.args, env: command.env, startedMs, result, stop, deadline }
}

/**
 * `helm upgrade --install`, with the rollout watch alongside when there is one: progress while helm
 * waits and, with fail-fast, SIGTERM to helm as soon as the rollout cannot succeed (Helm 3 --atomic and
 * Helm 4 --rollback-on-failure then roll back and exit). The runner's own SIGINT/SIGTERM are passed on
 * too, so a cancelled run rolls back instead of leaving the release pending. `ahead`: the process
 * started ahead of the pre-flight with these very arguments (ahead.ts), let through here.
 */
export async function runUpgrade(
  helm: HelmCli,
  params: UpgradeParams,
  rollout: Rollout | undefined,
  describeImage: DiagnosticsDeps['describeImage'],
  ahead?: { readonly started: StartedUpgrade; readonly letThrough: () => void },
): Promise<{
  readonly run: ExecResult
  readonly watched: WatchedRollout | undefined
  readonly startedMs: number
}> {
  const { spec, image, args } = params
  const { runtime } = helm
  const title = `helm upgrade --install ${spec.release} (namespace ${spec.namespace}${spec.isDryRun ? ', dry run' : ''})`
  return runtime.group(title, async () => {
    if (image !== undefined)
      runtime.info(
        `Image ${taggedImageReference(image)} (${params.isImagePinned ? 'pinned in the manifests' : `values ${spec.imageRepositoryKey} and ${spec.imageTagKey}`})`,
      )
    runtime.debug(`${helm.binary} ${describeHelmArgs(args, [spec.imageRepositoryKey, spec.imageTagKey])}`)
    const helmDone = new AbortController()
    // helm returned without judging the Rollouts and Canaries (Helm 4's legacy or hookOnly wait, Helm 3's
    // --wait: they ignore custom resources): the watch goes on and decides, within helm's timeout.
    const decideAfter = new AbortController()
    const isDeciding = rollout !== undefined && hasProgressive(rollout.refs)
    const started = ahead?.started ?? startUpgrade(helm, spec, { args, env: helm.env })
    ahead?.letThrough()
    const { stop, deadline } = started
    const helmRun = started.result.then(
      (result) => {
        if (isDeciding && result.exitCode === 0) decideAfter.abort()
        else helmDone.abort()
        return result
      },
      (error: unknown) => {
        helmDone.abort()
        throw error
      },
    )
    const watching =
      rollout === undefined || spec.isDryRun
        ? undefined
        : watch(params, rollout, describeImage, {
            helm,
            stop,
            helmDone: helmDone.signal,
            decideAfter: decideAfter.signal,
            started: started.startedMs,
          })
    const [run, watched] = await Promise.all([helmRun, watching])
    if (deadline.signal.aborted && !stop.signal.aborted) {
      throw helmTimedOut(`helm upgrade --install ${spec.release} (timeout ${spec.timeout})`, deadline.ms)
    }
    return { run, watched, startedMs: started.startedMs }
  })
}

async function watch(
  params: UpgradeParams,
  rollout: Rollout,
  describeImage: DiagnosticsDeps['describeImage'],
  control: {
    helm: HelmCli
    stop: AbortController
    helmDone: AbortSignal
    decideAfter: AbortSignal
    started: number
  },
): Promise<WatchedRollout> {
  const { spec, image } = params
  const { runtime } = control.helm
  const diagnostics = new Diagnostics(
    {
      namespace: spec.namespace,
      refs: rollout.refs,
      logLines: spec.logLines,
      imageRepository: image === undefined ? undefined : `${image.registry}/${image.name}`,
    },
    { kube: rollout.kube, describeImage },
  )
  let diagnosis: Diagnosis | undefined
  let stoppedAfterMs: number | undefined
  let reason: string | undefined
  let beforeTimeout: Diagnosis | undefined
  // helm rolls back by itself at its timeout, and the rollback removes the new pods: look at them before.
  const lookBeforeMs = Math.max(spec.timeoutSeconds * 500, spec.timeoutSeconds * 1000 - BEFORE_TIMEOUT_MS)
  const lookBeforeTimeout = async (workloads: readonly WorkloadStatus[]): Promise<void> => {
    if (beforeTimeout !== undefined || runtime.now() - control.started < lookBeforeMs) return
    if (workloads.every((workload) => workload.isDone)) return
    beforeTimeout = await diagnostics.diagnose(workloads, BEFORE_TIMEOUT_BUDGET_MS)
  }
  const result = await watchRollout(
    {
      namespace: spec.namespace,
      refs: rollout.refs,
      before: rollout.before,
      isFailFast: spec.isFailFast,
      onPaused: spec.onPausedRollout,
      helmTimeoutMs: spec.timeoutSeconds * 1000,
      decideAfter: control.decideAfter,
    },
    {
      kube: rollout.kube,
      runtime,
      onPoll: async (workloads) => {
        await diagnostics.keepLogs(workloads)
        await lookBeforeTimeout(workloads)
      },
      lastLogLine: diagnostics.lastLogLine,
      onHopeless: async (verdict, last) => {
        // The failing pods go away with the rollback: look at them first (bounded), then stop helm.
        diagnosis = await diagnostics.diagnose(last, DIAGNOSIS_BUDGET_MS)
        stoppedAfterMs = runtime.now() - control.started
        reason = failureReason({ kind: 'hopeless', verdict, afterSeconds: stoppedAfterMs / 1000 }, diagnosis)
        // helm had returned (hooks only): there is nothing to stop, the outcome says what stays.
        if (control.decideAfter.aborted) return
        runtime.warning(
          `fail-fast: the rollout cannot succeed (${reason}). Rule: ${verdict.rule}. Stopping helm after ${Math.round(stoppedAfterMs / 1000)} s so that it rolls back; ${verdict.relax}.`,
        )
        control.stop.abort()
      },
    },
    control.helmDone,
  )
  return {
    verdict: result.verdict,
    stoppedAfterMs,
    last: result.last,
    diagnosis,
    diagnostics,
    reason,
    beforeTimeout,
    readiness: result.readiness,
  }
}

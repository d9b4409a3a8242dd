import type { ReleaseSpec } from '../../helm/args.js'
import type { HelmCli } from '../../helm/cli.js'
import { helmGate } from '../../helm/gate.js'
import type { KubeconfigAuth } from '../../inputs/types.js'
import type { ImageRef } from '../../lib/image-ref.js'
import type { PhaseSpan } from '../phase.js'
import { ActionError } from '../../lib/errors.js'
import type { DeployReleaseParams } from './release-types.js'
import { valuesImageOf } from './release-setup.js'
import { pinnedSpec } from './chart-pin.js'
import { startUpgrade, type StartedUpgrade } from './upgrade.js'
import { isSameCommand, PLAIN_FACTS, upgradeCommand, type UpgradeCommand } from './upgrade-command.js'

/**
 * helm started ahead of the deploy's pre-flight. A healthy deploy spends a quarter of a second in helm
 * before its first request to the cluster (the binary's start, its kubeconfig, the token plugin's
 * start): that now runs while the lock is taken and the pre-flight asks its questions. The helm is
 * held at its first request: the kubeconfig's token plugin, its only credential, answers it only once
 * the deploy lets it through (helm/gate.ts), which it does at the moment it would have started helm,
 * and only if helm's command is exactly the one the pre-flight's findings give. Otherwise (a refusal,
 * another command, anything that stops the deploy) the plugin is refused and helm ends without
 * having sent a request; the deploy then starts helm as before, if at all.
 */
export interface HelmAhead {
  /**
   * The started helm, if it runs exactly `command`; else undefined, once that helm has ended.
   * Its gate is open by then; `letThrough` prints its output, from then on, as its own.
   */
  take(command: Pick<UpgradeCommand, 'args' | 'env'>): Promise<TakenHelm | undefined>
  /** Unless taken: refuses its plugin, stops it and waits for its end; its output is dropped. */
  dispose(reason: string): Promise<void>
  /** The time helm waited at its gate for the deploy (asked before it was let through), if it did. */
  held(): Promise<PhaseSpan | undefined>
}

interface TakenHelm {
  readonly started: StartedUpgrade
  readonly letThrough: () => void
}

interface AheadParams {
  /** The spec as the deploy has it before the history and the namespace are known (the chart pinned). */
  readonly spec: ReleaseSpec
  /** How the kubeconfig phase's file authenticates; undefined: there is none (the job's KUBECONFIG). */
  readonly kubeconfigAuth: KubeconfigAuth | undefined
  readonly kubeconfigPath: string | undefined
  readonly image: ImageRef | undefined
  readonly isAdopting: boolean
  /** The step's private helm directory, where the gate's file goes. */
  readonly helmDir: string | undefined
}

/** A helm held longer than this (a long lock queue) is let go; the deploy starts its own later. */
const MAX_HOLD_MS = 30_000

/**
 * Whether helm can be held at its first request: its one credential is the kubeconfig phase's token
 * plugin (no token, kubeconfig or API server of its own in helm-args or HELM_KUBE*), the deploy writes
 * nothing of its own before helm (no adoption) and helm runs for real (no dry run, no skip-unchanged,
 * which often ends without helm).
 */
function canStartAhead(helm: Pick<HelmCli, 'env'>, params: AheadParams): boolean {
  const { spec } = params
  return (
    params.helmDir !== undefined &&
    params.kubeconfigAuth === 'exec' &&
    params.kubeconfigPath !== undefined &&
    helm.env.KUBECONFIG === params.kubeconfigPath &&
    !Object.keys(helm.env).some((name) => name.startsWith('HELM_KUBE')) &&
    !spec.helmArgs.some((arg) => arg.startsWith('--kube')) &&
    !spec.isDryRun &&
    !spec.shouldSkipUnchanged &&
    !params.isAdopting
  )
}

/**
 * Starts helm with the command a healthy upgrade gets (the release exists, so does its namespace; no
 * conflict, autoscaler or progressive kind), held at its gate. Undefined where it cannot be held.
 */
function startHelmAhead(helm: HelmCli, params: AheadParams): HelmAhead | undefined {
  const { runtime } = helm
  if (!canStartAhead(helm, params) || params.helmDir === undefined) return undefined
  const silent = { info: () => undefined }
  const predicted = upgradeCommand(
    helm,
    { ...params.spec, shouldCreateNamespace: false },
    { ...PLAIN_FACTS, image: params.image, isAdopting: false },
    silent,
  )
  const gate = helmGate(params.helmDir)
  let print: (shouldPrint: boolean) => void = () => undefined
  const holdOutput = new Promise<boolean>((resolve) => {
    print = resolve
  })
  const started = startUpgrade(
    helm,
    predicted.spec,
    { args: predicted.args, env: { ...predicted.env, ...gate.env } },
    holdOutput,
  )
  let hasEnded = false
  const ended = started.result.then(
    () => {
      hasEnded = true
    },
    () => {
      hasEnded = true
    },
  )
  let isRefused = false
  const tooLong = setTimeout(() => {
    isRefused = true
    void gate.refuse(`the deploy held it longer than ${MAX_HOLD_MS / 1000} s`).catch(() => undefined)
  }, MAX_HOLD_MS)
  tooLong.unref()
  let state: 'held' | 'taken' | 'disposed' = 'held'
  let held: Promise<PhaseSpan | undefined> = Promise.resolve(undefined)
  const dispose = async (reason: string): Promise<void> => {
    if (state !== 'held') return
    state = 'disposed'
    clearTimeout(tooLong)
    await gate.refuse(reason).catch(() => undefined)
    print(false)
    started.stop.abort()
    await ended
    await gate.remove().catch(() => undefined)
  }
  return {
    take: async (command) => {
      if (state !== 'held') return undefined
      // Ended already (bad flags), refused (held too long), or another command: not this one.
      const isSame = isSameCommand(command, predicted)
      if (hasEnded || isRefused || !isSame) {
        const why = isSame
          ? 'it ended before the deploy needed it'
          : "the pre-flight's findings changed its command"
        runtime.debug(
          `helm started ahead of the pre-flight is not the one to run (${why}): starting helm again.`,
        )
        await dispose(why)
        return undefined
      }
      state = 'taken'
      clearTimeout(tooLong)
      await gate.open()
      const openedAt = runtime.now()
      runtime.debug(
        `helm started ${openedAt - started.startedMs} ms ahead of the pre-flight's end: let through.`,
      )
      held = gate
        .askedAt()
        .then((askedAt) =>
          askedAt === undefined || askedAt >= openedAt
            ? undefined
            : { name: 'helm held', startMs: askedAt, endMs: openedAt, isFailed: false },
        )
      void ended.then(() => gate.remove()).catch(() => undefined)
      return {
        started,
        letThrough: () => {
          print(true)
        },
      }
    },
    dispose,
    held: () => held,
  }
}

/** helm started ahead with the chart as it is to be deployed (an oci:// chart pinned first). */
export async function aheadOf(params: DeployReleaseParams, helm: HelmCli): Promise<HelmAhead | undefined> {
  const pin = await params.chartPin
  if (pin instanceof ActionError) return undefined
  return startHelmAhead(helm, {
    spec: pinnedSpec(params.spec, pin),
    kubeconfigAuth: params.kubeconfigAuth,
    kubeconfigPath: params.kubeconfigPath,
    image: valuesImageOf(params),
    isAdopting: params.isAdopting === true,
    helmDir: params.helmDir,
  })
}

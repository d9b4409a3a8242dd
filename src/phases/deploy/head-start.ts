import type { ImageRef } from '../../lib/image-ref.js'
import { makePrivateDir } from '../../lib/private-file.js'
import { holdLog } from '../../runner/buffered-group.js'
import type { PhaseDeps } from '../phase.js'
import { buildTemplateArgs, type ReleaseSpec } from '../../helm/args.js'
import { queryHelm, setUpHelmInGroup, type HelmCli } from '../../helm/cli.js'
import { buildHelmEnv } from '../../helm/env.js'
import { lastHelmError } from '../../helm/failure.js'
import { isolatedHelmFiles } from '../../helm/isolation.js'
import type { DeployParams } from './types.js'

/**
 * What the deploy starts first of all, with the step: helm found (or installed) and its version asked,
 * then a local chart rendered (`helm template`). This module is part of the action's main bundle, so
 * `helm version`, a process of a tenth of a second (more on a busy runner), starts before the SDK
 * and the deploy's own modules load, and has ended before the kubeconfig exists; the render's text
 * waits for the deploy (deploy-start.ts reads its objects once helm has started).
 */
export interface HelmHeadStart {
  /** helm, with an environment of the job's alone: the phase gives it the full one. */
  readonly helm: Promise<HelmCli>
  /** The step's own directory for helm's files (recorded for the post step). */
  readonly helmDir: Promise<string>
  /** `helm template`'s output; undefined when the chart is not rendered ahead (or could not be). */
  readonly renderText: Promise<string | undefined> | undefined
  /** Prints the held log of the helm setup (once it has ended) where the deploy phase is. */
  printLog(): Promise<void>
}

/** The deploy renders the release before helm runs: for the pre-flight, or the rollout watch. */
export function needsRender(
  spec: Pick<ReleaseSpec, 'isPreflight' | 'isDryRun' | 'shouldWait' | 'isAtomic'>,
): boolean {
  return spec.isPreflight || (!spec.isDryRun && (spec.shouldWait || spec.isAtomic))
}

/**
 * Starts helm's setup and a local chart's render; every promise is handled here (a run that never
 * reaches the deploy reports nothing of it). `image`: the plan's, for the render's values.
 */
export function startHelmSetup(
  params: Pick<DeployParams, 'runnerTemp' | 'source' | 'jobEnv' | 'helm' | 'spec'>,
  deps: Pick<PhaseDeps, 'runtime' | 'cleanup' | 'time'>,
  image: ImageRef | undefined,
): HelmHeadStart {
  const held = holdLog(deps.runtime)
  // Made at once: three calls to the file system of a millisecond, which would otherwise each wait
  // behind the SDK's modules as they load.
  const helmDir = makePrivateDir(params.runnerTemp, 'eks-helm-').then((dir) => {
    deps.cleanup.add([dir])
    return dir
  })
  helmDir.catch(() => undefined)
  const { source } = params
  const chart = source.kind === 'chart' ? source.chart : undefined
  const env = (dir: string) =>
    buildHelmEnv({
      jobEnv: params.jobEnv,
      extraEnv: {},
      helmFiles: chart === undefined ? undefined : isolatedHelmFiles(dir, chart),
    })
  const helm = helmDir.then((dir) =>
    deps.time('helm setup', () => setUpHelmInGroup(params.helm, env(dir), held.runtime)),
  )
  const settled = helm.then(
    () => undefined,
    () => undefined,
  )
  // Kinds and names are all the pre-flight and the watch read; a local chart renders them without the
  // cluster, as the server-side dry run did (which now runs only for charts from a registry). After
  // `helm version`: two of helm's processes at once would slow the step's own work more.
  const renderText =
    chart?.kind === 'path' && needsRender(params.spec)
      ? helm.then((cli) => renderLocally(cli, { ...params.spec, chart }, image)).catch(() => undefined)
      : undefined
  return {
    helm,
    helmDir,
    renderText,
    printLog: async () => {
      await settled
      await held.flush()
    },
  }
}

async function renderLocally(
  helm: HelmCli,
  spec: ReleaseSpec,
  image: ImageRef | undefined,
): Promise<string | undefined> {
  const result = await queryHelm(helm, buildTemplateArgs(spec, image))
  if (result.exitCode !== 0) {
    helm.runtime.debug(`helm template failed ahead of the deploy (${lastHelmError(result.stderr)}).`)
    return undefined
  }
  return result.stdout
}

/**
 * client-node, when the job's own kubeconfig will need it (no kubeconfig phase), loads in its own
 * thread while the AWS phases run (where there is no bundle to run there, here, while they wait on
 * the network). Not for the kubeconfig phase's file: the plain client serves it.
 */
export function startKubeClient(
  params: Pick<DeployParams, 'spec' | 'jobEnv'>,
  willWriteKubeconfig: boolean,
): void {
  if (willWriteKubeconfig || !needsRender(params.spec)) return
  import('../../kube/connect.js')
    .then((m) =>
      m.startKube({ willWrite: false, kubeconfigPath: undefined, jobEnv: params.jobEnv, execEnv: {} }),
    )
    .catch(() => undefined)
}

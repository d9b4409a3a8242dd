import { ActionError, messageOf } from '../../lib/errors.js'
import type { ImageRef } from '../../lib/image-ref.js'
import { makePrivateDir } from '../../lib/private-file.js'
import { holdLog } from '../../runner/buffered-group.js'
import type { PhaseDeps } from '../phase.js'
import type { ReleaseSpec } from '../../helm/args.js'
import { buildTemplateArgs } from '../../helm/args.js'
import { queryHelm, setUpHelmInGroup, type HelmCli } from '../../helm/cli.js'
import { buildHelmEnv } from '../../helm/env.js'
import { lastHelmError } from '../../helm/failure.js'
import { isolatedHelmFiles } from '../../helm/isolation.js'
import { templateObjects, type RenderedObject } from './rollout/rendered.js'
import type { DeployParams } from './types.js'
import { verifyChart, writeKeyring, type ChartProvenance } from './provenance.js'

/**
 * What the deploy needs that needs no AWS credentials and no cluster, started with the step (while
 * auth, ECR and kubeconfig run) instead of after them: helm found (or installed) and its version
 * asked; a local chart's objects rendered (`helm template`, for the pre-flight and the watch); the
 * Kubernetes client's module loaded. Its log waits for the deploy's place in the log.
 */
export interface DeployHeadStart {
  /** helm, with an environment of the job's alone: the phase gives it the full one. */
  readonly helm: Promise<HelmCli>
  /** The step's own directory for helm's files (recorded for the post step). */
  readonly helmDir: Promise<string>
  /** A local chart's objects; undefined when it is not rendered ahead (or could not be). */
  readonly rendered: Promise<RenderedObject[] | undefined> | undefined
  /** Prints the held log of the helm setup (once it has ended) where the deploy phase is. */
  printLog(): Promise<void>
  /** chart-keyring: the binary keyring written for helm, and helm's check of the chart's .prov. */
  readonly provenance?: ProvenanceCheck | undefined
}

interface ProvenanceCheck {
  readonly keyringFile: Promise<string>
  /** undefined when helm could not be set up (the deploy reports that). */
  readonly checked: Promise<ChartProvenance | ActionError | undefined>
}

/** The deploy renders the release before helm runs: for the pre-flight, or the rollout watch. */
export function needsRender(
  spec: Pick<ReleaseSpec, 'isPreflight' | 'isDryRun' | 'shouldWait' | 'isAtomic'>,
): boolean {
  return spec.isPreflight || (!spec.isDryRun && (spec.shouldWait || spec.isAtomic))
}

/**
 * Starts the deploy's preparation; every promise is handled here, so a run that never reaches the
 * deploy (auth failed) reports nothing of it. `image`: the plan's, for the render's values.
 */
export function startDeploy(
  params: DeployParams,
  deps: Pick<PhaseDeps, 'runtime' | 'cleanup' | 'time'>,
  image: ImageRef | undefined,
  /** The kubeconfig phase runs: the cluster is reached through the kubeconfig it writes. */
  willWriteKubeconfig = false,
): DeployHeadStart {
  const held = holdLog(deps.runtime)
  const helmDir = makePrivateDir(params.runnerTemp, 'eks-helm-').then((dir) => {
    deps.cleanup.add([dir])
    return dir
  })
  const { source } = params
  const chart = source.kind === 'chart' ? source.chart : undefined
  const env = (dir: string) =>
    buildHelmEnv({
      jobEnv: params.jobEnv,
      extraEnv: {},
      helmFiles: chart === undefined ? undefined : isolatedHelmFiles(dir, chart),
    })
  // `helm template` needs the binary, not its version: it starts while `helm version` runs.
  let located: (cli: Omit<HelmCli, 'version'> | undefined) => void = () => undefined
  const locating = new Promise<Omit<HelmCli, 'version'> | undefined>((resolve) => (located = resolve))
  const helm = helmDir.then((dir) =>
    deps.time('helm setup', () => setUpHelmInGroup(params.helm, env(dir), held.runtime, undefined, located)),
  )
  helm.catch(() => {
    located(undefined)
  })
  // Kinds and names are all the pre-flight and the watch read; a local chart renders them without the
  // cluster, as the server-side dry run did (which now runs only for charts from a registry).
  const rendered =
    chart?.kind === 'path' && needsRender(params.spec)
      ? Promise.all([
          locating.then((cli) =>
            cli === undefined ? undefined : renderLocally(cli, { ...params.spec, chart }, image),
          ),
          helm,
        ])
          .then(([objects]) => objects)
          .catch(() => undefined)
      : undefined
  const settled = helm.then(
    () => undefined,
    () => undefined,
  )
  // client-node, when the job's kubeconfig will need it, loads in its own thread while the AWS phases
  // run (where there is no bundle to run there, here, while they wait on the network).
  if (needsRender(params.spec))
    import('../../kube/connect.js')
      .then((m) =>
        m.startKube({
          willWrite: willWriteKubeconfig,
          kubeconfigPath: undefined,
          jobEnv: params.jobEnv,
          execEnv: {},
        }),
      )
      .catch(() => undefined)
  helmDir.catch(() => undefined)
  return {
    helm,
    helmDir,
    rendered,
    provenance: startProvenance(params, helm, helmDir),
    printLog: async () => {
      await settled
      await held.flush()
    },
  }
}

/** The chart's .prov checked with the step (it needs helm alone: no credentials, no cluster). */
function startProvenance(
  params: DeployParams,
  helm: Promise<HelmCli>,
  helmDir: Promise<string>,
): ProvenanceCheck | undefined {
  const { keyring, source, spec } = params
  if (keyring === undefined || source.kind !== 'chart') return undefined
  const keyringFile = helmDir.then((dir) => writeKeyring(dir, keyring))
  // helm that could not be set up is the deploy's failure to report, not this check's.
  const checked = Promise.all([helm, keyringFile, helmDir]).then(
    ([cli, file, dir]) =>
      verifyChart(
        cli,
        { chart: source.chart, chartVersion: spec.chartVersion, dir },
        { ...keyring, file },
      ).catch((error: unknown) =>
        error instanceof ActionError
          ? error
          : new ActionError(
              `helm could not check the chart's provenance (chart-keyring): ${messageOf(error)}`,
            ),
      ),
    () => undefined,
  )
  keyringFile.catch(() => undefined)
  return { keyringFile, checked }
}

async function renderLocally(
  helm: Omit<HelmCli, 'version'>,
  spec: ReleaseSpec,
  image: ImageRef | undefined,
): Promise<RenderedObject[] | undefined> {
  const result = await queryHelm(helm, buildTemplateArgs(spec, image))
  if (result.exitCode !== 0) {
    helm.runtime.debug(`helm template failed ahead of the deploy (${lastHelmError(result.stderr)}).`)
    return undefined
  }
  return templateObjects(result.stdout)
}

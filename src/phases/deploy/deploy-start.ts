import { ActionError, messageOf } from '../../lib/errors.js'
import type { HelmCli } from '../../helm/cli.js'
import type { HelmHeadStart } from './head-start.js'
import { templateObjects, type RenderedObject } from './rollout/rendered.js'
import type { DeployParams } from './types.js'
import { verifyChart, writeKeyring, type ChartProvenance } from './provenance.js'

/**
 * What the deploy needs that needs no AWS credentials and no cluster, started while auth, ECR and
 * kubeconfig run instead of after them: helm found (or installed) and its version asked, and a local
 * chart rendered (`helm template`, for the pre-flight and the watch), both with the step
 * (head-start.ts), with the Kubernetes client's module when the job's kubeconfig needs client-node;
 * once the deploy's modules have loaded, the chart's provenance checked. Its log waits for the deploy's
 * place in the log.
 */
export interface DeployHeadStart extends Pick<HelmHeadStart, 'helm' | 'helmDir' | 'printLog'> {
  /**
   * A local chart's objects, read from the render's text on the first call (the deploy calls once helm
   * has started: the parse is the step's largest); undefined when it is not rendered ahead.
   */
  readonly rendered: (() => Promise<RenderedObject[] | undefined>) | undefined
  /** chart-keyring: the binary keyring written for helm, and helm's check of the chart's .prov. */
  readonly provenance?: ProvenanceCheck | undefined
}

interface ProvenanceCheck {
  readonly keyringFile: Promise<string>
  /** undefined when helm could not be set up (the deploy reports that). */
  readonly checked: Promise<ChartProvenance | ActionError | undefined>
}

/**
 * The rest of the deploy's preparation, once its modules have loaded; every promise is handled here, so
 * a run that never reaches the deploy (auth failed) reports nothing of it.
 */
export function startDeploy(
  params: DeployParams,
  /** helm's setup and the render, started with the step (head-start.ts). */
  helmStart: HelmHeadStart,
): DeployHeadStart {
  const { helm, helmDir, renderText } = helmStart
  let objects: Promise<RenderedObject[] | undefined> | undefined
  const rendered =
    renderText === undefined
      ? undefined
      : () =>
          (objects ??= renderText
            .then((text) => (text === undefined ? undefined : templateObjects(text)))
            .catch(() => undefined))
  return {
    helm,
    helmDir,
    rendered,
    provenance: startProvenance(params, helm, helmDir),
    printLog: () => helmStart.printLog(),
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

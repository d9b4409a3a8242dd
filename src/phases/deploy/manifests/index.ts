import type { ChartRef } from '../../../inputs/types.js'
import { ActionError, messageOf } from '../../../lib/errors.js'
import type { ImageRef } from '../../../lib/image-ref.js'
import { makePrivateDir } from '../../../lib/private-file.js'
import type { Runtime } from '../../../runner/runtime.js'
import type { PhaseDeps } from '../../phase.js'
import type { KubeApi } from '../../../kube/kube-api.js'
import type { DeployResult } from '../types.js'
import { chartFiles, writeChart } from './chart.js'
import { adoptObjects, checkOwnership, type OwnershipCheck } from './ownership.js'
import type { PinnedImage } from './pin.js'
import { renderManifests } from './render.js'
import { isClusterScoped } from './scope.js'
import { describeObject, type ManifestObject, type ManifestReport, type ManifestSet } from './types.js'

export interface ManifestChartParams {
  readonly manifests: ManifestSet
  readonly release: string
  readonly namespace: string
  /** Phase ecr-login's image, pinned into the containers of its repository. */
  readonly image: ImageRef | undefined
  readonly runnerTemp: string
  readonly isDryRun: boolean
}

export interface ManifestChartDeps {
  readonly runtime: Runtime
  readonly cleanup: Pick<PhaseDeps['cleanup'], 'add'>
  readonly connectKube: () => Promise<KubeApi>
}

export interface ManifestChart {
  readonly chart: ChartRef
  readonly report: ManifestReport
  /** Marks the objects to adopt as the release's: right before helm runs; undefined when there are none. */
  readonly adopt: (() => Promise<ActionError | undefined>) | undefined
}

/**
 * Plain manifests made into a chart in the step's temp directory (removed by the post step): this run's
 * image pinned, the objects kubectl made found and (right before helm) adopted, another release's
 * objects refused. The chart then deploys like any other.
 */
export async function prepareManifestChart(
  params: ManifestChartParams,
  deps: ManifestChartDeps,
): Promise<ManifestChart> {
  const { runtime } = deps
  const { manifests, release } = params
  const objects = manifests.files.flatMap((file) => file.objects)
  const files = manifests.files.length
  const title = `Manifests: ${objects.length} object${objects.length === 1 ? '' : 's'} from ${files} file${files === 1 ? '' : 's'}, as chart ${release} ${manifests.chartVersion}`
  return runtime.group(title, async () => {
    for (const file of manifests.files) {
      runtime.info(`${file.name}: ${file.objects.map(describeObject).join(', ') || 'no objects'}`)
    }
    const owners = await readOwnership(params, deps)
    const rendered = renderManifests(manifests, { image: params.image, adopting: new Set(owners.unowned) })
    reportImages(runtime, params.image, rendered)
    const adopted = owners.unowned.map(describeObject)
    reportAdoption(runtime, params, adopted, rendered.unkept)
    if (owners.clusterScoped.length > 0) {
      runtime.notice(
        `Cluster-scoped objects in the manifests, ${params.isDryRun ? 'which would be' : 'to be'} applied by release ${release} outside namespace ${params.namespace}: ${owners.clusterScoped.join(', ')}. They affect the whole cluster; the release never takes over an existing one it does not own.`,
      )
    }
    const dir = await writeManifestChart(params, deps, rendered.texts)
    const report = {
      files,
      objects: objects.length,
      pinned: rendered.pinned,
      adopted,
      clusterScoped: owners.clusterScoped,
    }
    const adopt =
      owners.unowned.length === 0 || params.isDryRun ? undefined : () => adoptNow(owners, params, deps)
    return { chart: { kind: 'path', path: dir }, report, adopt }
  })
}

/**
 * The deploy's result with what the manifests became. A first install that adopted objects and failed
 * has no earlier revision to roll them back to: helm kept them (keep) as it had applied them, said here.
 */
export function withManifestReport(
  result: DeployResult,
  made: ManifestChart,
  runtime: Runtime,
): DeployResult {
  const { adopted } = made.report
  if (adopted.length > 0 && result.failure !== undefined && result.previousRevision === undefined) {
    runtime.warning(
      `This first install adopted ${adopted.join(', ')} and failed: helm kept them as it had applied them (there is no earlier revision to roll back to). A Deployment keeps serving from its old ReplicaSet; \`kubectl rollout undo deployment/<name> -n ${result.namespace}\` restores what kubectl applied, and the next deploy of a good commit replaces it.`,
    )
  }
  return { ...result, manifests: made.report }
}

/** The chart in a directory of its own under RUNNER_TEMP, recorded for the post step. */
async function writeManifestChart(
  params: ManifestChartParams,
  deps: ManifestChartDeps,
  texts: readonly (readonly string[])[],
): Promise<string> {
  const dir = await makePrivateDir(params.runnerTemp, 'eks-manifests-')
  deps.cleanup.add([dir])
  const { manifests } = params
  const appVersion = params.image?.tag
  await writeChart(
    dir,
    chartFiles({ name: params.release, version: manifests.chartVersion, appVersion, set: manifests, texts }),
  )
  return dir
}

function reportAdoption(
  runtime: Runtime,
  params: ManifestChartParams,
  adopted: readonly string[],
  unkept: readonly string[],
): void {
  if (adopted.length > 0) {
    runtime.info(
      `${params.isDryRun ? 'Would adopt' : 'Adopting'} into release ${params.release} (they exist without a Helm release, as kubectl apply leaves them): ${adopted.join(', ')}.`,
    )
  }
  if (unkept.length > 0) {
    runtime.warning(
      `Not marked helm.sh/resource-policy: keep for this first revision (their metadata is written in a shape this action does not edit): ${unkept.join(', ')}. If this deploy fails, helm's rollback deletes them.`,
    )
  }
}

const knownClusterScoped = (objects: readonly ManifestObject[]): string[] =>
  objects.filter((object) => isClusterScoped(object)).map(describeObject)

async function readOwnership(params: ManifestChartParams, deps: ManifestChartDeps): Promise<OwnershipCheck> {
  const objects = params.manifests.files.flatMap((file) => file.objects)
  const release = { name: params.release, namespace: params.namespace }
  let check: OwnershipCheck
  try {
    check = await checkOwnership(objects, release, await deps.connectKube())
  } catch (error) {
    if (error instanceof ActionError) throw error
    deps.runtime.warning(`Cannot tell which objects exist already (${messageOf(error)}): none is adopted.`)
    return { unowned: [], unknown: [], clusterScoped: knownClusterScoped(objects) }
  }
  if (check.unknown.length > 0) {
    deps.runtime.warning(
      `Cannot tell whether these objects exist already (helm finds out itself): ${check.unknown.join('; ')}`,
    )
  }
  return check
}

function reportImages(
  runtime: Runtime,
  image: ImageRef | undefined,
  rendered: { readonly pinned: readonly PinnedImage[]; readonly matched: number },
): void {
  if (image === undefined) return
  for (const pin of rendered.pinned)
    runtime.info(`${pin.object} container ${pin.container}: ${pin.from} -> ${pin.to}`)
  if (rendered.matched === 0) {
    runtime.warning(
      `No container of the manifests runs an image of ${image.registry}/${image.name} (ecr-repository): nothing was pinned to this run's tag ${image.tag}. Write the image as ${image.registry}/${image.name} (any tag) where it should be deployed.`,
    )
  }
}

async function adoptNow(
  owners: OwnershipCheck,
  params: ManifestChartParams,
  deps: ManifestChartDeps,
): Promise<ActionError | undefined> {
  try {
    await adoptObjects(
      owners.unowned,
      { name: params.release, namespace: params.namespace },
      await deps.connectKube(),
    )
    return undefined
  } catch (error) {
    return new ActionError(
      `Could not adopt the existing objects into release ${params.release}: ${messageOf(error)}`,
      {
        cause: error,
        hint: 'The deploying identity needs patch on them (the pre-flight checks what helm needs; adoption patches their labels and annotations).',
      },
    )
  }
}

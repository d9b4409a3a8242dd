import { mapLimited } from '../../../lib/map-limited.js'
import { parseAllDocuments } from 'yaml'
import type { FieldConflicts } from '../../../inputs/types.js'
import { messageOf } from '../../../lib/errors.js'
import { isObject, text } from '../../../helm/result.js'
import type { Autoscaler, FieldApi, LiveFields } from '../../../kube/field-api.js'
import type { RenderedObject } from '../rollout/rendered.js'
import { conflictRows } from './conflicts.js'
import { decideConflicts } from './decide.js'
import { driftOf, hasOtherManagers } from './drift.js'
import type { FieldConflict, FieldDrift, FieldObject, FieldReport } from './types.js'

/**
 * The field manager both helm majors write as (measured with 4.1.4: `helm`, operation Apply; 3.17
 * writes `helm`, operation Update).
 */
const HELM_FIELD_MANAGER = 'helm'

/** Requests at once: a release of a few dozen objects takes a few rounds, and the API server is shared. */
const CONCURRENCY = 8

export interface FieldCheckParams {
  readonly release: string
  readonly namespace: string
  readonly mode: FieldConflicts
  readonly helmMajor: number
  readonly objects: readonly RenderedObject[]
  /** `helm get manifest` of the last revision (undefined: no release yet); Secrets are skipped unread. */
  readonly lastManifest: string | undefined
}

export interface FieldCheckDeps {
  readonly fields: FieldApi
  /** Whether a kind is namespaced (discovery); undefined when the cluster does not serve it. */
  readonly isNamespaced: (apiVersion: string, kind: string) => Promise<boolean | undefined>
}

interface Checked {
  readonly conflicts: FieldConflict[]
  readonly drift: FieldDrift[]
  readonly problem?: string
}

/**
 * The objects of the release in its namespace, each kind listed once (managedFields and values); a
 * server-side dry-run apply as helm's field manager (its 409 names the fields another manager owns)
 * only for the objects where a manager other than helm owns a field a user sets: a release nobody
 * touched costs one list per kind. Nothing is written.
 */
export async function checkFieldOwnership(
  params: FieldCheckParams,
  deps: FieldCheckDeps,
): Promise<FieldReport> {
  const applied = lastApplied(params.lastManifest)
  const candidates = params.objects.filter(
    (o) => !o.isHook && o.body !== undefined && (o.namespace ?? params.namespace) === params.namespace,
  )
  const autoscalers = deps.fields.listAutoscalers(params.namespace).catch(() => [] as Autoscaler[])
  const kinds = [...new Set(candidates.map((o) => `${o.apiVersion} ${o.kind}`))]
  const listed = await mapLimited(kinds, CONCURRENCY, (key) => listKind(key, params.namespace, deps))
  const live = new Map(listed.flatMap((kind) => [...kind.objects]))
  const targets = candidates.filter((o) =>
    listed.some((kind) => kind.key === `${o.apiVersion} ${o.kind}` && kind.isChecked),
  )
  const results = await mapLimited(targets, CONCURRENCY, (object) =>
    checkObject(object, params, deps, {
      live: live.get(`${object.kind}/${object.name}`),
      applied: applied.get(`${object.kind}/${object.name}`),
      autoscalers,
    }),
  )
  const conflicts = results.flatMap((r) => r.conflicts)
  return {
    mode: params.mode,
    helmMajor: params.helmMajor,
    checked: targets.length,
    conflicts,
    drift: results.flatMap((r) => r.drift),
    decision: decideConflicts(conflicts, params.mode, params.helmMajor),
    problems: [...listed.flatMap((kind) => kind.problem ?? []), ...results.flatMap((r) => r.problem ?? [])],
  }
}

interface ListedKind {
  readonly key: string
  /** Namespaced and listed: its objects are checked. */
  readonly isChecked: boolean
  readonly objects: ReadonlyMap<string, LiveFields>
  readonly problem?: string
}

async function listKind(key: string, namespace: string, deps: FieldCheckDeps): Promise<ListedKind> {
  const [apiVersion = '', kind = ''] = key.split(' ')
  try {
    if ((await deps.isNamespaced(apiVersion, kind)) !== true)
      return { key, isChecked: false, objects: new Map() }
    const objects = await deps.fields.listLive(apiVersion, kind, namespace)
    return { key, isChecked: true, objects: new Map([...objects].map(([name, o]) => [`${kind}/${name}`, o])) }
  } catch (error) {
    return { key, isChecked: false, objects: new Map(), problem: `${kind}: ${messageOf(error)}` }
  }
}

async function checkObject(
  object: RenderedObject,
  params: FieldCheckParams,
  deps: FieldCheckDeps,
  known: {
    live: LiveFields | undefined
    applied: Record<string, unknown> | undefined
    autoscalers: Promise<readonly Autoscaler[]>
  },
): Promise<Checked> {
  const ref: FieldObject = { kind: object.kind, name: object.name, namespace: params.namespace }
  const { live } = known
  // Nothing to conflict with or drift from: helm creates the object.
  if (live === undefined) return { conflicts: [], drift: [] }
  try {
    const [conflicts, autoscalers] = await Promise.all([
      hasOtherManagers(live) ? deps.fields.applyDryRun(applyBody(object, params), HELM_FIELD_MANAGER) : [],
      known.autoscalers,
    ])
    return {
      conflicts: conflictRows(
        ref,
        { conflicts, live, autoscalers, replicas: replicasOf(object) },
        HELM_FIELD_MANAGER,
      ),
      drift: known.applied === undefined ? [] : driftOf(ref, known.applied, live),
    }
  } catch (error) {
    return { conflicts: [], drift: [], problem: `${object.kind} ${object.name}: ${messageOf(error)}` }
  }
}

/** The object as helm 4 applies it: in the release's namespace, with helm's ownership labels. */
function applyBody(object: RenderedObject, params: FieldCheckParams): Record<string, unknown> {
  const body = object.body ?? {}
  const metadata = isObject(body.metadata) ? body.metadata : {}
  const labels = isObject(metadata.labels) ? metadata.labels : {}
  const annotations = isObject(metadata.annotations) ? metadata.annotations : {}
  return {
    ...body,
    metadata: {
      ...metadata,
      namespace: params.namespace,
      labels: { ...labels, 'app.kubernetes.io/managed-by': 'Helm' },
      annotations: {
        ...annotations,
        'meta.helm.sh/release-name': params.release,
        'meta.helm.sh/release-namespace': params.namespace,
      },
    },
  }
}

function replicasOf(object: RenderedObject): unknown {
  const spec = object.body?.spec
  return isObject(spec) ? spec.replicas : undefined
}

/** The last revision's objects by `Kind/name`, Secrets left out (helm get manifest prints their data). */
function lastApplied(manifest: string | undefined): Map<string, Record<string, unknown>> {
  const objects = new Map<string, Record<string, unknown>>()
  if (manifest === undefined) return objects
  for (const document of parseAllDocuments(manifest)) {
    const object = document.toJS() as unknown
    if (!isObject(object) || object.kind === 'Secret' || !isObject(object.metadata)) continue
    objects.set(`${text(object.kind)}/${text(object.metadata.name)}`, object)
  }
  return objects
}

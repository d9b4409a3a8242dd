import type { ImageRef } from '../lib/image-ref.js'
import type { AuthEarlier, AuthParams, AuthResult } from '../phases/auth/index.js'
import { startAuth } from '../phases/auth/head-start.js'
import { startHelmSetup, startKubeClient } from '../phases/deploy/head-start.js'
import { planAuth } from '../phases/auth/plan.js'
import { authReport } from '../phases/auth/report.js'
import type { DeployEarlier, DeployHeadStart, DeployParams, DeployResult } from '../phases/deploy/index.js'
import { planDeploy } from '../phases/deploy/plan.js'
import { deployReport } from '../phases/deploy/report.js'
import type { EcrEarlier, EcrParams, EcrResult } from '../phases/ecr/index.js'
import { startEcr } from '../phases/ecr/head-start.js'
import { planEcr } from '../phases/ecr/plan.js'
import { ecrReport } from '../phases/ecr/report.js'
import type { KubeconfigEarlier, KubeconfigParams, KubeconfigResult } from '../phases/kubeconfig/index.js'
import { planKubeconfig } from '../phases/kubeconfig/plan.js'
import { kubeconfigReport } from '../phases/kubeconfig/report.js'
import type { TeardownEarlier, TeardownParams, TeardownResult } from '../phases/teardown/index.js'
import { planTeardown } from '../phases/teardown/plan.js'
import { teardownReport } from '../phases/teardown/report.js'
import type { VerifyEarlier, VerifyHeadStart, VerifyParams, VerifyResult } from '../phases/verify/index.js'
import { startVerify } from '../phases/verify/head-start.js'
import { planVerify } from '../phases/verify/plan.js'
import { verifyReport } from '../phases/verify/report.js'
import type { PhaseDeps, PhaseModule, PhaseReport, PlanPhase } from '../phases/phase.js'

/**
 * The stages action/run.ts runs one after the other; the phases of one stage run side by side.
 * `credentials`: what every later phase signs with (auth); `aws`: the calls that need only AWS
 * (ECR, DescribeCluster); `cluster`: what talks to the cluster (deploy or teardown).
 */
export const STAGES = ['credentials', 'aws', 'cluster'] as const

/** What a row reads of the run so far (earlier results, the plan): each undefined when that phase does not run. */
type SoFar<T> = { readonly [K in keyof T]?: T[K] | undefined }

/**
 * One phase as the orchestrator runs it: its module (loaded only when the plan runs it, so a run
 * that fails on its inputs never loads the SDK), its plan, its report, what it takes of the phases
 * before it (`Reads`: of their results; `Plans`: of their parameters). Adding a phase is one row.
 * Methods, so that the orchestrator can hold every row as one type (`RunnableRow`).
 */
interface PhaseRow<P, E, R, S = void, Reads = object, Plans = object> {
  /** Its name on the timeline and in a failure. */
  readonly name: string
  readonly stage: (typeof STAGES)[number]
  /**
   * How the timeline shows it: one span (`whole`), one span with its parts under it (`with-parts`:
   * helm setup, pre-flight), or only its parts, each a phase of its own (`parts-only`: ecr-login and
   * the image check).
   */
  readonly timeline: 'whole' | 'with-parts' | 'parts-only'
  /**
   * A phase of its stage whose result it reads: it runs when that one has (not with the stage), and
   * side by side with the others (verify-image after the image check, beside kubeconfig).
   */
  readonly after?: keyof Reads & string
  readonly plan: PlanPhase<P, Plans>
  readonly report: PhaseReport<R>
  load(): Promise<PhaseModule<P, E, R>>
  /**
   * Work that needs no earlier phase, started with the step (before auth) instead of in its turn.
   * `modules`: settles when the phase's own modules may load (run.ts: after auth's first request).
   */
  start?(params: P, deps: PhaseDeps, plan: Plans, modules: Promise<void>): S
  /** What it takes of the phases before it (awaited in its turn, inside its timing). */
  earlier(results: Reads, plan: Plans, started: S | undefined): E | Promise<E>
  /** A result that reports a failure (a rolled-back release): the step fails with it after publishing. */
  failureOf?(result: R): unknown
}

const loadDeploy = () => import('../phases/deploy/index.js')

/**
 * The phases, in the order of the summary and the outputs; `stage` says when each runs (auth;
 * ecr-login then verify-image ‖ kubeconfig; deploy or teardown).
 */
const PHASES = {
  auth: {
    name: 'auth',
    stage: 'credentials',
    timeline: 'whole',
    plan: planAuth,
    report: authReport,
    load: () => import('../phases/auth/index.js'),
    start: (params, deps) => startAuth(params, deps),
    earlier: (_results, _plan, started) => started ?? {},
  } satisfies PhaseRow<AuthParams, AuthEarlier, AuthResult, AuthEarlier>,
  ecr: {
    name: 'ecr-login',
    stage: 'aws',
    timeline: 'parts-only',
    plan: planEcr,
    report: ecrReport,
    load: () => import('../phases/ecr/index.js'),
    start: (params, deps) => {
      startEcr(params, deps)
    },
    earlier: (results) => ({ credentials: results.auth?.credentials }),
  } satisfies PhaseRow<EcrParams, EcrEarlier, EcrResult, void, SoFar<{ auth: AuthResult }>>,
  kubeconfig: {
    name: 'kubeconfig',
    stage: 'aws',
    timeline: 'whole',
    plan: planKubeconfig,
    report: kubeconfigReport,
    load: () => import('../phases/kubeconfig/index.js'),
    earlier: (results) => ({ credentials: results.auth?.credentials }),
  } satisfies PhaseRow<
    KubeconfigParams,
    KubeconfigEarlier,
    KubeconfigResult,
    void,
    SoFar<{ auth: AuthResult }>
  >,
  verify: {
    name: 'verify',
    stage: 'aws',
    after: 'ecr',
    timeline: 'whole',
    plan: planVerify,
    report: verifyReport,
    load: () => import('../phases/verify/index.js'),
    // The Sigstore libraries and the trust material load with the step; the digest comes from the image check.
    start: (params) => startVerify(params),
    earlier: ({ ecr }, plan, started) => ({
      image: ecr?.image,
      dockerConfigDir: ecr?.dockerConfigDir,
      trust: started ?? (plan.verify === undefined ? Promise.resolve([]) : startVerify(plan.verify)),
    }),
  } satisfies PhaseRow<
    VerifyParams,
    VerifyEarlier,
    VerifyResult,
    VerifyHeadStart,
    SoFar<{ ecr: EcrResult }>,
    SoFar<{ ecr: EcrParams; verify: VerifyParams }>
  >,
  deploy: {
    name: 'deploy',
    stage: 'cluster',
    timeline: 'with-parts',
    plan: planDeploy,
    report: deployReport,
    load: loadDeploy,
    // helm found or installed, a local chart rendered, client-node loaded when needed: with auth.
    start: (params, deps, plan, modules) => {
      // helm's setup and a local chart's render from this bundle, at once: `helm version` is the head
      // start's longest part. The deploy's own modules load in their turn, after the SDK's.
      const helm = startHelmSetup(params, deps, provisionalImage(plan.ecr))
      startKubeClient(params, plan.kubeconfig !== undefined)
      const started = modules.then(loadDeploy).then((phase) => phase.startDeploy(params, helm))
      started.catch(() => undefined)
      return started
    },
    earlier: async ({ auth, ecr, kubeconfig, verify }, plan, started) => ({
      credentials: auth?.credentials,
      chart: verify?.chart && { ref: verify.chart.ref, digest: verify.chart.digest },
      image: ecr?.image,
      dockerConfigDir: ecr?.dockerConfigDir,
      kubeconfigPath: kubeconfig?.path,
      kubeconfigAuth: kubeconfig?.auth,
      cluster: kubeconfig && {
        clusterName: kubeconfig.clusterName,
        clusterRoleArn: plan.kubeconfig?.clusterRoleArn,
        authRoleArn: auth?.roleArn,
      },
      headStart: await started,
    }),
    failureOf: (result) => result.failure,
  } satisfies PhaseRow<
    DeployParams,
    DeployEarlier,
    DeployResult,
    Promise<DeployHeadStart>,
    SoFar<{ auth: AuthResult; ecr: EcrResult; kubeconfig: KubeconfigResult; verify: VerifyResult }>,
    SoFar<{ ecr: EcrParams; kubeconfig: KubeconfigParams }>
  >,
  teardown: {
    name: 'uninstall',
    stage: 'cluster',
    timeline: 'with-parts',
    plan: planTeardown,
    report: teardownReport,
    load: () => import('../phases/teardown/index.js'),
    earlier: ({ auth, kubeconfig }) => ({ credentials: auth?.credentials, kubeconfigPath: kubeconfig?.path }),
    failureOf: (result) => result.failure,
  } satisfies PhaseRow<
    TeardownParams,
    TeardownEarlier,
    TeardownResult,
    void,
    SoFar<{ auth: AuthResult; kubeconfig: KubeconfigResult }>
  >,
}

export type PhaseKey = keyof typeof PHASES

type Row<K extends PhaseKey> = (typeof PHASES)[K]
type ParamsOf<K extends PhaseKey> = Exclude<Awaited<ReturnType<Row<K>['plan']>>, undefined>
type ResultOf<K extends PhaseKey> = Awaited<ReturnType<Awaited<ReturnType<Row<K>['load']>>['run']>>

/** Each phase's validated parameters, from its row's plan; undefined when it does not run. */
export type PhasePlans = { readonly [K in PhaseKey]?: ParamsOf<K> | undefined }

/** Each phase's result, from its row's module; undefined when it did not run (or not yet). */
export type PhaseResults = { readonly [K in PhaseKey]?: ResultOf<K> | undefined }

/**
 * A row as the orchestrator holds it, whatever its phase. Its own types are checked where it is
 * written (`satisfies`); the functions here check (strictly, unlike the methods) that what it reads
 * of the run so far is what the run has.
 */
export type RunnableRow = PhaseRow<unknown, unknown, unknown, unknown, PhaseResults, PhasePlans> & {
  readonly earlier: (results: PhaseResults, plan: PhasePlans, started: never) => unknown
  readonly start?: (params: never, deps: PhaseDeps, plan: PhasePlans, modules: Promise<void>) => unknown
}

/** The rows in the table's order. */
export const PHASE_ROWS: readonly (readonly [PhaseKey, RunnableRow])[] = (
  Object.keys(PHASES) as PhaseKey[]
).map((key) => [key, PHASES[key]])

/** The phases that ran (or run, of a plan), each with its row and its result (or parameters), in the table's order. */
export function rowsWith(values: { readonly [K in PhaseKey]?: unknown }): {
  readonly key: PhaseKey
  readonly row: RunnableRow
  readonly value: unknown
}[] {
  return PHASE_ROWS.flatMap(([key, row]) =>
    values[key] === undefined ? [] : [{ key, row, value: values[key] }],
  )
}

/**
 * The image as far as the plan knows it, for the render ahead of the deploy: the registry host waits
 * for the account (auth), but the objects' kinds and names, all that render is read for, never do.
 */
function provisionalImage(ecr: EcrParams | undefined): ImageRef | undefined {
  const image = ecr?.image
  if (image === undefined) return undefined
  return { registry: 'registry.invalid', name: image.repository, tag: image.tag.tag, digest: image.digest }
}

import type { ImageRef } from '../lib/image-ref.js'
import type { AuthEarlier, AuthParams, AuthResult } from '../phases/auth/index.js'
import { startAuth } from '../phases/auth/head-start.js'
import type { DeployEarlier, DeployHeadStart, DeployParams, DeployResult } from '../phases/deploy/index.js'
import type { EcrEarlier, EcrParams, EcrResult } from '../phases/ecr/index.js'
import { startEcr } from '../phases/ecr/head-start.js'
import type { KubeconfigEarlier, KubeconfigParams, KubeconfigResult } from '../phases/kubeconfig/index.js'
import type { TeardownEarlier, TeardownParams, TeardownResult } from '../phases/teardown/index.js'
import type { VerifyEarlier, VerifyHeadStart, VerifyParams, VerifyResult } from '../phases/verify/index.js'
import { startVerify } from '../phases/verify/head-start.js'
import type { Phase, PhaseDeps } from '../phases/phase.js'
import type { Plan } from './plan.js'
import type { RunResults } from './results.js'

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** The results of a run so far, each kept the moment its phase returns. */
export type RunResultsSoFar = Mutable<RunResults>

/**
 * One phase as the orchestrator runs it: its module (loaded only when the plan runs it, so a run
 * that fails on its inputs never loads the SDK), its parameters from the plan, what it takes of the
 * phases before it, and where its result goes. Adding a phase is one row here.
 */
export interface PhaseRow<P, E, R, S = void> {
  /** Its name on the timeline and in a failure; undefined: its parts are timed as phases (ecr-login, image check). */
  readonly timing: string | undefined
  readonly load: () => Promise<{ readonly run: Phase<P, E, R> }>
  readonly params: (plan: Plan) => P | undefined
  /** Work that needs no earlier phase, started with the step (before auth) instead of in its turn. */
  readonly start?: (params: P, deps: PhaseDeps, plan: Plan) => S
  /** What it takes of the phases before it (awaited in its turn, inside its timing). */
  readonly earlier: (results: RunResults, plan: Plan, started: S | undefined) => E | Promise<E>
  readonly store: (results: RunResultsSoFar, result: R) => void
  /** Its parts (helm setup, pre-flight, ...) show under it on the timeline. */
  readonly hasParts?: true
  /** A result that reports a failure (a rolled-back release) marks it failed on the timeline. */
  readonly hasFailed?: (result: R) => boolean
}

const loadDeploy = () => import('../phases/deploy/index.js')
const reportsFailure = (result: { readonly failure: unknown }) => result.failure !== undefined

/** The phases, in the order action/run.ts runs them (auth; ecr then verify ‖ kubeconfig; deploy or teardown). */
export const PHASES = {
  auth: {
    timing: 'auth',
    load: () => import('../phases/auth/index.js'),
    params: (plan) => plan.auth,
    start: (params, deps) => startAuth(params, deps),
    earlier: (_results, _plan, started) => started ?? {},
    store: (results, result) => (results.auth = result),
  } satisfies PhaseRow<AuthParams, AuthEarlier, AuthResult, AuthEarlier>,
  ecr: {
    timing: undefined,
    load: () => import('../phases/ecr/index.js'),
    params: (plan) => plan.ecr,
    start: (params, deps) => {
      startEcr(params, deps)
    },
    earlier: (results) => ({ credentials: results.auth?.credentials }),
    store: (results, result) => (results.ecr = result),
  } satisfies PhaseRow<EcrParams, EcrEarlier, EcrResult>,
  kubeconfig: {
    timing: 'kubeconfig',
    load: () => import('../phases/kubeconfig/index.js'),
    params: (plan) => plan.kubeconfig,
    earlier: (results) => ({ credentials: results.auth?.credentials }),
    store: (results, result) => (results.kubeconfig = result),
  } satisfies PhaseRow<KubeconfigParams, KubeconfigEarlier, KubeconfigResult>,
  verify: {
    timing: 'verify',
    load: () => import('../phases/verify/index.js'),
    params: (plan) => plan.verify,
    // The Sigstore libraries and the trust material load with the step; the digest comes from the image check.
    start: (params) => startVerify(params),
    earlier: ({ ecr }, plan, started) => ({
      image: ecr?.image,
      dockerConfigDir: ecr?.dockerConfigDir,
      trust: started ?? (plan.verify === undefined ? Promise.resolve([]) : startVerify(plan.verify)),
    }),
    store: (results, result) => (results.verify = result),
  } satisfies PhaseRow<VerifyParams, VerifyEarlier, VerifyResult, VerifyHeadStart>,
  deploy: {
    timing: 'deploy',
    load: loadDeploy,
    params: (plan) => plan.deploy,
    // helm found or installed, a local chart rendered, the Kubernetes client loaded: with auth.
    start: (params, deps, plan) => {
      const started = loadDeploy().then((phase) => phase.startDeploy(params, deps, provisionalImage(plan)))
      started.catch(() => undefined)
      return started
    },
    earlier: async ({ auth, ecr, kubeconfig }, plan, started) => ({
      credentials: auth?.credentials,
      image: ecr?.image,
      dockerConfigDir: ecr?.dockerConfigDir,
      kubeconfigPath: kubeconfig?.path,
      cluster: kubeconfig && {
        clusterName: kubeconfig.clusterName,
        clusterRoleArn: plan.kubeconfig?.clusterRoleArn,
        authRoleArn: auth?.roleArn,
      },
      headStart: await started,
    }),
    store: (results, result) => (results.deploy = result),
    hasParts: true,
    hasFailed: reportsFailure,
  } satisfies PhaseRow<DeployParams, DeployEarlier, DeployResult, Promise<DeployHeadStart>>,
  teardown: {
    timing: 'uninstall',
    load: () => import('../phases/teardown/index.js'),
    params: (plan) => plan.teardown,
    earlier: ({ auth, kubeconfig }) => ({ credentials: auth?.credentials, kubeconfigPath: kubeconfig?.path }),
    store: (results, result) => (results.teardown = result),
    hasParts: true,
    hasFailed: reportsFailure,
  } satisfies PhaseRow<TeardownParams, TeardownEarlier, TeardownResult>,
}

export type PhaseKey = keyof typeof PHASES

/** The phases a plan runs, in the table's order. */
export function plannedPhases(plan: Plan): PhaseKey[] {
  return (Object.keys(PHASES) as PhaseKey[]).filter((key) => plan[key] !== undefined)
}

/**
 * The image as far as the plan knows it, for the render ahead of the deploy: the registry host waits
 * for the account (auth), but the objects' kinds and names, all that render is read for, never do.
 */
function provisionalImage(plan: Plan): ImageRef | undefined {
  const image = plan.ecr?.image
  if (image === undefined) return undefined
  return { registry: 'registry.invalid', name: image.repository, tag: image.tag.tag, digest: image.digest }
}

import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { makeRunnerFiles, ROOT, runAction, runPost } from '../__tests__/fixtures/action-runner.js'
import type { OidcServer } from '../__tests__/fixtures/oidc-server.js'
import type { AwsCli } from './aws-cli.js'
import type { CountingProxy, RecordedCall } from './counting-proxy.js'
import { judgeExit, judgeFullRun, judgeInputError, judgeToken, type Outcome } from './judge.js'
import {
  BENCH_CLUSTER,
  BENCH_IMAGE_TAG,
  BENCH_REGION,
  BENCH_REPOSITORY,
  BENCH_ROLE,
  type SessionCredentials,
} from './moto-seed.js'
import { timeProcess } from './processes.js'

export interface BenchContext {
  /** moto_server behind a counting proxy: AWS_ENDPOINT_URL of every run. */
  readonly aws: CountingProxy
  readonly oidc: OidcServer
  /** The OIDC fixture behind a counting proxy: ACTIONS_ID_TOKEN_REQUEST_URL of every run. */
  readonly oidcProxy: CountingProxy
  readonly cli: AwsCli | undefined
  /** Session credentials for the token processes (they sign offline, with no call). */
  readonly credentials: SessionCredentials
  /** An IMDSv2 stand-in serving those credentials: the runner identity of `token-ambient`. */
  readonly imdsUrl: string
}

export interface Measurement {
  readonly ms: number
  readonly outcome: Outcome
  /** The AWS and OIDC requests the run made, on the bench's clock. */
  readonly calls: readonly RecordedCall[]
  /** Per-process times of a multi-process route. */
  readonly steps?: Readonly<Record<string, number>>
  /** When the run's (first) process started and its (last) one ended, on the bench's clock. */
  readonly span?: { readonly startMs: number; readonly endMs: number }
}

export type ScenarioId =
  | 'ours-full'
  | 'cli-route'
  | 'ours-auth'
  | 'cli-sts'
  | 'token-ours'
  | 'token-cli'
  | 'token-ambient'
  | 'cold-ours'
  | 'node-bare'
  | 'post-ours'

export interface Scenario {
  readonly id: ScenarioId
  readonly label: string
  readonly needsCli: boolean
  /** extraEnv: only for the untimed inspection runs (NODE_OPTIONS preloads). */
  run(ctx: BenchContext, extraEnv?: Readonly<Record<string, string>>): Promise<Measurement>
}

/** The work of the action before helm; every other input keeps its action.yml default. */
export const FULL_INPUTS: Readonly<Record<string, string>> = {
  phases: 'auth,ecr-login,kubeconfig',
  'role-to-assume': BENCH_ROLE,
  'aws-region': BENCH_REGION,
  'ecr-repository': BENCH_REPOSITORY,
  'image-tag': BENCH_IMAGE_TAG,
  'require-image': 'true',
  'cluster-name': BENCH_CLUSTER,
}
export const AUTH_INPUTS: Readonly<Record<string, string>> = {
  phases: 'auth',
  'role-to-assume': BENCH_ROLE,
  'aws-region': BENCH_REGION,
}
/** Stops the action in its input check, before any network call. */
export const BAD_INPUTS: Readonly<Record<string, string>> = { ...FULL_INPUTS, 'aws-region': 'not-a-region' }

/** The calls made since the mark was taken (runs never overlap, so they are the run's own). */
export function markCalls(ctx: BenchContext): () => RecordedCall[] {
  const [aws, oidc] = [ctx.aws.calls.length, ctx.oidcProxy.calls.length]
  return () => [...ctx.oidcProxy.calls.slice(oidc), ...ctx.aws.calls.slice(aws)]
}

/** PATH and HOME only: none of this machine's NODE_EXTRA_CA_CERTS, AWS_CA_BUNDLE or AWS_* settings. */
export function baseEnv(home: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home }
}

/** The bundled action started as the runner starts it (the integration tests' fixture), against the proxies. */
async function runOurs(
  ctx: BenchContext,
  inputs: Readonly<Record<string, string>>,
  judge: (
    run: { exitCode: number; stdout: string; stderr: string },
    calls: readonly RecordedCall[],
  ) => Outcome,
  extraEnv: Readonly<Record<string, string>>,
): Promise<Measurement> {
  const files = await makeRunnerFiles()
  const calls = markCalls(ctx)
  try {
    const run = await runAction({
      files,
      inputs,
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: ctx.oidc.requestUrl.replace(ctx.oidc.issuer, ctx.oidcProxy.url),
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: ctx.oidc.requestToken,
        AWS_ENDPOINT_URL: ctx.aws.url,
        ...extraEnv,
      },
    })
    // The fixture times spawn to close; reading its output files afterwards takes a millisecond or two.
    const endMs = performance.now()
    const made = calls()
    return {
      ms: run.durationMs,
      outcome: judge(run, made),
      calls: made,
      span: { startMs: endMs - run.durationMs, endMs },
    }
  } finally {
    await files.cleanup()
  }
}

const oursFull: Scenario = {
  id: 'ours-full',
  label: 'ours: `node dist/index.js`, phases auth,ecr-login,kubeconfig + image check',
  needsCli: false,
  run: (ctx, extraEnv = {}) => runOurs(ctx, FULL_INPUTS, judgeFullRun, extraEnv),
}

const oursAuth: Scenario = {
  id: 'ours-auth',
  label: 'ours: `node dist/index.js`, phases auth',
  needsCli: false,
  run: (ctx, extraEnv = {}) => runOurs(ctx, AUTH_INPUTS, (run) => judgeExit(run, 'the action'), extraEnv),
}

const coldOurs: Scenario = {
  id: 'cold-ours',
  label: 'cold start: `node dist/index.js` stopped by an input error',
  needsCli: false,
  run: (ctx, extraEnv = {}) => runOurs(ctx, BAD_INPUTS, judgeInputError, extraEnv),
}

const postOurs: Scenario = {
  id: 'post-ours',
  label: 'post step: `node dist/post/index.js`, nothing to clean',
  needsCli: false,
  run: async (ctx) => {
    const files = await makeRunnerFiles()
    const calls = markCalls(ctx)
    try {
      const run = await runPost({ files, state: { cleanup: '{"paths":[]}' } })
      return { ms: run.durationMs, outcome: judgeExit(run, 'the post step'), calls: calls() }
    } finally {
      await files.cleanup()
    }
  },
}

const nodeBare: Scenario = {
  id: 'node-bare',
  label: "`node -e ''`",
  needsCli: false,
  run: async (ctx) => {
    const calls = markCalls(ctx)
    const run = await timeProcess({ command: process.execPath, args: ['-e', ''], env: baseEnv(os.tmpdir()) })
    return { ms: run.ms, outcome: judgeExit(run, 'node'), calls: calls() }
  },
}

/** What kubectl and helm give the exec plugin: helm's environment, with the session's credentials. */
export function tokenEnv(ctx: BenchContext): Record<string, string> {
  return {
    ...baseEnv(os.tmpdir()),
    AWS_ACCESS_KEY_ID: ctx.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: ctx.credentials.secretAccessKey,
    AWS_SESSION_TOKEN: ctx.credentials.sessionToken,
    AWS_REGION: BENCH_REGION,
    AWS_DEFAULT_REGION: BENCH_REGION,
    AWS_ENDPOINT_URL_STS: ctx.aws.url,
  }
}

const tokenOurs: Scenario = {
  id: 'token-ours',
  label: 'token: `node dist/token/index.js --cluster-name X --region R`',
  needsCli: false,
  run: (ctx) => timeTokenPlugin(ctx, tokenEnv(ctx)),
}

/** One run of the exec plugin as kubectl starts it, in `env`. */
export async function timeTokenPlugin(ctx: BenchContext, env: Record<string, string>): Promise<Measurement> {
  const calls = markCalls(ctx)
  const run = await timeProcess({
    command: process.execPath,
    args: [path.join(ROOT, 'dist/token/index.js'), '--cluster-name', BENCH_CLUSTER, '--region', BENCH_REGION],
    env,
  })
  return { ms: run.ms, outcome: judgeToken(run, 'dist/token/index.js'), calls: calls() }
}

export const OUR_SCENARIOS = { oursFull, oursAuth, coldOurs, postOurs, nodeBare, tokenOurs }

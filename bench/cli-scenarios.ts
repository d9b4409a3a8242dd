import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import type { OidcServer } from '../__tests__/fixtures/oidc-server.js'
import { judgeExit, judgeToken } from './judge.js'
import { BENCH_CLUSTER, BENCH_REGION, BENCH_ROLE } from './moto-seed.js'
import { timeProcess, type ProcessRun } from './processes.js'
import {
  baseEnv,
  markCalls,
  tokenEnv,
  type BenchContext,
  type Measurement,
  type Scenario,
} from './scenarios.js'

/** The session name the action derives for the runner env of the fixture, so both routes ask for the same. */
const SESSION_NAME = 'gha-octo-org.octo-repo-4242-1'

function runCli(
  ctx: BenchContext,
  args: readonly string[],
  env: Record<string, string>,
): Promise<ProcessRun> {
  if (ctx.cli === undefined) throw new Error('the AWS CLI scenarios need the AWS CLI')
  return timeProcess({ command: ctx.cli.command, args: [...ctx.cli.prefixArgs, ...args], env })
}

/** The JWT a shell step would `curl` from the runner's endpoint; fetched before the clock starts. */
export async function fetchJwt(oidc: Pick<OidcServer, 'requestUrl' | 'requestToken'>): Promise<string> {
  const url = new URL(oidc.requestUrl)
  url.searchParams.set('audience', 'sts.amazonaws.com')
  const response = await fetch(url, { headers: { Authorization: `Bearer ${oidc.requestToken}` } })
  return ((await response.json()) as { value: string }).value
}

const stsArgs = (jwt: string): string[] => [
  'sts',
  'assume-role-with-web-identity',
  '--role-arn',
  BENCH_ROLE,
  '--role-session-name',
  SESSION_NAME,
  '--web-identity-token',
  jwt,
  '--duration-seconds',
  '3600',
  '--output',
  'json',
]

/** A fresh HOME (no ~/.aws), the region and the endpoint: what a workflow's shell step has. */
function cliEnv(ctx: BenchContext, home: string): Record<string, string> {
  return {
    ...baseEnv(home),
    AWS_DEFAULT_REGION: BENCH_REGION,
    AWS_REGION: BENCH_REGION,
    AWS_ENDPOINT_URL: ctx.aws.url,
  }
}

async function withHome<T>(fn: (dir: string, home: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'eks-bench-'))
  try {
    await fs.mkdir(path.join(dir, 'home'))
    return await fn(dir, path.join(dir, 'home'))
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}

const cliSts: Scenario = {
  id: 'cli-sts',
  label: 'AWS CLI: `aws sts assume-role-with-web-identity` alone',
  needsCli: true,
  run: (ctx) =>
    withHome(async (_dir, home) => {
      const jwt = await fetchJwt(ctx.oidc)
      const calls = markCalls(ctx)
      const run = await runCli(ctx, stsArgs(jwt), cliEnv(ctx, home))
      return { ms: run.ms, outcome: judgeExit(run, 'aws sts assume-role-with-web-identity'), calls: calls() }
    }),
}

/**
 * What a shell step does instead of the action: three CLI processes one after another, the
 * credentials of the first passed to the others as env. Its time is the sum of the three.
 */
const cliRoute: Scenario = {
  id: 'cli-route',
  label:
    'AWS CLI route: `aws sts assume-role-with-web-identity` → `aws ecr get-login-password` → `aws eks update-kubeconfig`',
  needsCli: true,
  run: (ctx) =>
    withHome(async (dir, home) => {
      const jwt = await fetchJwt(ctx.oidc)
      const calls = markCalls(ctx)
      const route = await runCliRoute(ctx, jwt, cliEnv(ctx, home), path.join(dir, 'kubeconfig'))
      return { ...route, calls: calls() }
    }),
}

async function runCliRoute(
  ctx: BenchContext,
  jwt: string,
  env: Record<string, string>,
  kubeconfig: string,
): Promise<Omit<Measurement, 'calls'>> {
  const startMs = performance.now()
  const sts = await runCli(ctx, stsArgs(jwt), env)
  if (sts.exitCode !== 0)
    return { ms: sts.ms, outcome: judgeExit(sts, 'aws sts assume-role-with-web-identity') }
  const c = (JSON.parse(sts.stdout) as { Credentials: Partial<Record<string, string>> }).Credentials
  const withCredentials = {
    ...env,
    AWS_ACCESS_KEY_ID: c.AccessKeyId ?? '',
    AWS_SECRET_ACCESS_KEY: c.SecretAccessKey ?? '',
    AWS_SESSION_TOKEN: c.SessionToken ?? '',
  }
  const ecr = await runCli(ctx, ['ecr', 'get-login-password'], withCredentials)
  const eks = await runCli(
    ctx,
    ['eks', 'update-kubeconfig', '--name', BENCH_CLUSTER, '--kubeconfig', kubeconfig],
    withCredentials,
  )
  const failed = [ecr, eks].find((run) => run.exitCode !== 0)
  return {
    ms: sts.ms + ecr.ms + eks.ms,
    span: { startMs, endMs: performance.now() },
    outcome: failed === undefined ? { kind: 'ok' } : judgeExit(failed, 'the AWS CLI route'),
    steps: {
      'aws sts assume-role-with-web-identity': sts.ms,
      'aws ecr get-login-password': ecr.ms,
      'aws eks update-kubeconfig': eks.ms,
    },
  }
}

const tokenCli: Scenario = {
  id: 'token-cli',
  label: 'token: `aws eks get-token --cluster-name X`',
  needsCli: true,
  run: async (ctx) => {
    const calls = markCalls(ctx)
    const run = await runCli(ctx, ['eks', 'get-token', '--cluster-name', BENCH_CLUSTER], tokenEnv(ctx))
    return { ms: run.ms, outcome: judgeToken(run, 'aws eks get-token'), calls: calls() }
  },
}

export const CLI_SCENARIOS = { cliRoute, cliSts, tokenCli }

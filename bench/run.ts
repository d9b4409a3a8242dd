/**
 * `npm run bench` (issue 6): the action's own cost, side by side with the AWS CLI route, as
 * whole processes against moto_server and the OIDC fixture. Prints the report and writes it to
 * bench/results/latest.md. BENCH_RUNS=N sets the runs per figure (default 10); BENCH_AWS_CLI
 * names the AWS CLI entry to use. Never part of `npm test`.
 */
import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { ROOT } from '../__tests__/fixtures/action-runner.js'
import { hasMotoServer, startMoto } from '../__tests__/fixtures/moto.js'
import { startOidcServer } from '../__tests__/fixtures/oidc-server.js'
import { findAwsCli } from './aws-cli.js'
import { readBundle } from './bundle-files.js'
import { CLI_SCENARIOS, fetchJwt } from './cli-scenarios.js'
import { describeAwsRequest, startCountingProxy } from './counting-proxy.js'
import { profileRun, recordLoadedFiles } from './inspect.js'
import { readMachineInfo } from './machine.js'
import { seedMoto } from './moto-seed.js'
import { renderReport } from './report.js'
import { measureRollouts } from './rollout.js'
import { measureHealthyDeploys } from './healthy-deploy.js'
import { healthySection } from './healthy-report.js'
import { measureSupplyChain, supplyChainSection } from './supply-chain.js'
import type { BenchResults, ScenarioResult } from './results.js'
import { measureAll } from './rounds.js'
import { OUR_SCENARIOS, type BenchContext, type Scenario } from './scenarios.js'
import { tokenAmbient } from './token-ambient.js'
import { startImds } from '../__tests__/fixtures/credential-endpoints.js'

const RESULTS_DIR = path.join(ROOT, 'bench', 'results')

function readRuns(): number {
  const raw = process.env.BENCH_RUNS?.trim() ?? ''
  if (raw === '') return 10
  const runs = Number(raw)
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`BENCH_RUNS must be a whole number ≥ 1, got '${raw}'`)
  return runs
}

/** In the order of the report's table. */
const SCENARIOS: readonly Scenario[] = [
  OUR_SCENARIOS.oursFull,
  CLI_SCENARIOS.cliRoute,
  OUR_SCENARIOS.oursAuth,
  CLI_SCENARIOS.cliSts,
  OUR_SCENARIOS.tokenOurs,
  CLI_SCENARIOS.tokenCli,
  tokenAmbient,
  OUR_SCENARIOS.coldOurs,
  OUR_SCENARIOS.nodeBare,
  OUR_SCENARIOS.postOurs,
]

/** The SDK's own notice that it will need Node 22 concerns the bench process, not what it measures. */
function quietSdkNotice(): void {
  process.removeAllListeners('warning')
  process.on('warning', (warning) => {
    if (!warning.message.startsWith('NodeVersionSupportWarning')) log(`${warning.name}: ${warning.message}`)
  })
}

async function main(): Promise<number> {
  const runs = readRuns()
  quietSdkNotice()
  if (!existsSync(path.join(ROOT, 'dist', 'index.js')))
    throw new Error('dist/index.js is missing: run `npm run bundle`')
  if (!hasMotoServer()) throw new Error('moto_server is not on the PATH: pip install "moto[server]"')
  const loadBefore = (await import('node:os')).loadavg()
  const cli = findAwsCli(process.env)
  log(cli.kind === 'found' ? `AWS CLI: ${cli.cli.version} (${cli.cli.foundBy})` : `AWS CLI: ${cli.reason}`)

  if (process.env.BENCH_ONLY === 'healthy-deploy') {
    const healthy = await measureHealthyDeploys(cli.kind === 'found' ? cli.cli : undefined, log)
    const report = [
      `# eks-deploy-action: healthy deploy (${new Date().toISOString()}, load before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${(
        await import('node:os')
      )
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')})`,
      '',
      ...healthySection(healthy),
    ].join('\n')
    await fs.mkdir(RESULTS_DIR, { recursive: true })
    await fs.writeFile(path.join(RESULTS_DIR, 'healthy-deploy.md'), report)
    process.stdout.write(`\n${report}\nWritten to bench/results/healthy-deploy.md\n`)
    return healthy.variants.some((v) => v.failed !== undefined) ? 1 : 0
  }
  if (process.env.BENCH_ONLY === 'supply-chain') {
    const supply = await measureSupplyChain(log)
    const report = [
      `# eks-deploy-action: supply chain (${new Date().toISOString()}, load before ${loadBefore.map((l) => l.toFixed(2)).join(' ')})`,
      '',
      ...supplyChainSection(supply),
    ].join('\n')
    await fs.mkdir(RESULTS_DIR, { recursive: true })
    await fs.writeFile(path.join(RESULTS_DIR, 'supply-chain.md'), report)
    process.stdout.write(`\n${report}\nWritten to bench/results/supply-chain.md\n`)
    return supply.rows.some((row) => row.failed !== undefined) ? 1 : 0
  }
  const [moto, oidc] = await Promise.all([startMoto(), startOidcServer()])
  const [aws, oidcProxy] = await Promise.all([
    startCountingProxy(moto.url, describeAwsRequest),
    startCountingProxy(oidc.issuer, () => ({ service: 'OIDC', operation: 'GET token' })),
  ])
  const imds = { stop: () => Promise.resolve() }
  try {
    const credentials = await seedMoto(moto.url, await fetchJwt(oidc))
    const instance = await startImds({ ...credentials, expiration: new Date(Date.now() + 3600_000) })
    imds.stop = () => instance.stop()
    const ctx: BenchContext = {
      imdsUrl: instance.url,
      aws,
      oidc,
      oidcProxy,
      cli: cli.kind === 'found' ? cli.cli : undefined,
      credentials,
    }
    await fs.mkdir(RESULTS_DIR, { recursive: true })
    const scenarios = await measureAll(ctx, SCENARIOS, runs, log)
    const rollouts = await measureRollouts(log)
    const healthy = await measureHealthyDeploys(ctx.cli, log)
    const results: BenchResults = {
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      runs,
      machine: readMachineInfo(loadBefore),
      cli,
      scenarios,
      bundle: readBundle(ROOT),
      ...(await inspect(ctx, scenarios)),
      rollouts,
      healthy,
    }
    const report = renderReport(results)
    await fs.mkdir(RESULTS_DIR, { recursive: true })
    await fs.writeFile(path.join(RESULTS_DIR, 'latest.md'), report)
    process.stdout.write(`\n${report}\nWritten to bench/results/latest.md\n`)
    return Object.values(scenarios).some((s) => s.outcome.kind === 'failed') ? 1 : 0
  } finally {
    await Promise.all([aws.stop(), oidcProxy.stop(), imds.stop()])
    await Promise.all([moto.stop(), oidc.stop()])
  }
}

/** Untimed runs that look inside: which dist/ files each run loads, and CPU profiles. */
async function inspect(
  ctx: BenchContext,
  scenarios: BenchResults['scenarios'],
): Promise<Pick<BenchResults, 'loaded' | 'profiles'>> {
  log('inspecting: loaded files and CPU profiles (untimed)')
  const isOk = (result: ScenarioResult | undefined): boolean => result?.outcome.kind === 'ok'
  const loaded: Record<string, Awaited<ReturnType<typeof recordLoadedFiles>>> = {}
  const profiles: BenchResults['profiles'][number][] = []
  const inspected = [OUR_SCENARIOS.oursFull, OUR_SCENARIOS.oursAuth, OUR_SCENARIOS.coldOurs].filter((s) =>
    isOk(scenarios[s.id]),
  )
  for (const scenario of inspected) {
    loaded[scenario.id] = await recordLoadedFiles(ctx, scenario)
    const summary = await profileRun(ctx, scenario, path.join(RESULTS_DIR, `${scenario.id}.cpuprofile`))
    if (summary !== undefined) profiles.push({ title: scenario.label, summary })
  }
  const defined = Object.entries(loaded).filter((entry) => entry[1] !== undefined)
  return { loaded: Object.fromEntries(defined), profiles }
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`)
}

try {
  process.exitCode = await main()
} catch (error) {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  )
  process.exitCode = 2
}

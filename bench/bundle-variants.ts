/**
 * `npm run bench:bundle -- name=DIR name=DIR …`: start-up and load of several builds of the bundle side by side
 * (each DIR holds what `node scripts/bundle.mjs --out-dir DIR` writes, built with different options), to decide
 * whether a build step pays. BENCH_NODE names the node that runs them (the runtime action.yml declares; default
 * the node running the bench), BENCH_RUNS the rounds (default 30). Every round runs every figure of every build
 * once, in an order rotated each round, so the machine's drift spreads over all of them; medians with quartiles
 * and range, wall and CPU time. Writes bench/results/bundle-variants.md. Never part of `npm test`.
 */
import { existsSync, promises as fs, readdirSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadActionYaml, makeRunnerFiles, ROOT, runnerEnv } from '../__tests__/fixtures/action-runner.js'
import { hasMotoServer, startMoto } from '../__tests__/fixtures/moto.js'
import { startOidcServer } from '../__tests__/fixtures/oidc-server.js'
import { createChildCpuClock } from './child-cpu.js'
import { fetchJwt } from './cli-scenarios.js'
import { describeAwsRequest, startCountingProxy } from './counting-proxy.js'
import { judgeExit, judgeFullRun, judgeInputError, judgeToken, type Outcome } from './judge.js'
import { BENCH_CLUSTER, BENCH_REGION, seedMoto } from './moto-seed.js'
import { timeProcess, type ProcessRun } from './processes.js'
import { BAD_INPUTS, FULL_INPUTS, markCalls, tokenEnv, type BenchContext } from './scenarios.js'
import { formatBytes } from './stats.js'

interface Variant {
  readonly name: string
  readonly dir: string
  /** RUNNER_TEMP kept across runs: the compile cache of the job's second step and of later token processes. */
  readonly warmTemp: string
}

interface Figure {
  readonly id: string
  readonly label: string
  run(ctx: BenchContext, variant: Variant): Promise<{ run: ProcessRun; outcome: Outcome }>
}

const NODE = process.env.BENCH_NODE?.trim() || process.execPath

function actionEnv(
  ctx: BenchContext,
  files: { dir: string; home: string; runnerTemp: string },
  inputs: Readonly<Record<string, string>>,
  runnerTemp: string,
): Record<string, string> {
  const env: Record<string, string> = { ...runnerEnv(files, 'bench'), RUNNER_TEMP: runnerTemp }
  const all = { ...defaultInputs(), ...inputs }
  for (const [input, value] of Object.entries(all)) env[`INPUT_${input.toUpperCase()}`] = value
  return {
    ...env,
    ACTIONS_ID_TOKEN_REQUEST_URL: ctx.oidc.requestUrl.replace(ctx.oidc.issuer, ctx.oidcProxy.url),
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: ctx.oidc.requestToken,
    AWS_ENDPOINT_URL: ctx.aws.url,
  }
}

let defaults: Record<string, string> | undefined
function defaultInputs(): Record<string, string> {
  defaults ??= Object.fromEntries(
    Object.entries(loadActionYaml().inputs).map(([input, spec]) => [input, spec.default ?? '']),
  )
  return defaults
}

/** `node DIR/index.js` as the runner starts it; a fresh RUNNER_TEMP unless `warm` (the job's second step). */
async function runMain(
  ctx: BenchContext,
  variant: Variant,
  inputs: Readonly<Record<string, string>>,
  warm: boolean,
): Promise<{ run: ProcessRun; calls: ReturnType<ReturnType<typeof markCalls>> }> {
  const files = await makeRunnerFiles()
  const calls = markCalls(ctx)
  try {
    for (const name of [
      'GITHUB_OUTPUT',
      'GITHUB_ENV',
      'GITHUB_STATE',
      'GITHUB_PATH',
      'GITHUB_STEP_SUMMARY',
    ]) {
      await fs.writeFile(runnerEnv(files, 'bench')[name] ?? '', '')
    }
    const env = actionEnv(ctx, files, inputs, warm ? variant.warmTemp : files.runnerTemp)
    const run = await timeProcess({ command: NODE, args: [path.join(variant.dir, 'index.js')], env })
    return { run, calls: calls() }
  } finally {
    await files.cleanup()
  }
}

/** The largest chunk: the Kubernetes client, which a deploy loads for its pre-flight and rollout watch. */
function largestChunk(dir: string): string {
  const chunks = readdirSync(dir).filter((file) => /^\d+\.index\.js$/.test(file))
  const sized = chunks.map((file) => ({ file, size: statSync(path.join(dir, file)).size }))
  const largest = sized.sort((a, b) => b.size - a.size)[0]
  if (largest === undefined) throw new Error(`${dir} has no chunk file`)
  return path.join(dir, largest.file)
}

const FIGURES: readonly Figure[] = [
  {
    id: 'cold-bad-input',
    label: '`index.js` stopped by a bad input (fresh RUNNER_TEMP)',
    run: async (ctx, variant) => {
      const { run, calls } = await runMain(ctx, variant, BAD_INPUTS, false)
      return { run, outcome: judgeInputError(run, calls) }
    },
  },
  {
    id: 'full-first-step',
    label: '`index.js` auth, ecr-login, kubeconfig, image check: the job’s first step (fresh compile cache)',
    run: async (ctx, variant) => {
      const { run, calls } = await runMain(ctx, variant, FULL_INPUTS, false)
      return { run, outcome: judgeFullRun(run, calls) }
    },
  },
  {
    id: 'full-second-step',
    label: 'the same run as the job’s second step (compile cache of the first in RUNNER_TEMP)',
    run: async (ctx, variant) => {
      const { run, calls } = await runMain(ctx, variant, FULL_INPUTS, true)
      return { run, outcome: judgeFullRun(run, calls) }
    },
  },
  {
    id: 'token',
    label: '`token/index.js --cluster-name X --region R` (as helm starts it, its cache warm)',
    run: async (ctx, variant) => {
      const run = await timeProcess({
        command: NODE,
        args: [
          path.join(variant.dir, 'token', 'index.js'),
          '--cluster-name',
          BENCH_CLUSTER,
          '--region',
          BENCH_REGION,
        ],
        env: { ...tokenEnv(ctx), RUNNER_TEMP: variant.warmTemp },
      })
      return { run, outcome: judgeToken(run, 'token/index.js') }
    },
  },
  {
    id: 'kube-chunk-import',
    label: '`import()` of the Kubernetes client chunk alone, no compile cache (what a deploy adds)',
    run: async (_ctx, variant) => {
      const script = 'await import(process.argv[1])'
      const run = await timeProcess({
        command: NODE,
        args: ['--input-type=module', '-e', script, largestChunk(variant.dir)],
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir() },
      })
      return { run, outcome: judgeExit(run, 'the chunk import') }
    },
  },
]

interface Samples {
  wall: number[]
  cpu: number[]
}

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q
  const low = sorted[Math.floor(at)] ?? 0
  const high = sorted[Math.ceil(at)] ?? low
  return low + (high - low) * (at - Math.floor(at))
}

function describe(samples: readonly number[]): string {
  const sorted = [...samples].sort((a, b) => a - b)
  const f = (ms: number): string => ms.toFixed(0)
  return `${f(quantile(sorted, 0.5))} (${f(quantile(sorted, 0.25))}–${f(quantile(sorted, 0.75))}; ${f(sorted[0] ?? 0)}–${f(sorted.at(-1) ?? 0)})`
}

const median = (samples: readonly number[]): number =>
  quantile(
    [...samples].sort((a, b) => a - b),
    0.5,
  )

function parseVariants(args: readonly string[]): Variant[] {
  if (args.length < 2) throw new Error('give at least two builds to compare: name=DIR name=DIR …')
  return args.map((arg) => {
    const [name, dir] = arg.split('=', 2)
    if (name === undefined || dir === undefined || !existsSync(path.join(dir, 'index.js')))
      throw new Error(`'${arg}' is not name=DIR with DIR/index.js (node scripts/bundle.mjs --out-dir DIR)`)
    return { name, dir: path.resolve(dir), warmTemp: '' }
  })
}

function bundleSizes(dir: string): string {
  const files = readdirSync(dir).filter((file) => file.endsWith('.js'))
  const total = files.reduce((sum, file) => sum + statSync(path.join(dir, file)).size, 0)
  return `${formatBytes(total)} of .js in ${files.length} files (largest chunk ${formatBytes(statSync(largestChunk(dir)).size)})`
}

/** Rounds of every figure of every build; the report is rewritten after each round, so a long run can be cut short. */
async function measure(
  ctx: BenchContext,
  variants: readonly Variant[],
  rounds: number,
  write: (text: string) => Promise<void>,
): Promise<string> {
  const samples = new Map<string, Samples>()
  const key = (figure: Figure, variant: Variant): string => `${figure.id}/${variant.name}`
  const pairs = FIGURES.flatMap((figure) => variants.map((variant) => ({ figure, variant })))
  for (const { figure, variant } of pairs) {
    const { outcome } = await figure.run(ctx, variant)
    if (outcome.kind !== 'ok') throw new Error(`warm-up ${key(figure, variant)}: ${JSON.stringify(outcome)}`)
    samples.set(key(figure, variant), { wall: [], cpu: [] })
  }
  const cpuClock = createChildCpuClock()
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < pairs.length; i++) {
      const pair = pairs[(i + round) % pairs.length]
      if (pair === undefined) continue
      const before = cpuClock?.()
      const { run, outcome } = await pair.figure.run(ctx, pair.variant)
      if (outcome.kind !== 'ok')
        throw new Error(`${key(pair.figure, pair.variant)}: ${JSON.stringify(outcome)}`)
      const entry = samples.get(key(pair.figure, pair.variant))
      entry?.wall.push(run.ms)
      if (before !== undefined) entry?.cpu.push((cpuClock?.() ?? 0) - before)
    }
    log(`round ${round + 1}/${rounds}`)
    await write(report(variants, samples, round + 1))
  }
  return report(variants, samples, rounds)
}

function report(variants: readonly Variant[], samples: Map<string, Samples>, rounds: number): string {
  const baseline = variants[0]
  const lines = [
    '# Bundle builds side by side (`npm run bench:bundle`)',
    '',
    `${new Date().toISOString()}; node ${NODE} (${process.versions.node} runs the bench); ${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')}; ${rounds} interleaved rounds after one warm-up.`,
    'Milliseconds: median (quartiles; min–max); CPU is user + system of the process, in 10 ms ticks.',
    '',
    ...variants.map((variant) => `- \`${variant.name}\`: ${bundleSizes(variant.dir)}`),
  ]
  for (const figure of FIGURES) {
    lines.push(
      '',
      `## ${figure.label}`,
      '',
      '| build | wall ms | Δ median | CPU ms |',
      '| --- | --- | --- | --- |',
    )
    const base = baseline === undefined ? undefined : samples.get(`${figure.id}/${baseline.name}`)
    for (const variant of variants) {
      const entry = samples.get(`${figure.id}/${variant.name}`)
      if (entry === undefined) continue
      const delta = base === undefined ? 0 : median(entry.wall) - median(base.wall)
      const cpu = entry.cpu.length > 0 ? describe(entry.cpu) : 'n/a'
      lines.push(
        `| ${variant.name} | ${describe(entry.wall)} | ${delta >= 0 ? '+' : ''}${delta.toFixed(0)} | ${cpu} |`,
      )
    }
  }
  return `${lines.join('\n')}\n`
}

async function main(): Promise<void> {
  const variants = parseVariants(process.argv.slice(2))
  const runs = Number(process.env.BENCH_RUNS?.trim() || '30')
  if (!Number.isInteger(runs) || runs < 1) throw new Error('BENCH_RUNS must be a whole number ≥ 1')
  if (!hasMotoServer()) throw new Error('moto_server is not on the PATH: pip install "moto[server]"')
  const [moto, oidc] = await Promise.all([startMoto(), startOidcServer()])
  const [aws, oidcProxy] = await Promise.all([
    startCountingProxy(moto.url, describeAwsRequest),
    startCountingProxy(oidc.issuer, () => ({ service: 'OIDC', operation: 'GET token' })),
  ])
  const temp = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-bundle-'))
  try {
    const credentials = await seedMoto(moto.url, await fetchJwt(oidc))
    const ctx: BenchContext = { aws, oidc, oidcProxy, cli: undefined, credentials, imdsUrl: '' }
    const warm = await Promise.all(
      variants.map(async (variant) => ({
        ...variant,
        warmTemp: await fs.mkdtemp(path.join(temp, `${variant.name}-`)),
      })),
    )
    await fs.mkdir(path.join(ROOT, 'bench', 'results'), { recursive: true })
    const file = path.join(ROOT, 'bench', 'results', 'bundle-variants.md')
    const text = await measure(ctx, warm, runs, (report) => fs.writeFile(file, report))
    process.stdout.write(`\n${text}\nWritten to bench/results/bundle-variants.md\n`)
  } finally {
    await Promise.all([aws.stop(), oidcProxy.stop()])
    await Promise.all([moto.stop(), oidc.stop()])
    await fs.rm(temp, { recursive: true, force: true })
  }
}

function log(message: string): void {
  process.stderr.write(`bench:bundle: ${message}\n`)
}

try {
  await main()
} catch (error) {
  process.stderr.write(
    `bench:bundle failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  )
  process.exitCode = 2
}

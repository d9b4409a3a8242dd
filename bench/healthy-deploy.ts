/**
 * The healthy deploy end to end (issue 22), on the EKS lab: the same healthy upgrade (2 replicas, the
 * lab's helm 3 from the PATH, timeout 5m) through the bundled action's four phases (OIDC fixture →
 * moto → lab) and through the AWS CLI glue job it replaces, in interleaved rounds. Besides the wall
 * times: the action's own time (its wall time minus helm upgrade's, as its job summary's timeline
 * measures helm from spawn to exit), and where that own time goes. Skipped without a lab.
 */
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { makeRunnerFiles, ROOT, runAction } from '../__tests__/fixtures/action-runner.js'
import { startEksStack, type EksStack } from '../__tests__/fixtures/eks-stack.js'
import { labCommand, readEksLab, type EksLab } from '../__tests__/fixtures/lab.js'
import { DEMO_CHART } from '../__tests__/fixtures/lab-deploy.js'
import type { AwsCli } from './aws-cli.js'
import { fetchJwt } from './cli-scenarios.js'
import { runGlueJob, type GlueTools } from './glue-job.js'
import { readTimeline, type OwnTime } from './own-time.js'
import { summarize, type Summary } from './stats.js'

export interface HealthyVariant {
  readonly label: string
  readonly wall: Summary | undefined
  /** The action's own time (wall minus helm upgrade), and its parts; undefined for the glue job. */
  readonly own?: Readonly<Record<string, Summary>>
  readonly steps: Readonly<Record<string, Summary>>
  readonly failed?: string
}

export interface HealthyResults {
  readonly skipped?: string
  readonly runs: number
  readonly variants: readonly HealthyVariant[]
}

const REGION = 'us-east-1'
const ROLE = 'arn:aws:iam::123456789012:role/bench-deploy'
const TIMEOUT = '5m'
const VALUES = ['--set', 'deployment.enabled=true', '--set', 'deployment.replicas=2']

interface Sample {
  readonly ms: number[]
  readonly own: Record<string, number[]>
  readonly steps: Record<string, number[]>
  failed: string | undefined
}

interface Variant {
  readonly label: string
  readonly namespace: string
  /** One deploy of image tag `tag`: its wall time, own-time parts, steps, or why it failed. */
  run(tag: string): Promise<{ ms: number; own?: OwnTime; steps?: Record<string, number>; failed?: string }>
}

export async function measureHealthyDeploys(
  cli: AwsCli | undefined,
  log: (message: string) => void,
): Promise<HealthyResults> {
  const runs = Number(process.env.BENCH_DEPLOY_RUNS ?? '5')
  const lab = readEksLab()
  if (process.env.BENCH_DEPLOY === '0') return { skipped: 'BENCH_DEPLOY=0', runs, variants: [] }
  if (lab === undefined) return { skipped: 'no EKS lab (EKS_LAB_* unset)', runs, variants: [] }
  if (cli === undefined) return { skipped: 'no AWS CLI for the glue job', runs, variants: [] }
  const stack = await startEksStack({
    lab,
    region: REGION,
    repository: 'bench/app',
    tags: [],
    helmVersions: [],
    deployRole: ROLE,
    name: 'bench-healthy',
  })
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-healthy-'))
  const id = Date.now().toString(36).slice(-6)
  try {
    const binDir = await toolDir(dir, lab, cli)
    const variants = makeVariants(lab, stack, binDir, dir, id)
    const samples = variants.map((): Sample => ({ ms: [], own: {}, steps: {}, failed: undefined }))
    // Warm-up: each variant installs its release (untimed); every timed run is then an upgrade.
    for (const [i, variant] of variants.entries()) {
      const warm = await variant.run('warm0')
      log(`healthy deploy warm-up, ${variant.label}: ${warm.failed ?? `${Math.round(warm.ms)} ms`}`)
      if (warm.failed !== undefined) (samples[i] ?? { failed: '' }).failed = warm.failed
    }
    for (let round = 0; round < runs; round++) {
      for (let k = 0; k < variants.length; k++) {
        const i = (k + round) % variants.length
        const variant = variants[i]
        const sample = samples[i]
        if (variant === undefined || sample === undefined || sample.failed !== undefined) continue
        const run = await variant.run(`good${round + 1}`)
        if (run.failed !== undefined) {
          sample.failed = run.failed
          continue
        }
        sample.ms.push(run.ms)
        for (const [name, ms] of Object.entries(run.own ?? {})) (sample.own[name] ??= []).push(ms)
        for (const [name, ms] of Object.entries(run.steps ?? {})) (sample.steps[name] ??= []).push(ms)
      }
      log(`healthy deploy round ${round + 1}/${runs} done`)
    }
    return {
      runs,
      variants: variants.map((variant, i) => {
        const sample = samples[i]
        const summaries = (values: Record<string, number[]>) =>
          Object.fromEntries(
            Object.entries(values).flatMap(([name, ms]) => {
              const summary = summarize(ms)
              return summary === undefined ? [] : [[name, summary]]
            }),
          )
        return {
          label: variant.label,
          wall: summarize(sample?.ms ?? []),
          ...(variant.label.startsWith('ours') ? { own: summaries(sample?.own ?? {}) } : {}),
          steps: summaries(sample?.steps ?? {}),
          ...(sample?.failed === undefined ? {} : { failed: sample.failed }),
        }
      }),
    }
  } finally {
    await stack.stop()
    await fs.rm(dir, { recursive: true, force: true })
    for (const variant of ['ours', 'before', 'glue'])
      await labCommand(lab, lab.kubectl, [
        'delete',
        'namespace',
        `bench-${id}-${variant}`,
        '--wait=false',
      ]).catch(() => '')
  }
}

/** `aws` (the CLI's real entry, not a shim), the lab's helm 3 as `helm`, and its kubectl. */
async function toolDir(dir: string, lab: EksLab, cli: AwsCli): Promise<string> {
  const binDir = path.join(dir, 'bin')
  await fs.mkdir(binDir)
  await fs.symlink(cli.entry, path.join(binDir, 'aws'))
  await fs.symlink(lab.helm3, path.join(binDir, 'helm'))
  await fs.symlink(lab.kubectl, path.join(binDir, 'kubectl'))
  return binDir
}

function makeVariants(lab: EksLab, stack: EksStack, binDir: string, dir: string, id: string): Variant[] {
  const tools: GlueTools = {
    binDir,
    region: REGION,
    clusterName: lab.clusterName,
    awsEndpoint: stack.proxy.url,
  }
  const ours = (label: string, namespace: string, dist: string): Variant => ({
    label,
    namespace,
    run: async (tag) => {
      const files = await makeRunnerFiles()
      let spawnedAt = 0
      try {
        const run = await runAction({
          files,
          // The fixture takes the entry relative to the root; another build's copy lives elsewhere.
          entry: path.relative(ROOT, path.join(dist, 'index.js')) as 'dist/index.js',
          inputs: {
            'role-to-assume': ROLE,
            'aws-region': REGION,
            'cluster-name': lab.clusterName,
            release: 'demo',
            chart: DEMO_CHART,
            namespace,
            set: 'deployment.enabled=true\ndeployment.replicas=2',
            'set-string': `image.tag=${tag}`,
            timeout: TIMEOUT,
            'helm-version': 'system',
          },
          env: {
            PATH: `${binDir}:/usr/bin:/bin`,
            ACTIONS_ID_TOKEN_REQUEST_URL: stack.oidc.requestUrl,
            ACTIONS_ID_TOKEN_REQUEST_TOKEN: stack.oidc.requestToken,
            AWS_ENDPOINT_URL: stack.proxy.url,
          },
          onSpawn: () => {
            spawnedAt = Date.now()
          },
          timeoutMs: 400_000,
        })
        if (run.exitCode !== 0 || run.outputs['release-status'] !== 'deployed')
          return {
            ms: run.durationMs,
            failed: `exit ${run.exitCode}: ${run.outputs['failure-reason'] ?? run.stderr.slice(-300)}`,
          }
        const own = readTimeline(run.summary, { startMs: spawnedAt, endMs: spawnedAt + run.durationMs })
        if (own === undefined)
          return { ms: run.durationMs, failed: 'no helm upgrade on the summary timeline' }
        return { ms: run.durationMs, own }
      } finally {
        await files.cleanup()
      }
    },
  })
  const variants = [
    ours(
      'ours: `node dist/index.js` (auth, kubeconfig, deploy)',
      `bench-${id}-ours`,
      path.join(ROOT, 'dist'),
    ),
  ]
  const before = process.env.BENCH_BEFORE_DIST?.trim()
  if (before !== undefined && before !== '')
    variants.push(ours(`ours before: ${before}/index.js`, `bench-${id}-before`, path.resolve(before)))
  variants.push({
    label:
      'glue job: aws sts → aws eks update-kubeconfig (get-token) → helm --atomic --wait → kubectl rollout status',
    namespace: `bench-${id}-glue`,
    run: async (tag) => {
      const jwt = await fetchJwt(stack.oidc)
      const runDir = await fs.mkdtemp(path.join(dir, 'glue-'))
      try {
        const run = await runGlueJob(tools, {
          role: ROLE,
          jwt,
          namespace: `bench-${id}-glue`,
          chart: DEMO_CHART,
          values: [...VALUES, '--set-string', `image.tag=${tag}`],
          timeout: TIMEOUT,
          dir: runDir,
        })
        return {
          ms: run.ms,
          steps: { ...run.steps },
          ...(run.failed === undefined ? {} : { failed: run.failed }),
        }
      } finally {
        await fs.rm(runDir, { recursive: true, force: true })
      }
    },
  })
  return variants
}

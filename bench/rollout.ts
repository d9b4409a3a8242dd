/**
 * The rollout figures (issue 10): on the EKS lab, how long a deploy that cannot succeed holds the job,
 * with the action's fail-fast and with plain `helm upgrade --install --atomic --wait`, both with
 * `timeout: 5m`; and a slow but healthy rollout, which must succeed. Whole processes, wall time, from
 * the start of the process that runs helm to the rolled-back release. Skipped without a lab.
 */
import { spawn } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { fixtureHelmBinary, type FixtureHelmVersion } from '../__tests__/fixtures/helm-release.js'
import { readLab, type Lab } from '../__tests__/fixtures/lab.js'
import { DEMO_CHART, startLabDeployer, type LabDeployer } from '../__tests__/fixtures/lab-deploy.js'
import { formatMs } from './stats.js'

export interface RolloutFigure {
  readonly label: string
  readonly ms: number
  readonly outcome: string
}

export interface RolloutResults {
  readonly skipped?: string
  readonly figures: readonly RolloutFigure[]
}

const TIMEOUT = '5m'

export async function measureRollouts(log: (message: string) => void): Promise<RolloutResults> {
  const lab = readLab()
  if (process.env.BENCH_ROLLOUT === '0') return { skipped: 'BENCH_ROLLOUT=0', figures: [] }
  if (lab === undefined) return { skipped: 'no lab (EKS_LAB_SERVER and KUBECONFIG unset)', figures: [] }
  const deployer = await startLabDeployer(lab, 'bench')
  try {
    const figures: RolloutFigure[] = []
    for (const version of ['v4.1.4', 'v3.17.3'] as const) {
      log(`rollout: ${version}, crash-looping image, fail-fast`)
      figures.push(await ours(deployer, version, 'crash', 'crash0002'))
      log(`rollout: ${version}, unpullable image, fail-fast`)
      figures.push(await ours(deployer, version, 'pull', 'pullfail0002'))
      log(`rollout: ${version}, slow but healthy (ready after 20 s)`)
      figures.push(await ours(deployer, version, 'slow', 'slow20'))
    }
    log('rollout: plain helm 3 --atomic --wait, crash-looping image (waits the whole timeout)')
    figures.push(await plainHelm(lab, deployer, 'v3.17.3'))
    return { figures }
  } finally {
    await deployer.stop()
  }
}

async function ours(
  deployer: LabDeployer,
  version: FixtureHelmVersion,
  what: string,
  tag: string,
): Promise<RolloutFigure> {
  const namespace = deployer.namespace(`${what}-h${version.slice(1, 2)}`)
  await deployer.deploy(version, namespace, { 'set-string': 'image.tag=good0001' })
  const started = performance.now()
  const run = await deployer.deploy(version, namespace, {
    'set-string': `image.tag=${tag}`,
    timeout: TIMEOUT,
  })
  const ms = performance.now() - started
  const stopped = /fail-fast stopped helm after (\d+) s/.exec(run.stdout)?.[1]
  const outcome =
    run.exitCode === 0
      ? `succeeded (revision ${run.outputs['release-revision'] ?? '?'})`
      : `failed, rolled back: ${run.outputs['rolled-back'] ?? '?'}${stopped === undefined ? '' : `, helm stopped ${stopped} s after it started`}; ${run.outputs['failure-reason'] ?? ''}`
  return { label: `ours, Helm ${version}: ${what} (\`image.tag=${tag}\`, timeout ${TIMEOUT})`, ms, outcome }
}

async function plainHelm(
  lab: Lab,
  deployer: LabDeployer,
  version: FixtureHelmVersion,
): Promise<RolloutFigure> {
  const namespace = deployer.namespace(`plain-h${version.slice(1, 2)}`)
  await deployer.deploy(version, namespace, { 'set-string': 'image.tag=good0001' })
  const helm = await fixtureHelmBinary(version)
  const args = [
    'upgrade',
    '--install',
    'demo',
    DEMO_CHART,
    '-n',
    namespace,
    '--atomic',
    '--wait',
    '--timeout',
    TIMEOUT,
    '--set',
    'deployment.enabled=true',
    '--set',
    'deployment.replicas=1',
    '--set-string',
    'image.tag=crash0003',
  ]
  const started = performance.now()
  const code = await new Promise<number>((resolve) => {
    const child = spawn(helm, args, {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, KUBECONFIG: lab.kubeconfig },
      stdio: 'ignore',
    })
    child.on('close', (exit) => {
      resolve(exit ?? 1)
    })
  })
  const ms = performance.now() - started
  const status = await deployer.releaseStatus(namespace)
  return {
    label: `plain \`helm ${version} upgrade --install --atomic --wait --timeout ${TIMEOUT}\`: crash`,
    ms,
    outcome: `exit ${code}, release ${status?.status ?? '?'} at revision ${status?.revision ?? '?'}`,
  }
}

export function rolloutSection(results: RolloutResults): string[] {
  const lines = ['## Rollouts on the EKS lab', '']
  if (results.skipped !== undefined) return [...lines, `Skipped: ${results.skipped}.`, '']
  lines.push('| Deploy | wall time | outcome |', '| --- | --: | --- |')
  for (const figure of results.figures)
    lines.push(`| ${figure.label} | ${formatMs(figure.ms)} | ${figure.outcome.replace(/\|/g, '\\|')} |`)
  const plain = results.figures.find((f) => f.label.startsWith('plain'))
  const crash = results.figures.find((f) => f.label.startsWith('ours, Helm v3.17.3: crash'))
  if (plain !== undefined && crash !== undefined)
    lines.push(
      '',
      `A crash-looping image with Helm 3: the action rolls back ${(plain.ms / crash.ms).toFixed(1)}× sooner than plain helm (${formatMs(crash.ms)} against ${formatMs(plain.ms)}).`,
    )
  lines.push(
    '',
    'One run each (a plain helm run waits the whole timeout). Wall time of the process that runs helm, from its start to',
    'its exit: for the action that includes setting up helm from the tool cache, the render, the access pre-flight and',
    'the diagnosis. `BENCH_ROLLOUT=0` skips this section.',
    '',
  )
  return lines
}

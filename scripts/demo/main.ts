// `npm run demo`: the bundled action on this machine, as the runner runs it, against moto_server (STS, ECR,
// EKS), a local OIDC endpoint and, when there is one, the EKS lab's Kubernetes API server: a healthy deploy,
// then a crash-looping one that helm rolls back. `--no-cluster` runs the first three phases only; `--lab <dir>`
// (or EKS_LAB_DIR) names the lab's directory when it is not ../shared/lab.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr'
import { makeRunnerFiles, ROOT, type RunnerFiles } from '../../__tests__/fixtures/action-runner.js'
import { putImage } from '../../__tests__/fixtures/ecr-images.js'
import { startEksStack } from '../../__tests__/fixtures/eks-stack.js'
import { createMotoCluster } from '../../__tests__/fixtures/kube-tools.js'
import { labCommand, type EksLab } from '../../__tests__/fixtures/lab.js'
import { hasMotoServer, startMoto } from '../../__tests__/fixtures/moto.js'
import { startOidcServer } from '../../__tests__/fixtures/oidc-server.js'
import { startEcrExpiryProxy } from './ecr-expiry.js'
import { labDirOf, openLab } from './lab-session.js'
import { runPostStep, runStep } from './show-run.js'
import { Stopwatch } from './stopwatch.js'
import { heading, paint, say } from './style.js'

/** When node started: the demo's .ts files are transpiled on load (scripts/run-ts.mjs) before main() runs. */
const PROCESS_START_MS = Date.now() - performance.now()
const REGION = 'eu-west-1'
const REPOSITORY = 'shop/api'
const ROLE = 'arn:aws:iam::123456789012:role/demo-deploy'
const CHART = path.join(ROOT, '__tests__', 'fixtures', 'charts', 'demo')
/** The runner's GITHUB_SHA in action-runner.ts starts 0123456: the image tag the action derives. */
const TAGS = { healthy: '0123456', crashing: 'crash01' }

// The runner runs the action with Node 24; on the Node 20 that may run the demo, the AWS SDK warns that its
// next versions need Node 22, in the middle of the step's log (and of the demo's, for its own clients).
const QUIET_SDK = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }

/** Undo steps, run once, last first: on the way out and on Ctrl-C. */
class Cleanup {
  private readonly steps: (() => Promise<unknown>)[] = []
  add(step: () => Promise<unknown>): void {
    this.steps.push(step)
  }
  async run(): Promise<void> {
    for (let step = this.steps.pop(); step !== undefined; step = this.steps.pop())
      await step().catch(() => undefined)
  }
}

async function deployDemo(
  lab: EksLab,
  origin: string,
  cleanup: Cleanup,
  files: RunnerFiles,
  clock: Stopwatch,
): Promise<boolean> {
  say(`  Cluster: ${origin}, as EKS cluster "${lab.clusterName}" in moto.`)
  const stack = await clock.time('starting moto_server and seeding it', () =>
    startEksStack({
      lab,
      region: REGION,
      repository: REPOSITORY,
      tags: Object.values(TAGS),
      helmVersions: ['v4.1.4'],
      deployRole: ROLE,
      name: 'demo',
    }),
  )
  cleanup.add(() => clock.time('stopping moto_server', () => stack.stop()))
  const ecrProxy = await startEcrExpiryProxy(stack.proxy.url)
  cleanup.add(() => ecrProxy.stop())
  const namespace = `eks-deploy-demo-${process.pid}`
  cleanup.add(() => labCommand(lab, lab.kubectl, ['delete', 'namespace', namespace, '--wait=false']))
  const options = (inputs: Record<string, string>) => ({
    files,
    inputs: {
      'role-to-assume': ROLE,
      'aws-region': REGION,
      'ecr-repository': REPOSITORY,
      'cluster-name': lab.clusterName,
      release: 'demo',
      chart: CHART,
      namespace,
      set: 'deployment.enabled=true\ndeployment.replicas=1',
      'helm-mirror': stack.mirror.url,
      ...inputs,
    },
    env: {
      PATH: stack.binDir, // tar and gzip only: no AWS CLI, kubectl or helm
      RUNNER_TOOL_CACHE: stack.toolCache,
      ACTIONS_ID_TOKEN_REQUEST_URL: stack.oidc.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: stack.oidc.requestToken,
      AWS_ENDPOINT_URL: stack.proxy.url,
      AWS_ENDPOINT_URL_ECR: ecrProxy.url,
      ...QUIET_SDK,
    },
  })
  heading(
    `1/2  A healthy deploy: image ${REPOSITORY}:${TAGS.healthy} (the commit's short SHA), Helm 4 from the tool cache`,
  )
  const healthy = await clock.time('the healthy deploy', () => runStep(options({})))
  await clock.time('its post step', () => runPostStep(options({}), healthy))
  // The lab's pods crash-loop when their image names "crash": the rollout watch stops helm once one
  // has restarted three times (fail-fast), well before the 5m timeout, and helm rolls back.
  const crashing = options({ 'image-tag': TAGS.crashing })
  heading(`2/2  A crash-looping deploy: image ${REPOSITORY}:${TAGS.crashing}, rolled back to revision 1`)
  const crashed = await clock.time('the crash-looping deploy', () => runStep(crashing))
  await clock.time('its post step', () => runPostStep(crashing, crashed))
  return healthy.exitCode === 0 && crashed.exitCode !== 0 && crashed.outputs['rolled-back'] === 'true'
}

async function seedMoto(motoUrl: string): Promise<void> {
  await createMotoCluster(motoUrl, 'demo', REGION)
  const ecr = new ECRClient({
    region: REGION,
    endpoint: motoUrl,
    credentials: { accessKeyId: 'AKIADEMO', secretAccessKey: 'demo' },
  })
  await ecr.send(new CreateRepositoryCommand({ repositoryName: REPOSITORY }))
  await putImage(ecr, REPOSITORY, TAGS.healthy)
  ecr.destroy()
}

async function threePhaseDemo(
  why: string,
  labDir: string,
  cleanup: Cleanup,
  files: RunnerFiles,
  clock: Stopwatch,
): Promise<boolean> {
  say(`  No cluster: ${why}. The demo runs auth, ecr-login and kubeconfig.`)
  const [moto, oidc] = await clock.time('starting moto_server', () =>
    Promise.all([startMoto(), startOidcServer()]),
  )
  cleanup.add(() => clock.time('stopping moto_server', () => Promise.all([moto.stop(), oidc.stop()])))
  await clock.time('seeding it', () => seedMoto(moto.url))
  const ecrProxy = await startEcrExpiryProxy(moto.url)
  cleanup.add(() => ecrProxy.stop())
  const options = {
    files,
    inputs: {
      'role-to-assume': ROLE,
      'aws-region': REGION,
      'ecr-repository': REPOSITORY,
      'cluster-name': 'demo',
    },
    env: {
      ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
      AWS_ENDPOINT_URL: moto.url,
      AWS_ENDPOINT_URL_ECR: ecrProxy.url,
      ...QUIET_SDK,
    },
  }
  heading('Phases auth, ecr-login and kubeconfig (no release and chart: phase deploy does not run)')
  const run = await clock.time('the main step', () => runStep(options))
  await clock.time('the post step', () => runPostStep(options, run))
  say()
  say(
    `  Stopped after phase kubeconfig: ${why}. The kubeconfig names moto's made-up endpoint, which no API server answers;`,
  )
  say(
    `  With the EKS lab (${labDir}: prepare.sh once, 7-10 min; then up.sh) the demo deploys to it. Another directory: --lab <dir> or EKS_LAB_DIR.`,
  )
  return run.exitCode === 0
}

async function main(): Promise<number> {
  const started = Date.now()
  const clock = new Stopwatch()
  Object.assign(process.env, QUIET_SDK) // the demo's own AWS clients (seeding moto)
  heading('eks-deploy-action demo: dist/index.js run as the GitHub runner runs it')
  if (!existsSync(path.join(ROOT, 'dist', 'index.js')))
    throw new Error('dist/index.js is missing: run `npm run bundle`.')
  if (!hasMotoServer()) throw new Error('moto_server is not on the PATH: pip install "moto[server]"')
  const cleanup = new Cleanup()
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => void cleanup.run().finally(() => process.exit(130)))
  }
  try {
    const files = await makeRunnerFiles()
    cleanup.add(() => files.cleanup())
    const labDir = labDirOf(process.argv, process.env)
    const session = process.argv.includes('--no-cluster')
      ? { lab: undefined, why: 'run with --no-cluster', stop: () => Promise.resolve() }
      : await clock.time('finding or starting the EKS lab', () => openLab(process.env, labDir))
    cleanup.add(() => session.stop())
    const isShown =
      session.lab === undefined
        ? await threePhaseDemo(session.why, labDir, cleanup, files, clock)
        : await deployDemo(session.lab, session.origin, cleanup, files, clock)
    heading(isShown ? 'Done' : 'Done, but not as expected')
    return isShown ? 0 : 1
  } finally {
    await cleanup.run()
    say(
      paint(
        'gray',
        `  Everything the demo started is stopped and removed. ${((Date.now() - started) / 1000).toFixed(1)} s in all: ${clock.summary()}; and before that ${((started - PROCESS_START_MS) / 1000).toFixed(1)} s of node and TypeScript loading the demo.`,
      ),
    )
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(paint('red', `Demo failed: ${error instanceof Error ? error.message : String(error)}`))
    process.exit(1)
  },
)

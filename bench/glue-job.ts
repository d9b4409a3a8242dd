/**
 * The glue job the action replaces (issue 22), as a workflow's shell steps do it with the AWS CLI:
 * `aws sts assume-role-with-web-identity`, `aws eks update-kubeconfig` (whose kubeconfig runs
 * `aws eks get-token` for every helm and kubectl process), `helm upgrade --install --atomic --wait`
 * and `kubectl rollout status`, one process after another.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { runProcess, type ProcessResult } from '../__tests__/fixtures/run-process.js'

export interface GlueTools {
  /** A directory whose `aws`, `helm` and `kubectl` are the real programs (no version-manager shim). */
  readonly binDir: string
  readonly region: string
  readonly clusterName: string
  /** AWS_ENDPOINT_URL (and _STS, which `aws eks get-token` presigns for). */
  readonly awsEndpoint: string
}

export interface GlueDeploy {
  readonly role: string
  readonly jwt: string
  readonly namespace: string
  readonly chart: string
  readonly values: readonly string[]
  readonly timeout: string
  /** A directory of the run's own (HOME, kubeconfig). */
  readonly dir: string
}

export interface GlueRun {
  readonly ms: number
  readonly failed: string | undefined
  readonly steps: Readonly<Record<string, number>>
}

export async function runGlueJob(tools: GlueTools, deploy: GlueDeploy): Promise<GlueRun> {
  const home = path.join(deploy.dir, 'home')
  await fs.mkdir(home, { recursive: true })
  const kubeconfig = path.join(deploy.dir, 'kubeconfig')
  const base: Record<string, string> = {
    PATH: `${tools.binDir}:/usr/bin:/bin`,
    HOME: home,
    AWS_REGION: tools.region,
    AWS_DEFAULT_REGION: tools.region,
    AWS_ENDPOINT_URL: tools.awsEndpoint,
    AWS_ENDPOINT_URL_STS: tools.awsEndpoint,
  }
  const steps: Record<string, number> = {}
  const started = Date.now()
  const step = async (name: string, args: string[], env: Record<string, string>): Promise<ProcessResult> => {
    const result = await runProcess(path.join(tools.binDir, args[0] ?? ''), args.slice(1), env, 400_000)
    steps[name] = result.durationMs
    return result
  }
  const done = (failed: string | undefined): GlueRun => ({ ms: Date.now() - started, failed, steps })
  const sts = await step(
    'aws sts assume-role-with-web-identity',
    [
      'aws',
      'sts',
      'assume-role-with-web-identity',
      '--role-arn',
      deploy.role,
      '--role-session-name',
      'glue',
      '--web-identity-token',
      deploy.jwt,
      '--output',
      'json',
    ],
    base,
  )
  if (sts.exitCode !== 0) return done(`aws sts: ${sts.stderr.trim()}`)
  const c = (JSON.parse(sts.stdout) as { Credentials: Partial<Record<string, string>> }).Credentials
  const env = {
    ...base,
    AWS_ACCESS_KEY_ID: c.AccessKeyId ?? '',
    AWS_SECRET_ACCESS_KEY: c.SecretAccessKey ?? '',
    AWS_SESSION_TOKEN: c.SessionToken ?? '',
    KUBECONFIG: kubeconfig,
  }
  const ordered: [string, string[]][] = [
    [
      'aws eks update-kubeconfig',
      ['aws', 'eks', 'update-kubeconfig', '--name', tools.clusterName, '--kubeconfig', kubeconfig],
    ],
    [
      'helm upgrade --install --atomic --wait',
      [
        'helm',
        'upgrade',
        '--install',
        'demo',
        deploy.chart,
        '--namespace',
        deploy.namespace,
        '--create-namespace',
        '--atomic',
        '--wait',
        '--timeout',
        deploy.timeout,
        ...deploy.values,
      ],
    ],
    [
      'kubectl rollout status',
      [
        'kubectl',
        'rollout',
        'status',
        'deployment/demo',
        '--namespace',
        deploy.namespace,
        '--timeout',
        deploy.timeout,
      ],
    ],
  ]
  for (const [name, args] of ordered) {
    const result = await step(name, args, env)
    if (result.exitCode !== 0) return done(`${name}: exit ${result.exitCode}: ${result.stderr.trim()}`)
  }
  return done(undefined)
}

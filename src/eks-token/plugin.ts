import { readFileSync } from 'node:fs'
import type { AwsCredentials } from '../lib/aws-clients.js'
import {
  AMBIENT_CREDENTIALS_DEADLINE_MS,
  CredentialSourceTimeoutError,
  loadAmbientCredentials,
} from '../lib/ambient-credentials.js'
import { decodeCredentialsFile } from './credentials-file.js'
import { EXEC_API_VERSION } from './plugin-command.js'
import { HELM_GATE_ENV, HELM_GATE_PID_ENV, passGate } from './gate.js'
import { createEksToken, formatTimestamp, resolveStsEndpoint } from './presign.js'
import type { Env } from '../lib/env.js'
import { messageOf } from '../lib/errors.js'

/**
 * The kubeconfig's exec plugin (dist/token/index.js): prints an ExecCredential with a fresh EKS token.
 * kubectl and helm run it again whenever the token's expirationTimestamp nears, so a long
 * `helm --wait` never outlives its token. It must start fast: no SDK client, no @actions/*; the
 * SDK's credential chain loads only for a runner whose identity is ambient (IRSA, Pod Identity, EC2).
 * https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins
 */
export interface TokenPluginIo {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  readonly now: () => Date
  readonly readFile: (file: string) => string
  /**
   * The runner's own identity, asked only when --credentials-file and the AWS_* keys give none;
   * within AMBIENT_CREDENTIALS_DEADLINE_MS, the plugin's whole deadline (only this part waits).
   */
  readonly ambientCredentials: (region: string, env: Env) => Promise<AwsCredentials>
}

const USAGE = 'usage: node dist/token/index.js --cluster-name NAME --region REGION [--credentials-file FILE]'

/** The plugin's own process: its stdout and stderr, the clock, the files and the runner's identity. */
export const processTokenIo: TokenPluginIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  now: () => new Date(),
  readFile: (file) => readFileSync(file, 'utf8'),
  ambientCredentials: (region, env) => loadAmbientCredentials({ region, env }),
}

/** Returns the process exit code: 0 with an ExecCredential on stdout, 1 with the reason on stderr. */
export async function runTokenPlugin(
  args: readonly string[],
  env: Env,
  io: TokenPluginIo = processTokenIo,
): Promise<number> {
  try {
    const options = parseTokenArgs(args, env)
    // helm started ahead of the deploy's pre-flight gets its token only once the step lets it through.
    const gate = nonEmpty(env[HELM_GATE_ENV])
    const passing = gate === undefined ? undefined : passGate(gate, stepPid(env))
    passing?.catch(() => undefined)
    const credentials = await loadCredentials(options, env, io)
    const now = io.now()
    const { token, expiration } = createEksToken({
      credentials,
      region: options.region,
      clusterName: options.clusterName,
      stsEndpoint: resolveStsEndpoint(env, options.region),
      now,
    })
    await passing
    io.stdout(`${JSON.stringify(execCredential(env, token, earliest(expiration, credentials.expiration)))}\n`)
    return 0
  } catch (error) {
    io.stderr(`eks-deploy-action token plugin: ${messageOf(error)}\n`)
    return 1
  }
}

export interface TokenArgs {
  readonly clusterName: string
  readonly region: string
  readonly credentialsFile: string | undefined
}

export function parseTokenArgs(args: readonly string[], env: Env): TokenArgs {
  const values = new Map<string, string>()
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ''
    const match = /^--(cluster-name|region|credentials-file)(?:=(.*))?$/.exec(arg)
    const value = match?.[2] ?? args[++i]
    if (match?.[1] === undefined || value === undefined || value === '' || value.startsWith('--')) {
      const missing = match !== null && (value === undefined || value.startsWith('--'))
      throw new Error(`unexpected argument '${arg}'${missing ? ' (no value)' : ''}. ${USAGE}`)
    }
    values.set(match[1], value)
  }
  const clusterName = values.get('cluster-name')
  const region = values.get('region') ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION)
  if (clusterName === undefined || region === undefined) {
    throw new Error(`--cluster-name and --region are required. ${USAGE}`)
  }
  return { clusterName, region, credentialsFile: values.get('credentials-file') }
}

/**
 * --credentials-file (the cluster role), else the AWS_* keys (what the action exported: they win over
 * the runner's own identity, as in every AWS tool), else the runner's own identity.
 */
async function loadCredentials(options: TokenArgs, env: Env, io: TokenPluginIo): Promise<AwsCredentials> {
  const file = options.credentialsFile
  const fromEnv = file === undefined ? credentialsFromEnv(env) : undefined
  const credentials =
    file === undefined
      ? (fromEnv ?? (await ambientCredentials(options.region, env, io)))
      : credentialsFromFile(file, io)
  if (credentials.expiration !== undefined && credentials.expiration.getTime() <= io.now().getTime()) {
    const where =
      file !== undefined
        ? ` in ${file}`
        : fromEnv === undefined
          ? ''
          : ' in the environment (AWS_CREDENTIAL_EXPIRATION)'
    throw new Error(
      `the AWS credentials${where} expired at ${formatTimestamp(credentials.expiration)}: their session has ended, so EKS would refuse a token signed with them (Unauthorized). Run the eks-deploy-action step again for fresh ones, or give it a longer role-duration-seconds.`,
    )
  }
  return credentials
}

async function ambientCredentials(region: string, env: Env, io: TokenPluginIo): Promise<AwsCredentials> {
  try {
    return await io.ambientCredentials(region, env)
  } catch (error) {
    if (error instanceof CredentialSourceTimeoutError) throw stalled(error)
    const reason = messageOf(error)
    throw new Error(
      `no AWS credentials to sign the EKS token with: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set in the environment kubectl or helm gave this exec plugin, and ${reason}. Run kubectl or helm in a later step of the job after eks-deploy-action with \`export-credentials: true\` (the default), or give the runner an identity of its own (IRSA, EKS Pod Identity, an EC2 instance profile, a profile in AWS_PROFILE).`,
    )
  }
}

/** kubectl and helm wait on this plugin (with no timeout of their own): give up with the reason. */
function stalled(error: CredentialSourceTimeoutError): Error {
  return new Error(
    `no AWS credentials to sign the EKS token with: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set in the environment kubectl or helm gave this exec plugin, and the runner's own identity did not arrive: ${error.message} (the plugin gives up after ${AMBIENT_CREDENTIALS_DEADLINE_MS / 1000} s rather than hang kubectl and helm). Check that source (on EKS, the eks-pod-identity-agent on the runner's node; on ECS, the container agent; on EC2, the instance's metadata options), or run kubectl or helm in a later step of the job after eks-deploy-action with \`export-credentials: true\` (the default), whose keys need no such source.`,
    { cause: error },
  )
}

function credentialsFromFile(file: string, io: TokenPluginIo): AwsCredentials {
  let text: string
  try {
    text = io.readFile(file)
  } catch (error) {
    const reason = messageOf(error)
    throw new Error(
      `cannot read the credentials file ${file} (${reason}). The post step of eks-deploy-action removes it at the end of the job.`,
    )
  }
  try {
    return decodeCredentialsFile(text)
  } catch (error) {
    throw new Error(`the credentials file ${file} ${messageOf(error)}.`)
  }
}

const KEY_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const

function credentialsFromEnv(env: Env): AwsCredentials | undefined {
  refuseBlankKeys(env)
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID)
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY)
  if (accessKeyId === undefined || secretAccessKey === undefined) return undefined
  const sessionToken = nonEmpty(env.AWS_SESSION_TOKEN)
  // The SDK's environment provider reads this variable too; when set, no token outlives its credentials.
  const expiration = nonEmpty(env.AWS_CREDENTIAL_EXPIRATION)
  const expires = expiration === undefined ? undefined : new Date(expiration)
  return {
    accessKeyId,
    secretAccessKey,
    ...(sessionToken === undefined ? {} : { sessionToken }),
    ...(expires === undefined || Number.isNaN(expires.getTime()) ? {} : { expiration: expires }),
  }
}

/**
 * A key of only whitespace is a mistake upstream (an empty secret pasted with a newline, a template
 * that rendered nothing): the SDK would sign with it and EKS answer a bare Unauthorized, so say so here.
 */
function refuseBlankKeys(env: Env): void {
  const blank = KEY_VARIABLES.filter((name) => {
    const value = env[name]
    return value !== undefined && value !== '' && value.trim() === ''
  })
  if (blank.length === 0) return
  throw new Error(
    `${blank.join(', ')} ${blank.length === 1 ? 'is' : 'are'} set to only whitespace in the environment kubectl or helm gave this exec plugin: a token signed with ${blank.length === 1 ? 'it' : 'them'} could not be verified. Set ${blank.length === 1 ? 'it' : 'them'} to the real value, or unset ${blank.length === 1 ? 'it' : 'them'} (the eks-deploy-action step with \`export-credentials: true\` sets all three).`,
  )
}

/** client-go passes the ExecCredential version it wants in KUBERNETES_EXEC_INFO; answer in kind. */
function execCredential(env: Env, token: string, expiration: Date): object {
  let apiVersion = EXEC_API_VERSION
  try {
    const info = JSON.parse(env.KUBERNETES_EXEC_INFO ?? '{}') as { apiVersion?: unknown }
    if (typeof info.apiVersion === 'string' && info.apiVersion !== '') apiVersion = info.apiVersion
  } catch {
    // Not JSON: keep the default version.
  }
  return {
    kind: 'ExecCredential',
    apiVersion,
    spec: {},
    status: { expirationTimestamp: formatTimestamp(expiration), token },
  }
}

function earliest(a: Date, b: Date | undefined): Date {
  return b !== undefined && b.getTime() < a.getTime() ? b : a
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed === undefined || trimmed === '' ? undefined : trimmed
}

/** The deploy step that holds helm at its gate, if it said. */
function stepPid(env: Env): number | undefined {
  const pid = Number(env[HELM_GATE_PID_ENV])
  return Number.isInteger(pid) && pid > 0 ? pid : undefined
}

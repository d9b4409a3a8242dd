import { imageReference } from '../lib/image-ref.js'
import { printable } from '../lib/printable.js'
import type { DeployResult } from '../phases/deploy/index.js'
import type { ChangeSet } from '../phases/deploy/changes/types.js'
import type { EcrResult } from '../phases/ecr/index.js'
import type { KubeconfigResult } from '../phases/kubeconfig/index.js'
import type { TeardownResult } from '../phases/teardown/index.js'
import type { RunResults } from './results.js'

/** The step outputs, by name as declared in action.yml. */
export function collectOutputs(results: RunResults): Record<string, string> {
  const outputs: Record<string, string> = {}
  const { auth } = results
  if (auth !== undefined) {
    outputs['aws-account-id'] = auth.accountId
    outputs['aws-session-arn'] = auth.assumedRoleArn
    if (auth.expiration !== undefined) outputs['aws-credentials-expiration'] = auth.expiration.toISOString()
  }
  return {
    ...outputs,
    ...ecrOutputs(results.ecr),
    ...kubeconfigOutputs(results.kubeconfig),
    ...deployOutputs(results.deploy),
    ...teardownOutputs(results.teardown),
    ...(results.github?.deployment === undefined
      ? {}
      : { 'deployment-id': String(results.github.deployment.id) }),
  }
}

function kubeconfigOutputs(kubeconfig: KubeconfigResult | undefined): Record<string, string> {
  if (kubeconfig === undefined) return {}
  return {
    kubeconfig: kubeconfig.path,
    'cluster-endpoint': kubeconfig.endpoint,
    'cluster-arn': kubeconfig.arn,
    'cluster-version': kubeconfig.version,
  }
}

function ecrOutputs(ecr: EcrResult | undefined): Record<string, string> {
  if (ecr === undefined) return {}
  const outputs: Record<string, string> = {}
  if (ecr.registry !== undefined) outputs.registry = ecr.registry
  if (ecr.image !== undefined) {
    outputs.image = imageReference(ecr.image)
    outputs['image-tag'] = ecr.image.tag
    if (ecr.image.digest !== undefined) outputs['image-digest'] = ecr.image.digest
  }
  if (ecr.dockerConfigDir !== undefined) outputs['docker-config'] = ecr.dockerConfigDir
  return outputs
}

function deployOutputs(deploy: DeployResult | undefined): Record<string, string> {
  if (deploy === undefined) return {}
  const { state } = deploy
  return {
    'helm-version': deploy.helmVersion,
    'release-revision': state === undefined ? '' : String(state.revision),
    'release-status': state?.status ?? '',
    'chart-name': state?.chartName ?? '',
    'chart-version': state?.chartVersion ?? '',
    'app-version': state?.appVersion ?? '',
    'previous-revision': deploy.previousRevision === undefined ? '' : String(deploy.previousRevision),
    'rolled-back': String(deploy.isRolledBack),
    // Untrusted text (a container's log line): one line, no workflow command, should a workflow echo it.
    'failure-reason': printable(deploy.failureReason ?? '', 1000),
    ...(deploy.manifests === undefined
      ? {}
      : {
          'images-pinned': deploy.manifests.pinned
            .map((pin) => `${pin.container}: ${pin.from} -> ${pin.to}`)
            .join('\n'),
        }),
    changes: deploy.changes === undefined ? '' : changesJson(deploy.changes),
  }
}

/** Output `changes`: `[{"kind":"Deployment","name":"web","namespace":"shop","change":"changed"}]`. */
function changesJson(changes: ChangeSet): string {
  return JSON.stringify(
    changes.objects.map(({ kind, name, namespace, change }) => ({ kind, name, namespace, change })),
  )
}

function teardownOutputs(teardown: TeardownResult | undefined): Record<string, string> {
  if (teardown === undefined) return {}
  const revision = teardown.previousRevision
  return {
    'helm-version': teardown.helmVersion,
    'release-status': teardown.isUninstalled ? 'uninstalled' : '',
    'previous-revision': revision === undefined ? '' : String(revision),
  }
}

/** The variables later steps of the job get through GITHUB_ENV. */
export function collectExportedEnv(results: RunResults): Record<string, string> {
  const env: Record<string, string> = {}
  const { auth, inputs } = results
  if (auth !== undefined && inputs.auth.shouldExportCredentials) {
    env.AWS_ACCESS_KEY_ID = auth.credentials.accessKeyId
    env.AWS_SECRET_ACCESS_KEY = auth.credentials.secretAccessKey
    if (auth.credentials.sessionToken !== undefined) env.AWS_SESSION_TOKEN = auth.credentials.sessionToken
    // As configure-aws-credentials does: the SDKs and the token plugin read it, so a later step never
    // signs past the session's end, and says the session expired instead of a bare Unauthorized.
    if (auth.credentials.expiration !== undefined) {
      env.AWS_CREDENTIAL_EXPIRATION = auth.credentials.expiration.toISOString()
    }
    env.AWS_REGION = inputs.region
    env.AWS_DEFAULT_REGION = inputs.region
  }
  if (results.kubeconfig !== undefined && inputs.kubeconfig.shouldExportKubeconfig) {
    env.KUBECONFIG = results.kubeconfig.path
  }
  if (results.ecr?.dockerConfigDir !== undefined) env.DOCKER_CONFIG = results.ecr.dockerConfigDir
  return env
}

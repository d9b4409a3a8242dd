import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr'
import { makeRunnerFiles, runAction, type RunnerFiles } from '../fixtures/action-runner.js'
import { createMotoCluster } from '../fixtures/kube-tools.js'
import { describeWithMoto, startMoto, type MotoServer } from '../fixtures/moto.js'
import { startOidcServer, type OidcServer } from '../fixtures/oidc-server.js'

/** Where the cluster and the repository live, and the valid region the workflow names instead. */
const THEIR_REGION = 'eu-central-1'
const WRONG_REGION = 'us-east-1'

/** The message of the step's ::error:: annotation, decoded as the runner decodes it. */
function errorMessage(stdout: string): string {
  const data = /^::error::(.*)$/m.exec(stdout)?.[1] ?? ''
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

// A valid but wrong aws-region: ecr-login and kubeconfig run side by side and both fail. The step's
// error and the job summary show both errors, each with its phase, and say what that usually means.
describeWithMoto('a wrong aws-region (bundled action against moto_server)', () => {
  let moto: MotoServer
  let oidc: OidcServer
  let files: RunnerFiles & { cleanup(): Promise<void> }

  beforeAll(async () => {
    ;[moto, oidc] = await Promise.all([startMoto(), startOidcServer()])
    await createMotoCluster(moto.url, 'prod', THEIR_REGION)
    const ecr = new ECRClient({
      region: THEIR_REGION,
      endpoint: moto.url,
      credentials: { accessKeyId: 'AKIATESTSETUP', secretAccessKey: 'test-setup' },
    })
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'shop/api' }))
    ecr.destroy()
    files = await makeRunnerFiles()
  })
  afterAll(async () => {
    await Promise.all([moto.stop(), oidc.stop(), files.cleanup()])
  })

  test('both errors, both phases and the region hint, in the annotation and the summary', async () => {
    const run = await runAction({
      files,
      inputs: {
        phases: 'auth,ecr-login,kubeconfig',
        'role-to-assume': 'arn:aws:iam::123456789012:role/deploy',
        'aws-region': WRONG_REGION,
        'ecr-repository': 'shop/api',
        'image-tag': 'v1',
        'require-image': 'true',
        'cluster-name': 'prod',
      },
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
        AWS_ENDPOINT_URL_STS: moto.url,
        AWS_ENDPOINT_URL_ECR: moto.url,
        AWS_ENDPOINT_URL_EKS: moto.url,
      },
    })
    expect(run.exitCode).toBe(1)
    const message = errorMessage(run.stdout)
    const lines = message.split('\n')
    expect(lines[0]).toBe('2 phases that ran side by side failed: image check and kubeconfig.')
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^Phase image check: The ECR repository does not exist \\(repository shop/api, .*region ${WRONG_REGION}\\)`,
        ),
      ),
    )
    expect(lines).toContain(`Phase kubeconfig: EKS cluster 'prod' was not found in ${WRONG_REGION}.`)
    expect(lines.at(-1)).toContain(
      `Neither the EKS cluster 'prod' nor the ECR repository 'shop/api' was found in ${WRONG_REGION}: when both are missing, 'aws-region' (${WRONG_REGION}) is usually not the region they live in.`,
    )
    // The summary: both phases in its heading, and the log's own message.
    expect(run.summary).toContain(
      `#### The step failed in phases image check and kubeconfig\n\n\`\`\`text\n${message}\n\`\`\``,
    )
  })
})

import { spawnSync } from 'node:child_process'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createEksToken } from '../../src/eks-token/presign.js'
import { ACTION_NODE, ROOT } from '../fixtures/action-runner.js'
import { decodeEksToken, isSignatureValid } from '../fixtures/eks-token-verify.js'
import { runProcess, type ExecCredential } from '../fixtures/kube-tools.js'

const hasAwsCli = spawnSync('sh', ['-c', 'command -v aws'], { stdio: 'ignore' }).status === 0
if (!hasAwsCli)
  process.stderr.write('\n*** SKIPPED "token vs aws eks get-token": the AWS CLI is not on the PATH ***\n\n')
const describeWithAwsCli = hasAwsCli ? describe : describe.skip

const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIAEXAMPLECOMPARE',
  AWS_SECRET_ACCESS_KEY: 'compare/secret+key=',
  AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEXAMPLE/session+token==',
}
const STS = 'http://127.0.0.1:5999'

describeWithAwsCli('the EKS token against `aws eks get-token` on this machine', () => {
  let home: string
  beforeAll(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'aws-cli-home-'))
  })
  afterAll(async () => {
    await fs.rm(home, { recursive: true, force: true })
  })

  const env = (region: string): Record<string, string> => ({
    PATH: process.env.PATH ?? '',
    HOME: home,
    ...CREDENTIALS,
    AWS_DEFAULT_REGION: region,
    AWS_REGION: region,
    AWS_ENDPOINT_URL_STS: STS,
  })

  test.each([
    ['eu-west-1', 'my-cluster'],
    ['us-east-1', 'prod_2'],
  ])(
    '%s %s: the same URL parameter for parameter; the same token at the same second',
    async (region, cluster) => {
      const [cli, plugin] = await Promise.all([
        runProcess('aws', ['eks', 'get-token', '--cluster-name', cluster, '--output', 'json'], env(region)),
        runProcess(
          ACTION_NODE,
          [path.join(ROOT, 'dist/token/index.js'), '--cluster-name', cluster, '--region', region],
          env(region),
        ),
      ])
      expect(cli.exitCode).toBe(0)
      expect(plugin).toMatchObject({ exitCode: 0, stderr: '' })
      const theirs = JSON.parse(cli.stdout) as ExecCredential
      const ours = JSON.parse(plugin.stdout) as ExecCredential
      expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort())
      expect(ours.apiVersion).toBe(theirs.apiVersion)

      const a = decodeEksToken(theirs.status.token)
      const b = decodeEksToken(ours.status.token)
      expect(b.url.origin + b.url.pathname).toBe(a.url.origin + a.url.pathname)
      expect(b.order).toEqual(a.order)
      for (const key of a.order.filter(
        (k) => !['X-Amz-Date', 'X-Amz-Signature', 'X-Amz-Credential'].includes(k),
      )) {
        expect([key, b.params.get(key)]).toEqual([key, a.params.get(key)])
      }
      const scope = (credential: string | undefined) => credential?.split('/').filter((_, i) => i !== 1)
      expect(scope(b.params.get('X-Amz-Credential'))).toEqual(scope(a.params.get('X-Amz-Credential')))
      expect(isSignatureValid(ours.status.token, CREDENTIALS.AWS_SECRET_ACCESS_KEY, cluster)).toBe(true)
      expect(isSignatureValid(theirs.status.token, CREDENTIALS.AWS_SECRET_ACCESS_KEY, cluster)).toBe(true)

      // Signed as of the CLI's own second, the token is the CLI's, byte for byte.
      const amzDate = a.params.get('X-Amz-Date') ?? ''
      const signedAt = new Date(
        amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'),
      )
      const same = createEksToken({
        credentials: {
          accessKeyId: CREDENTIALS.AWS_ACCESS_KEY_ID,
          secretAccessKey: CREDENTIALS.AWS_SECRET_ACCESS_KEY,
          sessionToken: CREDENTIALS.AWS_SESSION_TOKEN,
        },
        region,
        clusterName: cluster,
        stsEndpoint: STS,
        now: signedAt,
      })
      expect(same.token).toBe(theirs.status.token)
      expect(same.expiration.toISOString().replace('.000Z', 'Z')).toBe(theirs.status.expirationTimestamp)
    },
  )
})

import type { ActionRun } from '../fixtures/action-runner.js'
import { ACCOUNT, REGION, REGISTRY, REPOSITORY, RUN_ID, useEksE2e, type Deploy } from '../fixtures/eks-e2e.js'
import type { FixtureHelmVersion } from '../fixtures/helm-release.js'
import { describeWithEksLab } from '../fixtures/lab.js'

// All four phases of the bundled action, with no `phases` input: OIDC -> STS (moto), ECR login and
// the image check (moto), DescribeCluster (moto, its endpoint and CA rewritten to the lab's) and a
// kubeconfig whose exec plugin signs EKS tokens that the lab's webhook verifies, then helm from the
// tool cache against the lab's real API server. No admin kubeconfig, no AWS CLI on the PATH.
const DEPLOY_ROLE = `arn:aws:iam::${ACCOUNT}:role/e2e-deploy-${RUN_ID}`
/** A GITHUB_SHA whose 7-character short form is all digits. */
const DIGIT_SHA = '1234567abcdef0123456789abcdef0123456789a'
const HELM4_TARBALL = '/helm-v4.1.4-linux-amd64.tar.gz'
// The lab's fake kubelet never makes a pod Ready when its image contains "crash".
const CRASH = { timeout: '6s' }
// A case's bound, not its expected time: the four phases with a real helm took over jest's default
// 60 s on a shared 2-core machine at load 25.
const DEPLOY_MS = 180_000

describeWithEksLab('the four phases against the EKS lab (bundled action, no phases input)', (lab) => {
  const suite = useEksE2e(lab, {
    name: 'e2e-lab',
    tags: ['0123456', '1234567', 'crash01', 'crash02'],
    helmVersions: ['v4.1.4', 'v3.17.3'],
    deployRole: DEPLOY_ROLE,
  })
  const deploy = (options: Omit<Deploy, 'role'>) => suite.deploy({ ...options, role: DEPLOY_ROLE })
  const digestOf = (tag: string): string => suite.stack().digests.get(tag) ?? ''

  /** Every token helm's exec plugin made was verified by the webhook and mapped by the access entry. */
  async function expectTokensVerified(run: ActionRun): Promise<void> {
    const reviews = await suite.reviewsOf(run)
    expect(reviews.length).toBeGreaterThan(0)
    for (const review of reviews) {
      expect(review).toMatchObject({
        authenticated: true,
        signature: 'verified',
        principal_arn: DEPLOY_ROLE,
        sts_endpoint: suite.stack().proxy.url,
        username: 'e2e-deployer',
      })
    }
  }

  /** The outputs every run of the four phases writes, up to the release. */
  const expectedOutputs = (tag: string, helm: FixtureHelmVersion, digest: string | undefined) => ({
    'aws-account-id': ACCOUNT,
    'aws-session-arn': expect.stringMatching(
      new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/e2e-deploy-${RUN_ID}/`),
    ),
    'aws-credentials-expiration': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    registry: REGISTRY,
    image: digest === undefined ? `${REGISTRY}/${REPOSITORY}:${tag}` : `${REGISTRY}/${REPOSITORY}@${digest}`,
    'image-tag': tag,
    ...(digest === undefined ? {} : { 'image-digest': digest }),
    'docker-config': expect.stringContaining(suite.files().runnerTemp),
    kubeconfig: expect.stringContaining(suite.files().runnerTemp),
    'cluster-endpoint': lab.server,
    'cluster-arn': `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${lab.clusterName}`,
    'cluster-version': expect.stringMatching(/^\d+\.\d+$/),
    'helm-version': helm,
    'chart-name': 'demo',
    'chart-version': '0.1.0',
    'chart-digest': '',
    'app-version': '1.0',
    'failure-reason': '',
    changes: '',
    drift: '',
    verified: '',
    'has-changes': '',
    'changes-added': '',
    'changes-changed': '',
    'changes-removed': '',
    'deploy-record': expect.stringMatching(/^\{"schema":1,"release":"demo",/),
  })

  describe('Helm 4 (v4.1.4)', () => {
    const namespace = `e2e-${RUN_ID}-h4`
    suite.namespaces.push(namespace)

    test(
      'first install: the SHA-derived tag pinned by digest, every output, the summary, verified tokens',
      async () => {
        const run = await deploy({ helm: 'v4.1.4', namespace })
        expect(run.exitCode).toBe(0)
        const digest = digestOf('0123456')
        expect(run.outputs).toEqual({
          ...expectedOutputs('0123456', 'v4.1.4', digest),
          'release-revision': '1',
          'release-status': 'deployed',
          'previous-revision': '',
          'rolled-back': 'false',
        })
        // The tag value carries the digest: the chart's "<repository>:<tag>" renders <repo>:<tag>@<digest>.
        expect(await suite.deployedImage(namespace)).toBe(`${REGISTRY}/${REPOSITORY}:0123456@${digest}`)
        await suite.untilServing(namespace)
        expect(run.stdout).toMatch(
          /^::debug::\S+\/helm upgrade --install demo \S+ --namespace \S+ --create-namespace .*--rollback-on-failure --wait=watcher$/m,
        )
        // Installed from the mirror through the tool cache, its checksum verified.
        expect([...suite.stack().mirror.requests].sort()).toEqual([
          HELM4_TARBALL,
          `${HELM4_TARBALL}.sha256sum`,
        ])
        expect(run.stdout).toMatch(/Verified SHA-256 [0-9a-f]{64} of helm-v4\.1\.4-linux-amd64\.tar\.gz/)
        for (const row of [
          `| Role | \`${DEPLOY_ROLE}\` |`,
          `| Cluster | \`${lab.clusterName}\``,
          `| Endpoint | ${lab.server} |`,
          `| Registry login | ${REGISTRY} |`,
          `| Image | \`${REGISTRY}/${REPOSITORY}:0123456\` |`,
          `| Image digest | \`${digest}\` |`,
          '| Release | `demo` |',
          `| Namespace | \`${namespace}\` |`,
          '| Chart | demo 0.1.0 |',
          '| Revision | 1 (deployed) |',
          '| Rolled back | no |',
          '| Helm | v4.1.4 |',
        ])
          expect(run.summary).toContain(row)
        // The timeline: after auth, ecr-login, the image check and kubeconfig side by side, then deploy.
        const bar = (phase: string): { start: number; end: number } => {
          const match = new RegExp(`^ {2}${phase} [\\d.]+ s :(\\d+), (\\d+)$`, 'm').exec(run.summary)
          return { start: Number(match?.[1]), end: Number(match?.[2]) }
        }
        const [auth, deploy$] = [bar('auth'), bar('deploy')]
        for (const phase of ['ecr-login', 'image check', 'kubeconfig']) {
          expect(bar(phase).start).toBeGreaterThanOrEqual(auth.end)
          expect(bar(phase).end).toBeLessThanOrEqual(deploy$.start)
          expect(run.summary).toMatch(
            new RegExp(`\\| ${phase} \\| \\+\\d+\\.\\d\\d s \\| \\d+\\.\\d\\d s \\| ok \\|`),
          )
        }
        await expectTokensVerified(run)
      },
      DEPLOY_MS,
    )

    test(
      'upgrade with a digit-only SHA tag: the Deployment gets exactly <registry>/<repo>:1234567@<digest>',
      async () => {
        const run = await deploy({ helm: 'v4.1.4', namespace, sha: DIGIT_SHA })
        expect(run.exitCode).toBe(0)
        const digest = digestOf('1234567')
        expect(run.outputs).toMatchObject({
          ...expectedOutputs('1234567', 'v4.1.4', digest),
          // An upgrade: the field check ran and found nothing changed outside helm.
          drift: '[]',
          'release-revision': '2',
          'previous-revision': '1',
          'rolled-back': 'false',
        })
        expect(run.stdout).toContain(`--set-string image.tag=1234567@${digest}`)
        expect(await suite.deployedImage(namespace)).toBe(`${REGISTRY}/${REPOSITORY}:1234567@${digest}`)
        expect(run.stdout).toContain('helm v4.1.4 found in the tool cache')
        expect(suite.stack().mirror.requests).toHaveLength(2)
        await suite.untilServing(namespace)
        await expectTokensVerified(run)
      },
      DEPLOY_MS,
    )

    test(
      'a digit-only tag without the image check: exactly <registry>/<repo>:7654321, no digest',
      async () => {
        const inputs = { 'image-tag': '7654321', 'require-image': 'false' }
        const run = await deploy({ helm: 'v4.1.4', namespace, inputs })
        expect(run.exitCode).toBe(0)
        expect(run.outputs).toMatchObject({
          image: `${REGISTRY}/${REPOSITORY}:7654321`,
          'release-revision': '3',
        })
        expect(run.outputs).not.toHaveProperty('image-digest')
        expect(await suite.deployedImage(namespace)).toBe(`${REGISTRY}/${REPOSITORY}:7654321`)
        await suite.untilServing(namespace)
      },
      DEPLOY_MS,
    )

    test(
      'a failing upgrade (crash tag) rolls back: rolled-back true, the step fails, revision 3 still serves',
      async () => {
        const run = await deploy({ helm: 'v4.1.4', namespace, inputs: { 'image-tag': 'crash01', ...CRASH } })
        expect(run.exitCode).toBe(1)
        expect(run.outputs).toMatchObject({
          ...expectedOutputs('crash01', 'v4.1.4', digestOf('crash01')),
          // An upgrade: the field check ran and found nothing changed outside helm.
          drift: '[]',
          'failure-reason': expect.stringMatching(/^Timed out after 6s: /),
          'release-revision': '5',
          'release-status': 'deployed',
          'previous-revision': '3',
          'rolled-back': 'true',
        })
        expect(run.stdout).toMatch(
          new RegExp(
            `^::error::helm upgrade --install of release demo in namespace ${namespace} failed \\(exit code 1\\): UPGRADE FAILED: .*rolled back`,
            'm',
          ),
        )
        expect(run.stdout).toContain('The release was rolled back: revision 5 ("Rollback to 3") is deployed.')
        expect(run.summary).toContain('| Rolled back | yes |')
        expect(run.summary).toContain('| Revision | 5 (deployed) |')
        expect(await suite.deployedImage(namespace)).toBe(`${REGISTRY}/${REPOSITORY}:7654321`)
        await suite.untilServing(namespace)
        await expectTokensVerified(run)
      },
      DEPLOY_MS,
    )
  })

  describe('Helm 3 (v3.17.3)', () => {
    const namespace = `e2e-${RUN_ID}-h3`
    suite.namespaces.push(namespace)

    test(
      'first install with --atomic, helm 3 from the mirror',
      async () => {
        const run = await deploy({ helm: 'v3.17.3', namespace })
        expect(run.exitCode).toBe(0)
        const digest = digestOf('0123456')
        expect(run.outputs).toEqual({
          ...expectedOutputs('0123456', 'v3.17.3', digest),
          'release-revision': '1',
          'release-status': 'deployed',
          'previous-revision': '',
          'rolled-back': 'false',
        })
        expect(run.stdout).toMatch(/^::debug::\S+\/helm upgrade --install demo .* --atomic --wait$/m)
        expect(run.stdout).toMatch(/Verified SHA-256 [0-9a-f]{64} of helm-v3\.17\.3-linux-amd64\.tar\.gz/)
        expect(await suite.deployedImage(namespace)).toBe(`${REGISTRY}/${REPOSITORY}:0123456@${digest}`)
        await suite.untilServing(namespace)
        await expectTokensVerified(run)
      },
      DEPLOY_MS,
    )

    test(
      'a failing upgrade (crash tag) rolls back to revision 1, which still serves',
      async () => {
        const run = await deploy({ helm: 'v3.17.3', namespace, inputs: { 'image-tag': 'crash02', ...CRASH } })
        expect(run.exitCode).toBe(1)
        expect(run.outputs).toMatchObject({
          ...expectedOutputs('crash02', 'v3.17.3', digestOf('crash02')),
          // An upgrade: the field check ran and found nothing changed outside helm.
          drift: '[]',
          'failure-reason': expect.stringMatching(/^Timed out after 6s: /),
          'release-revision': '3',
          'release-status': 'deployed',
          'previous-revision': '1',
          'rolled-back': 'true',
        })
        expect(run.stdout).toContain('has been rolled back due to atomic being set')
        expect(run.stdout).toContain('The release was rolled back: revision 3 ("Rollback to 1") is deployed.')
        expect(await suite.deployedImage(namespace)).toBe(
          `${REGISTRY}/${REPOSITORY}:0123456@${digestOf('0123456')}`,
        )
        await suite.untilServing(namespace)
        await expectTokensVerified(run)
      },
      DEPLOY_MS,
    )
  })
})

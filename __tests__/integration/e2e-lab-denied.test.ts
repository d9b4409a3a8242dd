import type { ActionRun } from '../fixtures/action-runner.js'
import { ACCOUNT, REGION, RUN_ID, useEksE2e } from '../fixtures/eks-e2e.js'
import { addAccessEntry, describeWithEksLab, labCommand } from '../fixtures/lab.js'

// All four phases with a role that EKS authenticates but that has no access entry: the lab's webhook
// verifies the token's signature, finds no entry for the role and the API server answers 401.
const DEPLOY_ROLE = `arn:aws:iam::${ACCOUNT}:role/e2e-deploy-${RUN_ID}`
const NO_ACCESS_ROLE = `arn:aws:iam::${ACCOUNT}:role/no-access-${RUN_ID}`
// Authenticated (it has an access entry) but in no Kubernetes group: RBAC refuses it everything.
const VIEWER_ROLE = `arn:aws:iam::${ACCOUNT}:role/no-rights-${RUN_ID}`

/** The step's failure as the runner shows it (the ::error:: command, its escapes decoded). */
const failureOf = (run: ActionRun): string =>
  (/^::error::(.*)$/m.exec(run.stdout)?.[1] ?? '')
    .replace(/%0A/g, '\n')
    .replace(/%0D/g, '\r')
    .replace(/%25/g, '%')

describeWithEksLab('the four phases against the EKS lab: a role without an access entry', (lab) => {
  const suite = useEksE2e(lab, {
    name: 'e2e-lab-denied',
    tags: ['0123456'],
    helmVersions: ['v4.1.4'],
    deployRole: DEPLOY_ROLE,
  })
  const namespace = `e2e-${RUN_ID}-denied`

  test('the step fails: the cluster refused the role (HTTP 401), named by its ARN, and how to give it access', async () => {
    const run = await suite.deploy({ helm: 'v4.1.4', namespace, role: NO_ACCESS_ROLE })
    expect(run.exitCode).toBe(1)
    const failure = failureOf(run)
    expect(failure).toMatch(
      new RegExp(
        `^EKS cluster ${lab.clusterName} refused IAM role ${NO_ACCESS_ROLE} \\(HTTP 401 Unauthorized\\): .*helm said: kubernetes cluster unreachable: the server has asked for the client to provide credentials$`,
        'm',
      ),
    )
    expect(failure).not.toContain(`arn:aws:sts::${ACCOUNT}:assumed-role/`)
    const where = `--cluster-name ${lab.clusterName} --region ${REGION} --principal-arn ${NO_ACCESS_ROLE}`
    expect(failure).toContain(`aws eks create-access-entry ${where}`)
    expect(failure).toContain(`aws eks associate-access-policy ${where}`)
    expect(failure).toContain('cluster-access-policy/AmazonEKSClusterAdminPolicy --access-scope type=cluster')
    expect(failure).toContain(`--access-scope type=namespace,namespaces=${namespace}`)
    expect(failure).toContain('aws-auth ConfigMap')
    // Refused before the upgrade: no warnings about unreadable history, no helm upgrade, no namespace.
    expect(run.stdout).not.toMatch(/^::warning::/m)
    expect(run.stdout).not.toContain('::group::helm upgrade --install')
    await expect(labCommand(lab, lab.kubectl, ['get', 'namespace', namespace])).rejects.toThrow(/NotFound/)
    // The earlier phases still report, and the release outputs say nothing was deployed.
    expect(run.outputs).toMatchObject({
      'aws-session-arn': expect.stringContaining(`:assumed-role/no-access-${RUN_ID}/`),
      'cluster-endpoint': lab.server,
      'release-revision': '',
      'previous-revision': '',
      'rolled-back': 'false',
    })
    expect(run.summary).toContain('| Revision | none |')
    // The webhook verified the token's signature, then found no access entry for the role.
    const reviews = await suite.reviewsOf(run)
    expect(reviews.length).toBeGreaterThan(0)
    for (const review of reviews) {
      expect(review).toMatchObject({
        authenticated: false,
        signature: 'verified',
        principal_arn: NO_ACCESS_ROLE,
      })
    }
  })

  test('with mask-aws-account-id the message names the role without its account id', async () => {
    const run = await suite.deploy({
      helm: 'v4.1.4',
      namespace,
      role: NO_ACCESS_ROLE,
      inputs: { 'mask-aws-account-id': 'true' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.masks).toContain(ACCOUNT)
    const failure = failureOf(run)
    expect(failure).toContain(
      `refused IAM role arn:aws:iam::***:role/no-access-${RUN_ID} (HTTP 401 Unauthorized)`,
    )
    expect(failure).toContain(`--principal-arn arn:aws:iam::***:role/no-access-${RUN_ID}`)
    expect(failure).not.toContain(ACCOUNT)
  })

  test('the same run with the role that has the access entry deploys (the 401 is the role, not the setup)', async () => {
    suite.namespaces.push(namespace)
    const run = await suite.deploy({ helm: 'v4.1.4', namespace, role: DEPLOY_ROLE })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ 'release-revision': '1', 'release-status': 'deployed' })
  })

  test('a role the cluster knows but RBAC refuses: the Kubernetes user, what it may not do, and the policy to associate', async () => {
    const removeEntry = await addAccessEntry(
      lab,
      VIEWER_ROLE,
      { username: `no-rights-${RUN_ID}`, groups: [] },
      'e2e-denied-viewer',
    )
    try {
      const run = await suite.deploy({ helm: 'v4.1.4', namespace: `${namespace}-rbac`, role: VIEWER_ROLE })
      expect(run.exitCode).toBe(1)
      const failure = failureOf(run)
      // The namespace does not exist, and the pre-flight finds that the role may not create it.
      expect(failure).toContain(
        `and this identity may not create namespaces: Kubernetes user "no-rights-${RUN_ID}" (IAM role ${VIEWER_ROLE}) may not create, patch namespaces at the cluster scope.`,
      )
      expect(failure).toContain('helm did not run (access pre-flight)')
      expect(failure).toContain(
        `aws eks associate-access-policy --cluster-name ${lab.clusterName} --region ${REGION} --principal-arn ${VIEWER_ROLE}`,
      )
      const reviews = await suite.reviewsOf(run)
      expect(reviews.length).toBeGreaterThan(0)
      for (const review of reviews)
        expect(review).toMatchObject({ authenticated: true, signature: 'verified' })
    } finally {
      await removeEntry()
    }
  })
})

import { explainUnauthorized, isUnauthorized, type ClusterIdentity } from '../../../src/helm/unauthorized.js'
import { ActionError } from '../../../src/lib/errors.js'

describe('isUnauthorized', () => {
  test.each([
    [
      'helm 3',
      'Error: Kubernetes cluster unreachable: the server has asked for the client to provide credentials\n',
    ],
    [
      'helm 4',
      'Error: kubernetes cluster unreachable: the server has asked for the client to provide credentials\n',
    ],
    ['kubectl', 'error: You must be logged in to the server (Unauthorized)\n'],
    ['a 401 Status during an upgrade', 'Error: UPGRADE FAILED: Unauthorized\n'],
  ])('%s: a 401 from the API server', (_name, stderr) => {
    expect(isUnauthorized(stderr)).toBe(true)
  })

  test.each([
    [
      'an OCI registry refusing a chart pull',
      'Error: failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://r.example/token: 401 Unauthorized\n',
    ],
    [
      'an unreachable endpoint',
      'Error: Kubernetes cluster unreachable: Get "https://10.0.0.1/version": dial tcp 10.0.0.1:443: i/o timeout\n',
    ],
    [
      'RBAC denying an authenticated user',
      'Error: secrets is forbidden: User "ci" cannot list resource "secrets"\n',
    ],
    ['a plain failure', 'Error: UPGRADE FAILED: timed out waiting for the condition\n'],
  ])('%s: not a 401 from the API server', (_name, stderr) => {
    expect(isUnauthorized(stderr)).toBe(false)
  })
})

const HELM_ERROR =
  'kubernetes cluster unreachable: the server has asked for the client to provide credentials'
const CLUSTER: ClusterIdentity = {
  clusterName: 'prod',
  region: 'eu-west-1',
  roleArn: 'arn:aws:iam::111122223333:role/deploy',
}

describe('explainUnauthorized', () => {
  test('names the cluster, the role and HTTP 401, and gives the access entry that lets the role in', () => {
    const error = explainUnauthorized({ cluster: CLUSTER, namespace: 'shop', helmError: HELM_ERROR })
    expect(error).toBeInstanceOf(ActionError)
    expect(error.message).toBe(
      `EKS cluster prod refused IAM role arn:aws:iam::111122223333:role/deploy (HTTP 401 Unauthorized): the cluster did not accept it as a Kubernetes user, most likely because it has no EKS access entry. helm said: ${HELM_ERROR}`,
    )
    const where =
      '--cluster-name prod --region eu-west-1 --principal-arn arn:aws:iam::111122223333:role/deploy'
    expect(error.hint).toContain(`  aws eks create-access-entry ${where}\n`)
    expect(error.hint).toContain(`  aws eks associate-access-policy ${where} \\\n`)
    expect(error.hint).toContain(
      '--policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy --access-scope type=cluster',
    )
    expect(error.hint).toContain('--access-scope type=namespace,namespaces=shop')
    expect(error.hint).toContain('aws-auth ConfigMap')
    expect(error.hint).toContain('not the assumed-role session')
  })

  test("auth skipped: the job's own credentials, and how to find their principal", () => {
    const error = explainUnauthorized({
      cluster: { ...CLUSTER, roleArn: undefined },
      namespace: 'shop',
      helmError: HELM_ERROR,
    })
    expect(error.message).toMatch(
      /^EKS cluster prod refused the IAM principal of the job's AWS credentials \(HTTP 401 Unauthorized\)/,
    )
    expect(error.hint).toContain('aws sts get-caller-identity')
    expect(error.hint).toContain('--principal-arn <principal-arn>')
  })

  test("no kubeconfig phase: the job's KUBECONFIG was refused", () => {
    const error = explainUnauthorized({ cluster: undefined, namespace: 'shop', helmError: HELM_ERROR })
    expect(error.message).toBe(
      `The Kubernetes API server refused the credentials of the job's KUBECONFIG (HTTP 401 Unauthorized). helm said: ${HELM_ERROR}`,
    )
    expect(error.hint).toContain("set 'cluster-name'")
  })
})

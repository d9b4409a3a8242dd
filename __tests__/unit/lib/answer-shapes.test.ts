import { ANSWER_SHAPES, checkAnswer } from '../../../src/lib/answer-shapes.js'
import { ActionError } from '../../../src/lib/errors.js'

const { assumedRoleArn, clusterArn, clusterEndpoint, kubernetesVersion, imageDigest, ecrHost } = ANSWER_SHAPES

describe('checkAnswer', () => {
  test.each([
    [assumedRoleArn, 'arn:aws:sts::123456789012:assumed-role/deploy/gha-octo-org.octo-repo-4242-1'],
    [assumedRoleArn, 'arn:aws-cn:sts::123456789012:assumed-role/path/deploy/s1'],
    [clusterArn, 'arn:aws:eks:eu-west-1:123456789012:cluster/prod'],
    [clusterEndpoint, 'https://ABCDEF0123.gr7.eu-west-1.eks.amazonaws.com'],
    [clusterEndpoint, 'https://127.0.0.1:17443'],
    [kubernetesVersion, '1.31'],
    [imageDigest, `sha256:${'a'.repeat(64)}`],
    [ecrHost, '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn'],
  ])('accepts %#: %s', (shape, value) => {
    expect(checkAnswer(value, shape, 'x')).toBe(value)
  })

  test.each([
    [assumedRoleArn, 'arn:aws:sts::123456789012:assumed-role/deploy/s\n::set-output name=aws-account-id::1'],
    [assumedRoleArn, 'arn:aws:iam::123456789012:role/deploy'],
    [clusterArn, 'arn:aws:eks:eu-west-1:123456789012:cluster/prod<script>'],
    [clusterEndpoint, 'http://ABC.eks.amazonaws.com'],
    [clusterEndpoint, 'https://user:pass@ABC.eks.amazonaws.com'],
    [clusterEndpoint, 'https://ABC.eks.amazonaws.com/\n::warning::x'],
    [clusterEndpoint, 'https://<img src=x>'],
    [kubernetesVersion, '1.31\n::error::x'],
    [imageDigest, 'sha256:abc'],
    [ecrHost, 'evil.example.com'],
  ])('refuses %#, quoting it escaped', (shape, value) => {
    const error = (() => {
      try {
        return checkAnswer(value, shape, "cluster.endpoint in EKS DescribeCluster's answer")
      } catch (caught) {
        return caught
      }
    })() as ActionError
    expect(error).toBeInstanceOf(ActionError)
    expect(error.message).toMatch(/^cluster\.endpoint in EKS DescribeCluster's answer is not /)
    expect(error.message).not.toContain('\n')
  })
})

import { ActionError } from './errors.js'
import { printable } from './printable.js'

/**
 * The documented shape of values the action takes from AWS answers and then prints, writes to the
 * step's outputs, the job summary or a kubeconfig. A hostile or intercepted answer holding a new
 * line, HTML or a made-up URL fails the step here instead of reaching any of those.
 */
export const ANSWER_SHAPES = {
  assumedRoleArn: {
    what: 'an assumed-role ARN (arn:aws:sts::<account>:assumed-role/<role>/<session>)',
    pattern: /^arn:aws(-[a-z]+)*:sts::\d{12}:assumed-role\/[\w+=,.@/-]{1,576}\/[\w+=,.@-]{1,64}$/,
  },
  clusterArn: {
    what: 'an EKS cluster ARN',
    pattern: /^arn:aws(-[a-z]+)*:eks:[a-z0-9-]+:\d{12}:cluster\/[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/,
  },
  clusterEndpoint: {
    what: 'an https:// URL of a host',
    pattern: /^https:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?\/?$/,
  },
  kubernetesVersion: { what: 'a Kubernetes version such as 1.31', pattern: /^\d{1,3}\.\d{1,3}(\.\d{1,3})?$/ },
  base64: { what: 'base64 data', pattern: /^[A-Za-z0-9+/=\s]+$/ },
  accountId: { what: 'a 12-digit account id', pattern: /^\d{12}$/ },
  imageDigest: { what: 'an image digest (sha256: and 64 hex digits)', pattern: /^sha256:[a-f0-9]{64}$/ },
  ecrHost: {
    what: 'an ECR registry host',
    pattern: /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/,
  },
} as const

export type AnswerShape = (typeof ANSWER_SHAPES)[keyof typeof ANSWER_SHAPES]

/** What to do about an AWS answer that lacks what AWS documents. */
export const ANSWER_HINT =
  'The answer did not come as AWS documents it: check that the endpoint the action talks to is AWS (AWS_ENDPOINT_URL*, a proxy in between), then re-run the job.'

/** `value` when it has the shape; else the step fails naming the answer and quoting what came. */
export function checkAnswer(value: string, shape: AnswerShape, source: string): string {
  if (shape.pattern.test(value)) return value
  throw new ActionError(`${source} is not ${shape.what}: '${printable(value)}'.`, {
    hint: ANSWER_HINT,
  })
}

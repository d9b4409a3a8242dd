import { startFaultProxy, type FaultProxy } from '../../__tests__/fixtures/fault-proxy.js'

const ECR_TOKEN_HOURS = 12

/**
 * A proxy for ECR that answers GetAuthorizationToken's `expiresAt` as ECR does (12 hours from now):
 * moto answers a fixed 2015-01-01 (moto/ecr/responses.py), which the action would print as it is.
 * Only ECR goes through it: the EKS token must stay signed for the STS endpoint the lab trusts.
 */
export async function startEcrExpiryProxy(target: string): Promise<FaultProxy> {
  const proxy = await startFaultProxy(target)
  proxy.inject((request) => request.operation === 'GetAuthorizationToken', {
    kind: 'answer',
    rewrite: (answer) => {
      if (answer.status !== 200) return answer
      const body = JSON.parse(answer.body.toString('utf8')) as {
        authorizationData?: { expiresAt?: number }[]
      }
      const expiresAt = Math.round(Date.now() / 1000) + ECR_TOKEN_HOURS * 3600
      for (const data of body.authorizationData ?? []) data.expiresAt = expiresAt
      return { ...answer, body: Buffer.from(JSON.stringify(body)) }
    },
  })
  return proxy
}

import os from 'node:os'
import { BENCH_REGION } from './moto-seed.js'
import { baseEnv, timeTokenPlugin, type Scenario } from './scenarios.js'

/**
 * The token plugin on a self-hosted runner whose identity is its EC2 instance profile: no AWS_* keys,
 * so it loads the SDK's credential chain and asks instance metadata (IMDSv2, a stand-in on loopback
 * serving the bench's session credentials) before signing.
 */
export const tokenAmbient: Scenario = {
  id: 'token-ambient',
  label: 'token, runner identity (IMDSv2): the same, with no AWS_* keys',
  needsCli: false,
  run: (ctx) =>
    timeTokenPlugin(ctx, {
      ...baseEnv(os.tmpdir()),
      AWS_REGION: BENCH_REGION,
      AWS_ENDPOINT_URL_STS: ctx.aws.url,
      AWS_EC2_METADATA_SERVICE_ENDPOINT: ctx.imdsUrl,
    }),
}

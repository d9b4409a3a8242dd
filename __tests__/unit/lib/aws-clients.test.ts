import http from 'node:http'
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import { createAwsClientFactory } from '../../../src/lib/aws-clients.js'
import { listenOnLoopback, type LoopbackServer } from '../../fixtures/loopback-server.js'

/**
 * The factory's `firstRequest` (action/run.ts loads the later phases' modules after it): it settles as
 * the first request of any of its clients, signed, goes to the HTTP handler, before its answer.
 */
const IDENTITY = [
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">',
  '<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ci</Arn><UserId>AIDAEXAMPLE</UserId>',
  '<Account>123456789012</Account></GetCallerIdentityResult>',
  '<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
].join('')

const CREDENTIALS = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' }

let sts: LoopbackServer
let received: string[]
/** The stand-in holds its answer until this settles. */
let answerWhen: Promise<unknown>
const previous = process.env.AWS_ENDPOINT_URL_STS

beforeEach(async () => {
  received = []
  answerWhen = Promise.resolve()
  sts = await listenOnLoopback(
    http.createServer((request, response) => {
      received.push((request.headers.authorization ?? '').split(' ')[0] ?? '')
      request.resume()
      void answerWhen.then(() => {
        response.writeHead(200, { 'content-type': 'text/xml' }).end(IDENTITY)
      })
    }),
  )
  process.env.AWS_ENDPOINT_URL_STS = sts.url
})
afterEach(async () => {
  if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_STS
  else process.env.AWS_ENDPOINT_URL_STS = previous
  await sts.stop()
})

test('firstRequest settles as the first request goes out, signed, before its answer comes back', async () => {
  const clients = createAwsClientFactory()
  let isSent = false
  void clients.firstRequest?.then(() => (isSent = true))
  const client = await clients.sts({ region: 'us-east-1', credentials: CREDENTIALS })
  await new Promise((resolve) => setImmediate(resolve))
  expect(isSent).toBe(false)
  // The stand-in answers only once firstRequest has settled: a firstRequest that waited for the
  // answer would never settle.
  answerWhen = clients.firstRequest ?? Promise.reject(new Error('no firstRequest'))
  const identity = await client.send(new GetCallerIdentityCommand({}))
  expect(identity.Account).toBe('123456789012')
  expect(isSent).toBe(true)
  expect(received).toEqual(['AWS4-HMAC-SHA256'])
})

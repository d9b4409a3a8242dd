// Captures `aws eks get-token` answers for fixed example credentials into
// __tests__/fixtures/aws-cli-tokens.json, the known vectors of the eks-token unit tests.
// Run it where the AWS CLI is installed: node scripts/capture-aws-cli-tokens.mjs
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const EXAMPLE = {
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
}
const cases = [
  {
    name: 'session token, AWS_ENDPOINT_URL_STS (moto)',
    cluster: 'my-cluster',
    env: {
      ...EXAMPLE,
      AWS_SESSION_TOKEN: 'FQoGZXIvYXdzE/example+session=token',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:5999',
    },
  },
  {
    name: 'long-term key, regional endpoint',
    cluster: 'prod_cluster-2',
    env: { ...EXAMPLE, AWS_DEFAULT_REGION: 'us-east-1' },
  },
  {
    name: 'China partition',
    cluster: 'c1',
    env: { ...EXAMPLE, AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjE*(!)~', AWS_DEFAULT_REGION: 'cn-north-1' },
  },
  {
    name: 'AWS_ENDPOINT_URL (all services), https with a port',
    cluster: 'lab',
    env: { ...EXAMPLE, AWS_DEFAULT_REGION: 'ap-southeast-2', AWS_ENDPOINT_URL: 'https://localhost:4566' },
  },
]

const home = mkdtempSync(path.join(os.tmpdir(), 'aws-cli-home-'))
try {
  const vectors = cases.map(({ name, cluster, env }) => {
    const output = execFileSync('aws', ['eks', 'get-token', '--cluster-name', cluster, '--output', 'json'], {
      env: { PATH: process.env.PATH, HOME: home, ...env },
      encoding: 'utf8',
    })
    return { name, cluster, env, execCredential: JSON.parse(output) }
  })
  const version = execFileSync('aws', ['--version'], { encoding: 'utf8' }).trim()
  const file = path.join(import.meta.dirname, '..', '__tests__', 'fixtures', 'aws-cli-tokens.json')
  writeFileSync(file, `${JSON.stringify({ capturedWith: version, vectors }, null, 2)}\n`)
  console.log(`wrote ${vectors.length} vectors to ${file} (${version})`)
} finally {
  rmSync(home, { recursive: true, force: true })
}

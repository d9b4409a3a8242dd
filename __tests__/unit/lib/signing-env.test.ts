import { buildSigningEnv } from '../../../src/lib/signing-env.js'

const JOB_ENV = {
  PATH: '/usr/bin',
  AWS_ACCESS_KEY_ID: 'AKIAJOB',
  AWS_SECRET_ACCESS_KEY: 'job-secret',
  AWS_SESSION_TOKEN: 'job-session',
  AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:5000',
  AWS_ENDPOINT_URL: '',
}

describe('buildSigningEnv', () => {
  test('the auth credentials replace the job ones; region and STS endpoint are passed on', () => {
    const env = buildSigningEnv({
      env: JOB_ENV,
      credentials: {
        accessKeyId: 'ASIANEW',
        secretAccessKey: 'new-secret',
        sessionToken: 'new-session',
        expiration: new Date('2030-01-01T00:00:00Z'),
      },
      region: 'eu-west-1',
    })
    expect(env).toEqual({
      AWS_ACCESS_KEY_ID: 'ASIANEW',
      AWS_SECRET_ACCESS_KEY: 'new-secret',
      AWS_SESSION_TOKEN: 'new-session',
      AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00.000Z',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:5000',
    })
  })

  test('keys without a session token blank out a stale AWS_SESSION_TOKEN of the job', () => {
    const env = buildSigningEnv({
      env: JOB_ENV,
      credentials: { accessKeyId: 'AKIAUSER', secretAccessKey: 'user-secret' },
      region: 'us-east-1',
    })
    expect({ ...JOB_ENV, ...env }).toMatchObject({
      AWS_ACCESS_KEY_ID: 'AKIAUSER',
      AWS_SESSION_TOKEN: '',
      AWS_CREDENTIAL_EXPIRATION: '',
    })
  })

  test('ambient credentials (auth skipped): the job values are passed on as they are', () => {
    const env = buildSigningEnv({ env: JOB_ENV, credentials: undefined, region: 'us-east-1' })
    expect(env).toMatchObject({
      AWS_ACCESS_KEY_ID: 'AKIAJOB',
      AWS_SECRET_ACCESS_KEY: 'job-secret',
      AWS_SESSION_TOKEN: 'job-session',
      AWS_CREDENTIAL_EXPIRATION: '',
    })
    expect(env).not.toHaveProperty('PATH')
  })
})

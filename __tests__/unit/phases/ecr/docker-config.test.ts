import {
  mergeDockerConfig,
  registryHostname,
  userDockerConfigDir,
} from '../../../../src/phases/ecr/docker-config.js'

const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
const OTHER = '999999999999.dkr.ecr.us-east-1.amazonaws.com'
const login = { host: HOST, auth: 'QVdTOnNlY3JldA==' }

describe('mergeDockerConfig', () => {
  test.each<[string, unknown]>([
    ['no config', undefined],
    ['an empty object', {}],
    ['not an object', ['auths']],
    ['null', null],
  ])('%s: only our entry', (_label, existing) => {
    expect(mergeDockerConfig(existing, [login])).toEqual({
      config: { auths: { [HOST]: { auth: login.auth } } },
      droppedCredsStore: undefined,
      droppedCredHelpers: [],
    })
  })

  test('keeps other auths and other settings, replaces ours (any spelling of the host)', () => {
    const existing = {
      auths: {
        'ghcr.io': { auth: 'Z2hjcg==' },
        [`https://${HOST}`]: { auth: 'b2xk' },
        [HOST.toUpperCase()]: { auth: 'b2xk' },
        [HOST]: { auth: 'b2xk', identitytoken: 'x' },
      },
      proxies: { default: { httpProxy: 'http://proxy:3128' } },
      psFormat: 'table {{.ID}}',
    }
    const { config } = mergeDockerConfig(existing, [login])
    expect(config).toEqual({
      auths: { 'ghcr.io': { auth: 'Z2hjcg==' }, [HOST]: { auth: login.auth } },
      proxies: { default: { httpProxy: 'http://proxy:3128' } },
      psFormat: 'table {{.ID}}',
    })
  })

  test('credsStore is dropped; the registries it held keep working through credHelpers', () => {
    const existing = {
      auths: { 'https://index.docker.io/v1/': {}, 'ghcr.io': { auth: 'Z2hjcg==' }, [HOST]: {} },
      credsStore: 'desktop',
    }
    expect(mergeDockerConfig(existing, [login])).toEqual({
      config: {
        auths: {
          'https://index.docker.io/v1/': {},
          'ghcr.io': { auth: 'Z2hjcg==' },
          [HOST]: { auth: login.auth },
        },
        credHelpers: { 'https://index.docker.io/v1/': 'desktop' },
      },
      droppedCredsStore: 'desktop',
      droppedCredHelpers: [],
    })
  })

  test('credHelpers for our registries are dropped, others kept (and they beat credsStore routing)', () => {
    const existing = {
      auths: { 'quay.io': {} },
      credsStore: 'pass',
      credHelpers: { [HOST]: 'ecr-login', [OTHER]: 'ecr-login', 'quay.io': 'secretservice' },
    }
    const merged = mergeDockerConfig(existing, [login])
    expect(merged.config).toEqual({
      auths: { 'quay.io': {}, [HOST]: { auth: login.auth } },
      credHelpers: { [OTHER]: 'ecr-login', 'quay.io': 'secretservice' },
    })
    expect(merged.droppedCredHelpers).toEqual([HOST])
    expect(merged.droppedCredsStore).toBe('pass')
  })

  test('credHelpers that only named our registries disappear', () => {
    const { config } = mergeDockerConfig({ credHelpers: { [HOST]: 'ecr-login' } }, [login])
    expect(config).toEqual({ auths: { [HOST]: { auth: login.auth } } })
  })

  test('several logins', () => {
    const { config } = mergeDockerConfig({}, [login, { host: OTHER, auth: 'b3RoZXI=' }])
    expect(config.auths).toEqual({ [HOST]: { auth: login.auth }, [OTHER]: { auth: 'b3RoZXI=' } })
  })

  test('does not modify the object it was given', () => {
    const existing = { auths: { [HOST]: { auth: 'b2xk' } }, credsStore: 'desktop' }
    const copy = structuredClone(existing)
    mergeDockerConfig(existing, [login])
    expect(existing).toEqual(copy)
  })
})

describe('registryHostname', () => {
  test.each([
    ['https://index.docker.io/v1/', 'index.docker.io'],
    ['GHCR.io', 'ghcr.io'],
    [`http://${HOST}/v2/`, HOST],
    ['localhost:5000', 'localhost:5000'],
  ])('%p', (key, expected) => {
    expect(registryHostname(key)).toBe(expected)
  })
})

describe('userDockerConfigDir', () => {
  test.each<[Record<string, string>, string | undefined]>([
    [{ DOCKER_CONFIG: '/cfg', HOME: '/home/runner' }, '/cfg'],
    [{ DOCKER_CONFIG: ' ', HOME: '/home/runner' }, '/home/runner/.docker'],
    [{ HOME: '/home/runner' }, '/home/runner/.docker'],
    [{}, undefined],
  ])('%p', (env, expected) => {
    expect(userDockerConfigDir(env)).toBe(expected)
  })
})

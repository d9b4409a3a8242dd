import { parseHelmVersion } from '../../../src/helm/version.js'

describe('parseHelmVersion', () => {
  test.each([
    ['v4.1.4', { text: 'v4.1.4', major: 4, minor: 1, patch: 4 }],
    ['v3.17.3+ge4da497', { text: 'v3.17.3', major: 3, minor: 17, patch: 3 }],
    ['v4.0.0-rc.1+g1234567\n', { text: 'v4.0.0-rc.1', major: 4, minor: 0, patch: 0 }],
    [
      'version.BuildInfo{Version:"v3.2.1", GitCommit:"fe51cd1", GitTreeState:"clean", GoVersion:"go1.13.10"}',
      { text: 'v3.2.1', major: 3, minor: 2, patch: 1 },
    ],
    ['Client: &version.Version{SemVer:"v2.16.1"}', { text: 'v2.16.1', major: 2, minor: 16, patch: 1 }],
  ])('%j', (output, expected) => {
    expect(parseHelmVersion(output)).toEqual(expected)
  })

  test.each(['', 'helm', 'command not found', 'v4.1'])('%j is not a version', (output) => {
    expect(parseHelmVersion(output)).toBeUndefined()
  })
})

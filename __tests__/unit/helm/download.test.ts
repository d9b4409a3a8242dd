import { ActionError } from '../../../src/lib/errors.js'
import { helmDownload, helmPlatform, parseChecksumFile } from '../../../src/helm/download.js'

describe('helmPlatform', () => {
  test.each([
    ['linux', 'x64', { os: 'linux', arch: 'amd64', archive: 'tar.gz', binary: 'helm' }],
    ['linux', 'arm64', { os: 'linux', arch: 'arm64', archive: 'tar.gz', binary: 'helm' }],
    ['darwin', 'arm64', { os: 'darwin', arch: 'arm64', archive: 'tar.gz', binary: 'helm' }],
    ['darwin', 'x64', { os: 'darwin', arch: 'amd64', archive: 'tar.gz', binary: 'helm' }],
    ['win32', 'x64', { os: 'windows', arch: 'amd64', archive: 'zip', binary: 'helm.exe' }],
    ['win32', 'arm64', { os: 'windows', arch: 'arm64', archive: 'zip', binary: 'helm.exe' }],
  ])('%s/%s', (platform, arch, expected) => {
    expect(helmPlatform(platform, arch)).toEqual(expected)
  })

  test.each([
    ['linux', 'ia32'],
    ['freebsd', 'x64'],
  ])('%s/%s has no download and says how to use a helm of your own', (platform, arch) => {
    const error = (() => {
      try {
        helmPlatform(platform, arch)
      } catch (thrown) {
        return thrown as ActionError
      }
      throw new Error('no error')
    })()
    expect(error).toBeInstanceOf(ActionError)
    expect(error.message).toContain(`${platform}/${arch}`)
    expect(error.hint).toContain('helm-version: system')
  })
})

describe('helmDownload', () => {
  test.each([
    [
      'https://get.helm.sh',
      'v4.1.4',
      helmPlatform('linux', 'x64'),
      'https://get.helm.sh/helm-v4.1.4-linux-amd64.tar.gz',
      'linux-amd64',
    ],
    [
      'https://mirror.example.com/helm/',
      'v3.17.3',
      helmPlatform('darwin', 'arm64'),
      'https://mirror.example.com/helm/helm-v3.17.3-darwin-arm64.tar.gz',
      'darwin-arm64',
    ],
    [
      'http://127.0.0.1:8080',
      'v4.1.4',
      helmPlatform('win32', 'x64'),
      'http://127.0.0.1:8080/helm-v4.1.4-windows-amd64.zip',
      'windows-amd64',
    ],
  ])('%s %s', (mirror, version, platform, archiveUrl, innerDir) => {
    const download = helmDownload(mirror, version, platform)
    expect(download.archiveUrl).toBe(archiveUrl)
    expect(download.checksumUrl).toBe(`${archiveUrl}.sha256sum`)
    expect(download.archiveName).toBe(archiveUrl.split('/').pop())
    expect(download.innerDir).toBe(innerDir)
  })
})

describe('parseChecksumFile', () => {
  const download = helmDownload('https://get.helm.sh', 'v4.1.4', helmPlatform('linux', 'x64'))
  const hex = 'AB'.repeat(32)

  test.each([
    ['sha256sum format', `${hex}  helm-v4.1.4-linux-amd64.tar.gz\n`],
    ['binary mode', `${hex} *helm-v4.1.4-linux-amd64.tar.gz`],
    ['bare hex', `${hex}\n`],
  ])('%s', (_name, text) => {
    expect(parseChecksumFile(text, download)).toBe(hex.toLowerCase())
  })

  test('a file for another archive is refused', () => {
    expect(() => parseChecksumFile(`${hex}  helm-v4.1.3-linux-amd64.tar.gz`, download)).toThrow(
      /checksum of helm-v4.1.3-linux-amd64.tar.gz, not of helm-v4.1.4-linux-amd64.tar.gz/,
    )
  })

  test.each(['', '<html>Not Found</html>', 'abc123  helm-v4.1.4-linux-amd64.tar.gz'])(
    '%j is not a checksum, and the error names the URL',
    (text) => {
      expect(() => parseChecksumFile(text, download)).toThrow(
        'https://get.helm.sh/helm-v4.1.4-linux-amd64.tar.gz.sha256sum does not hold a SHA-256 checksum.',
      )
    },
  )
})

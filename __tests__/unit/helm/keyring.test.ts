import { promises as fs } from 'node:fs'
import path from 'node:path'
import { ROOT } from '../../fixtures/action-runner.js'
import { dearmorKeyring, KeyringProblem, readKeyring } from '../../../src/helm/keyring.js'

// Exported by gpg 2.2.40 (gpg --export / --export --armor) from keys made for these tests.
const DIR = path.join(ROOT, '__tests__', 'fixtures', 'keyrings')
const read = (name: string) => fs.readFile(path.join(DIR, name))
const RSA = {
  fingerprint: '58233BEE3999FEE656D824096CCDA9F499B5D92C',
  userId: 'Chart Signer <charts@example.com>',
}

describe('readKeyring', () => {
  test("a binary keyring (gpg --export) as it is, with its key's fingerprint and user ID", async () => {
    const bytes = await read('chart-signer.gpg')
    const keyring = readKeyring(bytes)
    expect(keyring.bytes.equals(bytes)).toBe(true)
    expect(keyring.keys).toEqual([{ ...RSA, algorithm: 1 }])
  })

  test('an armored key (gpg --export --armor) becomes the bytes gpg --export writes', async () => {
    const keyring = readKeyring(await read('chart-signer.asc'))
    expect(keyring.bytes.equals(await read('chart-signer.gpg'))).toBe(true)
    expect(readKeyring(await read('ed25519-signer.gpg')).keys[0]?.algorithm).toBe(22)
  })

  test('two armored blocks, as gpg --import takes them, make one keyring of both keys', async () => {
    const armored = (await read('chart-signer.asc')).toString()
    const keyring = dearmorKeyring(`${armored}\n${armored}`)
    expect(keyring.keys.map((key) => key.fingerprint)).toEqual([RSA.fingerprint, RSA.fingerprint])
  })

  const problem = (run: () => unknown): string => {
    try {
      run()
    } catch (error) {
      if (error instanceof KeyringProblem) return error.message
      throw error
    }
    return 'no problem'
  }

  test.each<[string, () => Promise<Buffer>, RegExp]>([
    [
      'a GnuPG keybox (pubring.kbx)',
      () =>
        Promise.resolve(
          Buffer.concat([Buffer.from([0, 0, 0, 32, 1, 1, 0, 2]), Buffer.from('KBXf'), Buffer.alloc(20)]),
        ),
      /keybox \(pubring\.kbx\), which helm cannot read: export the public key with gpg --export/,
    ],
    [
      'text that is no key',
      () => Promise.resolve(Buffer.from('not a key\n')),
      /neither a binary OpenPGP keyring nor an armored key/,
    ],
    [
      'a keyring cut short',
      async () => (await read('chart-signer.gpg')).subarray(0, 100),
      /cut short or damaged/,
    ],
    [
      'a secret key (its first packet tagged 5)',
      async () => Buffer.concat([Buffer.from([0x95]), (await read('chart-signer.gpg')).subarray(1)]),
      /not an OpenPGP public keyring/,
    ],
    [
      'an armored private key block',
      () =>
        Promise.resolve(
          Buffer.from('-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQ==\n-----END PGP PRIVATE KEY BLOCK-----\n'),
        ),
      /private key block .*give only the public key/,
    ],
    [
      'an armored key whose checksum does not match (one character changed)',
      async () =>
        Buffer.from(
          (await read('chart-signer.asc'))
            .toString()
            .replace(/\n([A-Za-z0-9+/])/, (_m, c: string) => `\n${c === 'A' ? 'B' : 'A'}`),
        ),
      /checksum does not match/,
    ],
  ])('refused: %s', async (_name, bytes, message) => {
    const input = await bytes()
    expect(problem(() => readKeyring(input))).toMatch(message)
  })
})

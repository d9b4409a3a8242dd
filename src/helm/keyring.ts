import crypto from 'node:crypto'

/**
 * The keyring helm's --verify reads: Helm 3.17 and 4.1 load only a binary OpenPGP packet stream (what
 * `gpg --export` writes, the legacy pubring.gpg). An ASCII-armored key (`gpg --export --armor`) or
 * GnuPG 2.1's keybox (pubring.kbx) fails there with "openpgp: invalid data: tag byte does not have MSB
 * set" (helm/helm#2843), so an armored key is converted here and a keybox refused with the command.
 * RFC 9580 (packets 4.2, armor 6), checked against gpg 2.2.40.
 */
export interface Keyring {
  /** The binary keyring, as `gpg --export` writes it. */
  readonly bytes: Buffer
  /** Its primary keys, for the log and a refusal. */
  readonly keys: readonly KeyringKey[]
}

interface KeyringKey {
  /** Hex fingerprint (v4: 40 digits), or the key's version when it has none this reads. */
  readonly fingerprint: string
  /** The first user ID (`Name <email>`), or '' when the key has none. */
  readonly userId: string
  /** OpenPGP's public-key algorithm number (1 RSA, 17 DSA, 22 EdDSA, 27 Ed25519, ...). */
  readonly algorithm: number
}

/** A keyring that cannot be used, with what to do: the reader names the input. */
export class KeyringProblem extends Error {}

const TAG = { secretKey: 5, publicKey: 6, secretSubkey: 7, userId: 13 } as const
const BLOCK = /-----BEGIN PGP ([A-Z ]+)-----\r?\n([\s\S]*?)-----END PGP \1-----/g
const EXPORT_HINT = 'export the public key with gpg --export <key id> > chart-keyring.gpg (or --armor)'

/** Whether the text is (or holds) an ASCII-armored OpenPGP block. */
export function isArmored(text: string): boolean {
  return /-----BEGIN PGP /.test(text)
}

/** The keyring of a file's bytes: binary, or armored text. */
export function readKeyring(bytes: Buffer): Keyring {
  if (bytes.subarray(8, 12).toString('latin1') === 'KBXf')
    throw new KeyringProblem(
      `is a GnuPG keybox (pubring.kbx), which helm cannot read: ${EXPORT_HINT}, and give that file.`,
    )
  const text = bytes.toString('latin1')
  if (isArmored(text)) return dearmorKeyring(text)
  return { bytes, keys: keysOf(bytes) }
}

/** The binary keyring of one or more armored public key blocks (concatenated, as gpg --import takes them). */
export function dearmorKeyring(text: string): Keyring {
  const parts: Buffer[] = []
  for (const [, kind = '', body = ''] of text.matchAll(BLOCK)) {
    if (kind.includes('PRIVATE') || kind.includes('SECRET'))
      throw new KeyringProblem(
        `holds a private key block (${kind}): give only the public key (gpg --export --armor <key id>), and rotate the key if the private one was ever committed.`,
      )
    if (kind !== 'PUBLIC KEY BLOCK')
      throw new KeyringProblem(`holds a ${kind} block, not a PGP PUBLIC KEY BLOCK: ${EXPORT_HINT}.`)
    parts.push(armorBody(body))
  }
  if (parts.length === 0)
    throw new KeyringProblem(
      'has a -----BEGIN PGP line but no complete PUBLIC KEY BLOCK (-----BEGIN/-----END lines): paste the whole output of gpg --export --armor <key id>.',
    )
  const bytes = Buffer.concat(parts)
  return { bytes, keys: keysOf(bytes) }
}

/** The data of an armored block: armor headers, then base64 lines, then an optional `=` CRC-24 line. */
function armorBody(body: string): Buffer {
  const lines = body.split(/\r?\n/).map((line) => line.trim())
  const blank = lines.indexOf('')
  // Armor headers (Version:, Comment:) end at the first blank line; without headers it may be missing.
  const data = lines.slice(lines.slice(0, blank).some((line) => /^[\w-]+: /.test(line)) ? blank + 1 : 0)
  const checksum = data.find((line) => /^=[A-Za-z0-9+/]{4}$/.test(line))
  const base64 = data.filter((line) => line !== '' && line !== checksum).join('')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0)
    throw new KeyringProblem(
      'holds an armored block whose body is not base64: paste the key block unchanged.',
    )
  const bytes = Buffer.from(base64, 'base64')
  if (checksum !== undefined && Buffer.from(checksum.slice(1), 'base64').readUIntBE(0, 3) !== crc24(bytes))
    throw new KeyringProblem(
      'holds an armored block whose checksum does not match its body: it was changed or cut when it was copied; paste the key block unchanged.',
    )
  return bytes
}

// RFC 9580 6.1: CRC-24 with generator 0x864CFB, initialised to 0xB704CE.
function crc24(bytes: Buffer): number {
  let crc = 0xb704ce
  for (const byte of bytes) {
    crc ^= byte << 16
    for (let bit = 0; bit < 8; bit++) {
      crc <<= 1
      if (crc & 0x1000000) crc ^= 0x1864cfb
    }
  }
  return crc & 0xffffff
}

interface Packet {
  readonly tag: number
  readonly body: Buffer
}

/** The primary keys of a binary keyring; a stream that is no keyring, or holds a secret key, is refused. */
function keysOf(bytes: Buffer): KeyringKey[] {
  const packets = readPackets(bytes)
  if (packets[0]?.tag !== TAG.publicKey)
    throw new KeyringProblem(
      `is not an OpenPGP public keyring (it does not start with a public key): ${EXPORT_HINT}.`,
    )
  if (packets.some(({ tag }) => tag === TAG.secretKey || tag === TAG.secretSubkey))
    throw new KeyringProblem(
      'holds a secret key: give only the public key (gpg --export <key id>), and rotate the key if the secret one was ever committed.',
    )
  const keys: KeyringKey[] = []
  for (const packet of packets) {
    if (packet.tag === TAG.publicKey) keys.push(describeKey(packet.body))
    else if (packet.tag === TAG.userId && keys.at(-1)?.userId === '') {
      const key = keys.pop()
      if (key !== undefined) keys.push({ ...key, userId: packet.body.toString('utf8') })
    }
  }
  return keys
}

function describeKey(body: Buffer): KeyringKey {
  const version = body[0] ?? 0
  if (version === 4) {
    const header = Buffer.from([0x99, body.length >> 8, body.length & 0xff])
    const fingerprint = crypto.createHash('sha1').update(header).update(body).digest('hex').toUpperCase()
    return { fingerprint, userId: '', algorithm: body[5] ?? 0 }
  }
  return { fingerprint: `(a version ${version} key)`, userId: '', algorithm: body[5] ?? 0 }
}

/** The packets of a binary stream (old and new header formats); anything else is refused. */
function readPackets(bytes: Buffer): Packet[] {
  const packets: Packet[] = []
  let at = 0
  while (at < bytes.length) {
    const header = bytes[at] ?? 0
    if ((header & 0x80) === 0)
      throw new KeyringProblem(`is neither a binary OpenPGP keyring nor an armored key: ${EXPORT_HINT}.`)
    const isNew = (header & 0x40) !== 0
    const tag = isNew ? header & 0x3f : (header >> 2) & 0x0f
    const length = isNew ? newLength(bytes, at + 1) : oldLength(bytes, at + 1, header & 0x03)
    const start = at + 1 + length.size
    if (length.value === undefined || start + length.value > bytes.length)
      throw new KeyringProblem(`is cut short or damaged (packet at byte ${at}): ${EXPORT_HINT}.`)
    packets.push({ tag, body: bytes.subarray(start, start + length.value) })
    at = start + length.value
  }
  return packets
}

type Length = { readonly value: number | undefined; readonly size: number }

function oldLength(bytes: Buffer, at: number, type: number): Length {
  if (type === 0) return { value: bytes[at], size: 1 }
  if (type === 1) return { value: at + 2 <= bytes.length ? bytes.readUInt16BE(at) : undefined, size: 2 }
  if (type === 2) return { value: at + 4 <= bytes.length ? bytes.readUInt32BE(at) : undefined, size: 4 }
  return { value: undefined, size: 0 }
}

// Partial body lengths (224..254) never occur in key material.
function newLength(bytes: Buffer, at: number): Length {
  const first = bytes[at]
  if (first === undefined) return { value: undefined, size: 1 }
  if (first < 192) return { value: first, size: 1 }
  if (first < 224) {
    const second = bytes[at + 1]
    return { value: second === undefined ? undefined : ((first - 192) << 8) + second + 192, size: 2 }
  }
  if (first === 255)
    return { value: at + 5 <= bytes.length ? bytes.readUInt32BE(at + 1) : undefined, size: 5 }
  return { value: undefined, size: 1 }
}

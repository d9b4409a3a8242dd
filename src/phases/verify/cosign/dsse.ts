// DSSE envelopes and in-toto statements of cosign v3 bundles (https://github.com/secure-systems-lab/dsse).

export interface Envelope {
  readonly payloadType: string
  readonly payload: Buffer
  readonly signatures: readonly Buffer[]
}

/** The DSSE envelope of a bundle; undefined when it holds none. */
export function dsseEnvelope(json: unknown): Envelope | undefined {
  const envelope = (
    json as { dsseEnvelope?: { payloadType?: unknown; payload?: unknown; signatures?: unknown } } | null
  )?.dsseEnvelope
  if (typeof envelope?.payload !== 'string' || !Array.isArray(envelope.signatures)) return undefined
  return {
    payloadType: typeof envelope.payloadType === 'string' ? envelope.payloadType : '',
    payload: Buffer.from(envelope.payload, 'base64'),
    signatures: (envelope.signatures as { sig?: unknown }[]).map((sig) =>
      Buffer.from(typeof sig.sig === 'string' ? sig.sig : '', 'base64'),
    ),
  }
}

/** DSSE's pre-authentication encoding: what the signature covers (https://github.com/secure-systems-lab/dsse/blob/master/protocol.md). */
export function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8')
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `),
    type,
    Buffer.from(` ${payload.length} `),
    payload,
  ])
}

/** The predicate type and subject digests of an in-toto statement; undefined when it is none. */
export function parseStatement(payload: Buffer):
  | {
      predicateType: string
      subjects: { sha256: string | undefined }[]
    }
  | undefined {
  try {
    const parsed = JSON.parse(payload.toString('utf8')) as { predicateType?: unknown; subject?: unknown }
    const subjects = Array.isArray(parsed.subject)
      ? (parsed.subject as { digest?: { sha256?: unknown } }[])
      : []
    return {
      predicateType: typeof parsed.predicateType === 'string' ? parsed.predicateType : '',
      subjects: subjects.map((subject) => ({
        sha256: typeof subject.digest?.sha256 === 'string' ? subject.digest.sha256 : undefined,
      })),
    }
  } catch {
    return undefined
  }
}

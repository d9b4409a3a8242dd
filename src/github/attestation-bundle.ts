import http from 'node:http'
import https from 'node:https'
import { uncompress } from 'snappyjs'
import { ActionError, messageOf } from '../lib/errors.js'
import { printable } from '../lib/printable.js'

// A Sigstore bundle is a few kilobytes; these bounds keep a hostile link from filling the runner's
// memory (the declared length of a snappy block is checked before it is decoded).
const MAX_BYTES = 8 * 1024 * 1024
const REQUEST_TIMEOUT_MS = 30_000

/**
 * The Sigstore bundle an attestation only links (`bundle_url`), as `gh attestation verify` fetches it:
 * a plain GET (the link is its own authorization: GitHub's token is not sent to the blob store), the
 * body snappy-compressed JSON (snappy's block format; plain JSON is read as it is).
 */
export async function fetchLinkedBundle(url: string): Promise<unknown> {
  const where = linkOf(url)
  let body: Buffer
  try {
    body = await getBounded(new URL(url))
  } catch (error) {
    throw new ActionError(`Could not fetch an attestation's bundle from ${where}: ${messageOf(error)}`, {
      cause: error,
      hint: "GitHub listed the attestation with a link to its bundle, which did not answer: its links are short-lived, so re-run the job; if it persists, check the runner's network path to GitHub's blob storage.",
    })
  }
  try {
    const text = isJson(body)
      ? body.toString('utf8')
      : Buffer.from(uncompress(body, MAX_BYTES)).toString('utf8')
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new ActionError(
      `The attestation bundle from ${where} is neither snappy-compressed JSON nor JSON: ${messageOf(error)}`,
      {
        cause: error,
        hint: 'The link did not serve a Sigstore bundle: check that the endpoint the action talks to is GitHub (GITHUB_API_URL, a proxy in between), then re-run the job.',
      },
    )
  }
}

/** Host and path only: the query of a pre-signed link is its credential. */
function linkOf(url: string): string {
  try {
    const parsed = new URL(url)
    return printable(`${parsed.protocol}//${parsed.host}${parsed.pathname}`)
  } catch {
    return '(a link that is not a URL)'
  }
}

function isJson(body: Buffer): boolean {
  const first = body.find((byte) => byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09)
  return first === 0x7b
}

function getBounded(url: URL): Promise<Buffer> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return Promise.reject(new Error(`unsupported protocol ${url.protocol}`))
  const get = url.protocol === 'https:' ? https.get : http.get
  return new Promise((resolve, reject) => {
    const request = get(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }, (response) => {
      const status = response.statusCode ?? 0
      if (status < 200 || status >= 300) {
        response.resume()
        reject(new Error(`HTTP ${status}`))
        return
      }
      const chunks: Buffer[] = []
      let size = 0
      response.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > MAX_BYTES) {
          request.destroy(new Error(`the body is larger than ${MAX_BYTES} bytes`))
          return
        }
        chunks.push(chunk)
      })
      response.on('error', reject)
      response.on('end', () => {
        resolve(Buffer.concat(chunks))
      })
    })
    request.on('error', reject)
  })
}

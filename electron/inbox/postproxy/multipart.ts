// multipart/form-data encoded by hand rather than with FormData: fetch picks a fresh random boundary
// for every FormData it sends, so each retry of an upload would carry different bytes, and a server
// that fingerprints the body under an Idempotency-Key would answer "same key, different body" (422).
// Encoding once per call with one boundary makes every attempt byte-identical.
import { randomUUID } from 'node:crypto'

export interface MultipartTextPart {
  name: string
  value: string
}

export interface MultipartFilePart {
  name: string
  filename: string
  mime: string
  bytes: Uint8Array
}

export type MultipartPart = MultipartTextPart | MultipartFilePart

export interface EncodedMultipart {
  contentType: string
  body: Uint8Array
}

/** Quoted-string escaping as browsers do it for form-data names (WHATWG HTML, multipart/form-data). */
function escapeQuoted(value: string): string {
  return value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22')
}

function headerSafe(value: string): string {
  return value.replace(/[\r\n]/g, '')
}

export function encodeMultipart(parts: readonly MultipartPart[], boundary = `dmdesk-${randomUUID()}`): EncodedMultipart {
  const chunks: Uint8Array[] = []
  const text = (s: string) => chunks.push(Buffer.from(s, 'utf8'))
  for (const part of parts) {
    text(`--${boundary}\r\n`)
    if ('bytes' in part) {
      text(
        `Content-Disposition: form-data; name="${escapeQuoted(part.name)}"; filename="${escapeQuoted(part.filename)}"\r\n` +
          `Content-Type: ${headerSafe(part.mime) || 'application/octet-stream'}\r\n\r\n`
      )
      chunks.push(part.bytes)
    } else {
      text(`Content-Disposition: form-data; name="${escapeQuoted(part.name)}"\r\n\r\n${part.value}`)
    }
    text('\r\n')
  }
  text(`--${boundary}--\r\n`)
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) }
}

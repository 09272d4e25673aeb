// Postproxy webhook signatures (POSTPROXY.md §6):
//   X-Postproxy-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>
// Pure: the caller supplies the exact bytes received and the time to judge freshness against. Through the
// relay that time is the relay's `received_at`, not now (RELAY.md): an event that waited days in the relay
// is still genuine, while a captured request re-POSTed later gets a new `received_at` and fails.
import { createHmac, timingSafeEqual } from 'node:crypto'

export const DEFAULT_SIGNATURE_TOLERANCE_SEC = 300

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/
const UNIX_SECONDS = /^\d{1,12}$/

export type SignatureFailureReason = 'missing' | 'malformed' | 'mismatch' | 'stale'

export type ParsedSignatureHeader =
  | { ok: true; /** Exactly as sent: the signed string uses these characters. */ timestampText: string; timestamp: number; v1: string[] }
  | { ok: false; reason: 'missing' | 'malformed' }

/** Splits on `,` then on the first `=`. Needs one integer `t` and at least one 64-hex `v1`; other keys are ignored. */
export function parseSignatureHeader(header: string | null | undefined): ParsedSignatureHeader {
  if (header == null || header.trim() === '') return { ok: false, reason: 'missing' }
  let timestampText: string | undefined
  const v1: string[] = []
  for (const part of header.split(',')) {
    const separator = part.indexOf('=')
    if (separator < 0) continue
    const key = part.slice(0, separator).trim()
    const value = part.slice(separator + 1).trim()
    if (key === 't') {
      if (timestampText !== undefined) return { ok: false, reason: 'malformed' }
      timestampText = value
    } else if (key === 'v1') {
      if (!HEX_SHA256.test(value)) return { ok: false, reason: 'malformed' }
      v1.push(value)
    }
  }
  if (timestampText === undefined || !UNIX_SECONDS.test(timestampText) || v1.length === 0) {
    return { ok: false, reason: 'malformed' }
  }
  return { ok: true, timestampText, timestamp: Number(timestampText), v1 }
}

function bodyBytes(rawBody: Uint8Array | string): Buffer {
  return typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength)
}

function signatureDigest(secret: string, timestampText: string, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestampText}.`, 'utf8').update(body).digest()
}

/** The hex `v1` Postproxy sends for this secret, timestamp and body (for simulators and tests). */
export function computePostproxySignature(secret: string, timestamp: number | string, rawBody: Uint8Array | string): string {
  return signatureDigest(secret, String(timestamp), bodyBytes(rawBody)).toString('hex')
}

/** A complete header value, `t=…,v1=…`. */
export function postproxySignatureHeader(secret: string, timestamp: number, rawBody: Uint8Array | string): string {
  return `t=${timestamp},v1=${computePostproxySignature(secret, timestamp, rawBody)}`
}

export interface VerifySignatureInput {
  header: string | null | undefined
  /** The exact bytes received; a string is taken as UTF-8. */
  rawBody: Uint8Array | string
  /** Every secret currently valid (several during rotation). */
  secrets: readonly string[]
  /** The relay's `received_at` in ms. Takes precedence over `now`. */
  referenceTimeMs?: number
  /** Wall clock in ms when there is no reference time; null skips the freshness check. Default Date.now(). */
  now?: number | null
  toleranceSec?: number
}

export type VerifySignatureResult = { ok: true; timestamp: number } | { ok: false; reason: SignatureFailureReason }

export function verifyPostproxySignature(input: VerifySignatureInput): VerifySignatureResult {
  const parsed = parseSignatureHeader(input.header)
  if (!parsed.ok) return parsed

  const body = bodyBytes(input.rawBody)
  const received = parsed.v1.map((hex) => Buffer.from(hex, 'hex'))
  let matched = false
  // Every pair is compared, so timing does not reveal which secret or which v1 matched.
  for (const secret of input.secrets) {
    if (secret.length === 0) continue
    const expected = signatureDigest(secret, parsed.timestampText, body)
    for (const candidate of received) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true
    }
  }
  if (!matched) return { ok: false, reason: 'mismatch' }

  // Judged only once the signature is genuine: 'stale' then means an authentic but replayed delivery.
  const referenceMs = input.referenceTimeMs ?? (input.now === null ? null : (input.now ?? Date.now()))
  if (referenceMs !== null) {
    const toleranceSec = input.toleranceSec ?? DEFAULT_SIGNATURE_TOLERANCE_SEC
    if (Math.abs(parsed.timestamp - referenceMs / 1000) > toleranceSec) return { ok: false, reason: 'stale' }
  }
  return { ok: true, timestamp: parsed.timestamp }
}

// Webhook signature verification (POSTPROXY.md §6) and freshness against the relay's received_at (RELAY.md).
import { describe, expect, it } from 'vitest'
import {
  computePostproxySignature,
  parseSignatureHeader,
  postproxySignatureHeader,
  verifyPostproxySignature
} from '../../../electron/inbox/postproxy/index.ts'

const SECRET = 'whsec_test123'
const T = 1234567890
const BODY = '{"event":"post.published","data":{"id":"post-1"}}'
const V1 = 'c8e99efbb07ac8e3152c02dd8d83e8ddb803ae8fb001d9e1ab42fb0b1f405ef2'
const HEADER = `t=${T},v1=${V1}`
const AT_T = T * 1000

describe('the documented test vector', () => {
  it('computes the SDK vector', () => {
    expect(computePostproxySignature(SECRET, T, BODY)).toBe(V1)
    expect(postproxySignatureHeader(SECRET, T, BODY)).toBe(HEADER)
  })

  it('verifies the vector over a string body and over the same bytes', () => {
    expect(verifyPostproxySignature({ header: HEADER, rawBody: BODY, secrets: [SECRET], referenceTimeMs: AT_T })).toEqual({
      ok: true,
      timestamp: T
    })
    const bytes = new TextEncoder().encode(BODY)
    // A view into a larger buffer: only the viewed bytes are the body.
    const padded = new Uint8Array(bytes.length + 8)
    padded.set(bytes, 4)
    const view = padded.subarray(4, 4 + bytes.length)
    expect(verifyPostproxySignature({ header: HEADER, rawBody: view, secrets: [SECRET], referenceTimeMs: AT_T }).ok).toBe(true)
  })

  it('accepts an upper-case hex signature', () => {
    const header = `t=${T},v1=${V1.toUpperCase()}`
    expect(verifyPostproxySignature({ header, rawBody: BODY, secrets: [SECRET], referenceTimeMs: AT_T }).ok).toBe(true)
  })
})

describe('rejections', () => {
  const verify = (overrides: Partial<Parameters<typeof verifyPostproxySignature>[0]>) =>
    verifyPostproxySignature({ header: HEADER, rawBody: BODY, secrets: [SECRET], referenceTimeMs: AT_T, ...overrides })

  it('rejects the wrong secret', () => {
    expect(verify({ secrets: ['whsec_test124'] })).toEqual({ ok: false, reason: 'mismatch' })
  })

  it('rejects a body with one byte changed', () => {
    const bytes = Buffer.from(BODY)
    for (const index of [0, 20, bytes.length - 1]) {
      const tampered = Buffer.from(bytes)
      tampered[index] ^= 0x01
      expect(verify({ rawBody: tampered }), `byte ${index}`).toEqual({ ok: false, reason: 'mismatch' })
    }
  })

  it('rejects a re-serialized body (whitespace differs) and a changed timestamp', () => {
    expect(verify({ rawBody: JSON.stringify(JSON.parse(BODY), null, 2) })).toEqual({ ok: false, reason: 'mismatch' })
    expect(verify({ header: `t=${T + 1},v1=${V1}`, referenceTimeMs: AT_T })).toEqual({ ok: false, reason: 'mismatch' })
  })

  it('reports a missing header', () => {
    for (const header of [undefined, null, '', '   ']) {
      expect(verify({ header })).toEqual({ ok: false, reason: 'missing' })
    }
  })

  it('reports malformed headers', () => {
    const malformed = [
      `v1=${V1}`, // no t
      `t=,v1=${V1}`,
      `t=12.5,v1=${V1}`,
      `t=-5,v1=${V1}`,
      `t=abc,v1=${V1}`,
      `t=${T}`, // no v1
      `t=${T},v1=`,
      `t=${T},v1=${V1.slice(0, 63)}`, // 63 chars
      `t=${T},v1=${V1}0`, // 65 chars
      `t=${T},v1=${'z'.repeat(64)}`, // not hex
      `t=${T},v1=${V1.slice(0, 62)}+=`, // base64-ish
      `t=${T},t=${T},v1=${V1}`, // two timestamps
      'garbage',
      '=,=,=',
      `sha256=${V1}`
    ]
    for (const header of malformed) {
      expect(verify({ header }), header).toEqual({ ok: false, reason: 'malformed' })
    }
  })

  it('rejects when no secrets are configured', () => {
    expect(verify({ secrets: [] })).toEqual({ ok: false, reason: 'mismatch' })
    expect(verify({ secrets: [''] })).toEqual({ ok: false, reason: 'mismatch' })
  })
})

describe('rotation', () => {
  it('accepts a delivery signed with either of two current secrets', () => {
    const secrets = ['whsec_new', SECRET]
    expect(verifyPostproxySignature({ header: HEADER, rawBody: BODY, secrets, referenceTimeMs: AT_T }).ok).toBe(true)
    const byNew = postproxySignatureHeader('whsec_new', T, BODY)
    expect(verifyPostproxySignature({ header: byNew, rawBody: BODY, secrets, referenceTimeMs: AT_T }).ok).toBe(true)
    expect(verifyPostproxySignature({ header: byNew, rawBody: BODY, secrets: ['whsec_other'], referenceTimeMs: AT_T }).ok).toBe(
      false
    )
  })

  it('accepts a header with several v1 values when any one matches, and ignores unknown schemes', () => {
    const other = computePostproxySignature('whsec_old', T, BODY)
    const header = `t=${T}, v0=deadbeef, v1=${other}, v1=${V1}`
    expect(verifyPostproxySignature({ header, rawBody: BODY, secrets: [SECRET], referenceTimeMs: AT_T })).toEqual({
      ok: true,
      timestamp: T
    })
  })
})

describe('freshness', () => {
  const DAY_MS = 24 * 60 * 60 * 1000

  it('accepts an event that waited 3 days in the relay, judged against its received_at', () => {
    const now = AT_T + 3 * DAY_MS
    const result = verifyPostproxySignature({
      header: HEADER,
      rawBody: BODY,
      secrets: [SECRET],
      referenceTimeMs: AT_T + 2_000,
      now
    })
    expect(result).toEqual({ ok: true, timestamp: T })
  })

  it('rejects a captured request re-posted 10 minutes later as stale', () => {
    const result = verifyPostproxySignature({
      header: HEADER,
      rawBody: BODY,
      secrets: [SECRET],
      referenceTimeMs: AT_T + 10 * 60 * 1000
    })
    expect(result).toEqual({ ok: false, reason: 'stale' })
  })

  it('treats the tolerance as inclusive, in both directions', () => {
    const check = (referenceTimeMs: number) =>
      verifyPostproxySignature({ header: HEADER, rawBody: BODY, secrets: [SECRET], referenceTimeMs }).ok
    expect(check(AT_T + 300_000)).toBe(true)
    expect(check(AT_T - 300_000)).toBe(true)
    expect(check(AT_T + 301_000)).toBe(false)
    expect(check(AT_T - 301_000)).toBe(false)
  })

  it('honours a custom tolerance', () => {
    const base = { header: HEADER, rawBody: BODY, secrets: [SECRET], referenceTimeMs: AT_T + 30_000 }
    expect(verifyPostproxySignature({ ...base, toleranceSec: 10 })).toEqual({ ok: false, reason: 'stale' })
    expect(verifyPostproxySignature({ ...base, toleranceSec: 60 }).ok).toBe(true)
  })

  it('falls back to now without a reference time, and skips the check when now is null', () => {
    const base = { header: HEADER, rawBody: BODY, secrets: [SECRET] }
    expect(verifyPostproxySignature({ ...base, now: AT_T + 60_000 }).ok).toBe(true)
    expect(verifyPostproxySignature({ ...base, now: AT_T + 3 * DAY_MS })).toEqual({ ok: false, reason: 'stale' })
    expect(verifyPostproxySignature(base)).toEqual({ ok: false, reason: 'stale' }) // real now is years after 2009
    expect(verifyPostproxySignature({ ...base, now: null }).ok).toBe(true)
  })

  it('reports a forged old request as a mismatch, not as stale', () => {
    const forged = `t=${T},v1=${'0'.repeat(64)}`
    expect(verifyPostproxySignature({ header: forged, rawBody: BODY, secrets: [SECRET], referenceTimeMs: AT_T + DAY_MS })).toEqual({
      ok: false,
      reason: 'mismatch'
    })
  })
})

describe('parseSignatureHeader', () => {
  it('returns the timestamp and every v1, tolerating spaces around parts', () => {
    expect(parseSignatureHeader(` t=${T} , v1=${V1} `)).toEqual({ ok: true, timestampText: String(T), timestamp: T, v1: [V1] })
  })

  it('splits on the first = only, so a value containing = is kept whole (and then judged)', () => {
    expect(parseSignatureHeader(`t=${T},v1=${V1},note=a=b`)).toMatchObject({ ok: true, v1: [V1] })
    expect(parseSignatureHeader(`t=${T},v1=${V1.slice(0, 62)}==`)).toEqual({ ok: false, reason: 'malformed' })
  })
})

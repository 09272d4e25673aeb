// An independent receiver-side check of X-Postproxy-Signature, written as POSTPROXY.md §6 tells a
// receiver to: split on ",", then on the first "=", check v1 is 64 hex characters, compare in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto'

export function parseSignatureHeader(header: string): { t: string; v1: string } {
  const parts = new Map<string, string>()
  for (const part of header.split(',')) {
    const eq = part.indexOf('=')
    if (eq > 0) parts.set(part.slice(0, eq), part.slice(eq + 1))
  }
  return { t: parts.get('t') ?? '', v1: parts.get('v1') ?? '' }
}

export function signatureVerifies(secret: string, header: string, rawBody: Buffer): boolean {
  const { t, v1 } = parseSignatureHeader(header)
  if (!/^\d+$/.test(t) || !/^[0-9a-f]{64}$/.test(v1)) return false
  const expected = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest()
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'))
}

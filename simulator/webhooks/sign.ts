// Webhook signatures exactly as Postproxy signs them (POSTPROXY.md §6): the HMAC key is the whole
// secret string, "whsec_" included, and the message is `<t>.<raw body>`. Receivers verify over the
// raw bytes they got, so the caller must sign the very bytes it sends.
import { createHmac, randomBytes } from 'node:crypto'

const SECRET_PREFIX = 'whsec_'
const SECRET_RANDOM_BYTES = 32

/** The `X-Postproxy-Signature` header value: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export function signWebhookPayload(secret: string, timestampSec: number, rawBody: string | Uint8Array): string {
  const hmac = createHmac('sha256', secret)
  hmac.update(`${timestampSec}.`)
  hmac.update(rawBody)
  return `t=${timestampSec},v1=${hmac.digest('hex')}`
}

/** A new signing secret: `whsec_` followed by 32 random bytes in base64url (43 characters). */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_RANDOM_BYTES).toString('base64url')
}

// Identifiers of webhook objects: `wh_…` webhooks, `evt_…` events, `dlv_…` delivery attempts.
// Random, so a receiver cannot lean on their order. (simulator/ids.ts mints the DM objects' ids; its
// prefix list does not include these.)
import { randomBytes } from 'node:crypto'

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const TOKEN_LENGTH = 20

export type WebhookIdPrefix = 'wh' | 'evt' | 'dlv'

export function newWebhookObjectId(prefix: WebhookIdPrefix): string {
  const bytes = randomBytes(TOKEN_LENGTH)
  let token = ''
  // 62 does not divide 256; the slight bias does not matter for ids that only need to be unique.
  for (let i = 0; i < TOKEN_LENGTH; i++) token += ALPHABET[bytes[i] % ALPHABET.length]
  return `${prefix}_${token}`
}

// The relay's three credentials (RELAY.md): ingest tokens (in the webhook URL, can only POST), device
// tokens (bearer, subscribe + ack) and the admin token. Ingest and device tokens are stored only as
// SHA-256 digests, so a copy of the database cannot be used to read a stream or inject events.
//
// Tokens are looked up by their digest: an attacker timing that lookup learns at most a prefix of a
// SHA-256 digest, which does not help build a token. The admin token, held in memory, is compared in
// constant time over equal-length digests.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { httpError } from './http-responses.ts'
import type { DeviceState, RelayStorage } from './storage.ts'

/** 256 random bits per secret token (RELAY.md asks for at least 128). */
const TOKEN_BYTES = 32

export const TOKEN_PREFIX = {
  ingest: 'rin_',
  device: 'rdv_',
  admin: 'rad_'
} as const

/** A new secret, recognisable by its prefix (useful to secret scanners and to people reading a config). */
export function generateToken(kind: keyof typeof TOKEN_PREFIX): string {
  return TOKEN_PREFIX[kind] + randomBytes(TOKEN_BYTES).toString('base64url')
}

/** A public identifier: unguessable, but not a credential. */
export function generateId(prefix: 'ch_' | 'dev_'): string {
  return prefix + randomBytes(12).toString('base64url')
}

export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest()
}

export function constantTimeEquals(a: string, b: string): boolean {
  return timingSafeEqual(tokenDigest(a), tokenDigest(b))
}

/** The token of an `Authorization: Bearer <token>` header, or null when absent or malformed. */
export function bearerToken(request: IncomingMessage): string | null {
  const header = request.headers.authorization
  if (typeof header !== 'string') return null
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header)
  return match ? match[1] : null
}

/**
 * The device calling a device endpoint of `channelId`. 401 for a missing, unknown or revoked token (the
 * client must stop and ask the user to pair again); 403 for a device of another channel.
 */
export function authenticateDevice(request: IncomingMessage, storage: RelayStorage, channelId: string): DeviceState {
  const token = bearerToken(request)
  if (token === null) throw httpError.unauthorized('This call needs the device token: send Authorization: Bearer <device token>.')
  const device = storage.deviceByToken(tokenDigest(token))
  if (!device || device.revokedAt !== null) {
    throw httpError.unauthorized('This device token is not valid (it may have been revoked); pair the device with the relay again.')
  }
  if (device.channelId !== channelId) throw httpError.forbidden('This device token belongs to another channel.')
  return device
}

export function authenticateAdmin(request: IncomingMessage, adminToken: string): void {
  const token = bearerToken(request)
  if (token === null || !constantTimeEquals(token, adminToken)) {
    throw httpError.unauthorized('This call needs the relay’s admin token: send Authorization: Bearer <admin token>.')
  }
}

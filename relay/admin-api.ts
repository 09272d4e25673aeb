// The admin calls (Authorization: Bearer <admin token>): create and delete channels, pair and revoke
// devices, rotate a channel's ingest URL. Secrets (ingest and device tokens) are shown once, in the
// answer that creates them; the relay keeps only their SHA-256.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { generateId, generateToken, tokenDigest } from './auth.ts'
import type { ChannelHub } from './channel-hub.ts'
import { httpError, sendEmpty, sendJson } from './http-responses.ts'
import type { RelayConfig } from './options.ts'
import type { IngestRateLimiter } from './rate-limit.ts'
import { readJsonObject } from './request-body.ts'
import type { ChannelState, DeviceState, RelayStorage } from './storage.ts'

export interface AdminContext {
  storage: RelayStorage
  hub: ChannelHub
  rateLimiter: IngestRateLimiter | null
  config: RelayConfig
  /** The base of the URLs handed out (the public URL behind a proxy, else the listening address). */
  publicBaseUrl(): string
}

const MAX_META_VERIFY_TOKEN_LENGTH = 256
/** Longest grace for a rotated-away ingest URL: a day covers Postproxy's retry schedule (~2.5 h) many times over. */
const MAX_ROTATION_GRACE_SECONDS = 24 * 3600

function existingChannel(context: AdminContext, channelId: string): ChannelState {
  const channel = context.storage.channel(channelId)
  if (!channel) throw httpError.notFound(`There is no channel ${channelId} on this relay.`)
  return channel
}

function ingestUrl(context: AdminContext, ingestToken: string): string {
  return `${context.publicBaseUrl()}/h/${ingestToken}`
}

/** `POST /v1/channels` `{meta_verify_token?}` -> 201 `{channel_id, ingest_url, ingest_token}` */
export async function createChannel(request: IncomingMessage, response: ServerResponse, context: AdminContext): Promise<void> {
  const body = await readJsonObject(request)
  const verifyToken = body.meta_verify_token
  if (verifyToken !== undefined && (typeof verifyToken !== 'string' || verifyToken.length === 0 || verifyToken.length > MAX_META_VERIFY_TOKEN_LENGTH)) {
    throw httpError.badRequest(`meta_verify_token must be a non-empty string of at most ${MAX_META_VERIFY_TOKEN_LENGTH} characters.`)
  }
  const channelId = generateId('ch_')
  const ingestToken = generateToken('ingest')
  context.storage.createChannel(channelId, tokenDigest(ingestToken), verifyToken ?? null, context.config.now())
  context.config.log(`channel ${channelId} created`)
  sendJson(response, 201, { channel_id: channelId, ingest_url: ingestUrl(context, ingestToken), ingest_token: ingestToken })
}

/** `GET /v1/channels/:ch` -> what is stored for the channel and where each device stands. */
export function describeChannel(response: ServerResponse, channelId: string, context: AdminContext): void {
  const channel = existingChannel(context, channelId)
  sendJson(response, 200, {
    channel_id: channel.id,
    created_at: new Date(channel.createdAt).toISOString(),
    head: channel.lastSeq,
    oldest_seq: context.storage.oldestSeqAfter(channel.id, 0),
    evicted_through: channel.evictedThrough,
    stored_events: channel.eventCount,
    stored_bytes: channel.storedBytes,
    devices: context.storage.devices(channel.id).map(describeDevice)
  })
}

function describeDevice(device: DeviceState): Record<string, unknown> {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
  return {
    device_id: device.id,
    created_at: iso(device.createdAt),
    revoked_at: iso(device.revokedAt),
    acked_seq: device.ackedSeq,
    acked_at: iso(device.ackedAt)
  }
}

/** `DELETE /v1/channels/:ch` -> 204: the channel, its devices and every stored event are gone. */
export function deleteChannel(response: ServerResponse, channelId: string, context: AdminContext): void {
  existingChannel(context, channelId)
  context.storage.deleteChannel(channelId)
  context.hub.closeChannel(channelId)
  context.rateLimiter?.forget(channelId)
  context.config.log(`channel ${channelId} deleted`)
  sendEmpty(response, 204)
}

/** `POST /v1/channels/:ch/devices` -> 201 `{device_id, token, channel_id, events_url}` */
export async function createDevice(request: IncomingMessage, response: ServerResponse, channelId: string, context: AdminContext): Promise<void> {
  await readJsonObject(request)
  existingChannel(context, channelId)
  const deviceId = generateId('dev_')
  const token = generateToken('device')
  context.storage.createDevice(deviceId, channelId, tokenDigest(token), context.config.now())
  context.config.log(`device ${deviceId} paired with channel ${channelId}`)
  sendJson(response, 201, {
    device_id: deviceId,
    token,
    channel_id: channelId,
    events_url: `${context.publicBaseUrl()}/v1/channels/${channelId}/events`
  })
}

/** `DELETE /v1/channels/:ch/devices/:id` -> 204; the token is refused from now on and its open streams end. */
export function revokeDevice(response: ServerResponse, channelId: string, deviceId: string, context: AdminContext): void {
  existingChannel(context, channelId)
  if (!context.storage.revokeDevice(channelId, deviceId, context.config.now())) {
    throw httpError.notFound(`There is no device ${deviceId} in channel ${channelId}.`)
  }
  context.hub.closeDevice(deviceId)
  context.config.log(`device ${deviceId} of channel ${channelId} revoked`)
  sendEmpty(response, 204)
}

/**
 * `POST /v1/channels/:ch/rotate-ingest` `{grace_seconds?}` -> 200 `{channel_id, ingest_url, ingest_token,
 * previous_valid_until}`. With a grace period the old URL keeps accepting webhooks for that long, so
 * deliveries Postproxy is still retrying to it are not lost; without one it is refused at once (a leak).
 */
export async function rotateIngestToken(request: IncomingMessage, response: ServerResponse, channelId: string, context: AdminContext): Promise<void> {
  const body = await readJsonObject(request)
  const grace = body.grace_seconds ?? 0
  if (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0 || grace > MAX_ROTATION_GRACE_SECONDS) {
    throw httpError.badRequest(`grace_seconds must be a whole number from 0 to ${MAX_ROTATION_GRACE_SECONDS}.`)
  }
  existingChannel(context, channelId)
  const now = context.config.now()
  const ingestToken = generateToken('ingest')
  context.storage.rotateIngestToken(channelId, tokenDigest(ingestToken), now, grace * 1000)
  context.config.log(`ingest URL of channel ${channelId} rotated (grace ${grace} s)`)
  sendJson(response, 200, {
    channel_id: channelId,
    ingest_url: ingestUrl(context, ingestToken),
    ingest_token: ingestToken,
    previous_valid_until: grace > 0 ? new Date(now + grace * 1000).toISOString() : null
  })
}

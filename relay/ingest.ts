// `POST /h/:ingest_token`: the webhook sender's side. The body is kept byte for byte (it is what the
// sender signed), hashed, and committed; the 200 goes out only after the commit (commit-queue.ts).
// Checks run cheapest first and before reading the body: unknown token (404), declared size (413), rate
// limits of webhooks and of bytes (429); then the size is checked again while the body streams in (and, for
// a chunked body of unknown size, charged to the byte limit once read).
//
// `GET /h/:ingest_token?hub.mode=subscribe…`: Meta's subscription check, for a channel created with a
// `meta_verify_token` (only needed when Meta itself is pointed at the relay).
import { hash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { constantTimeEquals, tokenDigest } from './auth.ts'
import type { CommitQueue } from './commit-queue.ts'
import { forwardedHeaders } from './forwarded-headers.ts'
import { httpError, RelayHttpError, sendJson, sendText } from './http-responses.ts'
import type { RelayMetrics } from './metrics.ts'
import type { RelayConfig } from './options.ts'
import type { IngestRateLimiter } from './rate-limit.ts'
import { declaredBodyLength, readBodyWithin } from './request-body.ts'
import type { ChannelState, RelayStorage } from './storage.ts'

export interface IngestContext {
  storage: RelayStorage
  queue: CommitQueue
  rateLimiter: IngestRateLimiter | null
  config: RelayConfig
  metrics: RelayMetrics
}

const UNKNOWN_INGEST_URL = 'This webhook address is unknown to the relay (it may have been rotated or deleted).'
const MAX_CHALLENGE_LENGTH = 1024

function channelFor(ingestToken: string, context: IngestContext): ChannelState {
  const channel = context.storage.channelByIngestToken(tokenDigest(ingestToken), context.config.now())
  if (!channel) throw httpError.notFound(UNKNOWN_INGEST_URL)
  return channel
}

export async function handleIngest(
  request: IncomingMessage,
  response: ServerResponse,
  ingestToken: string,
  context: IngestContext
): Promise<void> {
  const { config, queue } = context
  const channelId = context.storage.channelIdByIngestToken(tokenDigest(ingestToken), config.now())
  if (channelId === null) throw httpError.notFound(UNKNOWN_INGEST_URL)
  const declared = declaredBodyLength(request)
  if (declared !== null && declared > config.bodyLimitBytes) throw httpError.payloadTooLarge(config.bodyLimitBytes)
  // A declared size is charged before reading, so a refused burst is never even read.
  const retryAfter = context.rateLimiter?.take(channelId, declared ?? 0) ?? null
  if (retryAfter !== null) throw httpError.tooManyRequests(retryAfter)

  const body = await readBodyWithin(request, config.bodyLimitBytes)
  if (declared === null) {
    const retryBytesAfter = context.rateLimiter?.takeBytes(channelId, body.length) ?? null
    if (retryBytesAfter !== null) throw httpError.tooManyRequests(retryBytesAfter)
  }
  let outcome
  try {
    outcome = await queue.commit({
      channelId,
      receivedAt: config.now(),
      headers: forwardedHeaders(request.rawHeaders),
      body,
      bodySha256: hash('sha256', body, 'hex')
    })
  } catch (error) {
    config.log(`storing a webhook for channel ${channelId} failed: ${error instanceof Error ? error.message : String(error)}`)
    throw httpError.unavailable('The relay could not store this webhook right now; please retry.')
  }
  if (!outcome.ok) throw httpError.notFound(UNKNOWN_INGEST_URL)
  sendJson(response, 200, { seq: outcome.seq })
}

export function handleMetaVerification(request: IncomingMessage, response: ServerResponse, ingestToken: string, context: IngestContext): void {
  const channel = channelFor(ingestToken, context)
  const query = new URL(request.url ?? '/', 'http://relay.invalid').searchParams
  if (query.get('hub.mode') !== 'subscribe') {
    throw httpError.methodNotAllowed(['POST'])
  }
  const challenge = query.get('hub.challenge') ?? ''
  if (challenge.length === 0 || challenge.length > MAX_CHALLENGE_LENGTH) {
    throw httpError.badRequest('hub.challenge is missing or too long.')
  }
  const expected = channel.metaVerifyToken
  if (expected === null) {
    throw httpError.forbidden('This channel was created without a Meta verify token, so it cannot answer Meta’s check.')
  }
  if (!constantTimeEquals(query.get('hub.verify_token') ?? '', expected)) {
    throw new RelayHttpError(403, 'hub.verify_token does not match this channel’s Meta verify token.')
  }
  sendText(response, 200, challenge)
}

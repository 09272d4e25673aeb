// The device calls (Authorization: Bearer <device token>): the event stream with resume, and acks.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { authenticateDevice } from './auth.ts'
import { httpError, sendEmpty } from './http-responses.ts'
import { readJsonObject } from './request-body.ts'
import { gapFrame, heartbeatFrame, retryFrame, webhookFrame } from './sse-frames.ts'
import { serveEventStream, type StreamContext, type StreamFormat } from './stream.ts'

/**
 * `GET /v1/channels/:ch/events`: resume after `Last-Event-ID` (what an SSE client sends on reconnect) or
 * else `?after=<seq>`; neither means from the oldest retained event. The header wins because a reconnecting
 * client keeps the URL it first used.
 */
export function openEventStream(request: IncomingMessage, response: ServerResponse, channelId: string, context: StreamContext): void {
  const device = authenticateDevice(request, context.storage, channelId)
  const after = resumeCursor(request)
  serveEventStream(request, response, { channelId, deviceId: device.id, start: { after } }, relayFormat(context.config.retryMs), context)
}

function relayFormat(retryMs: number): StreamFormat {
  return { opening: () => retryFrame(retryMs), event: webhookFrame, heartbeat: heartbeatFrame, gap: gapFrame }
}

function resumeCursor(request: IncomingMessage): number {
  const header = request.headers['last-event-id']
  const fromHeader = typeof header === 'string' && header.trim() !== '' ? header.trim() : null
  const fromQuery = new URL(request.url ?? '/', 'http://relay.invalid').searchParams.get('after')
  const raw = fromHeader ?? fromQuery
  if (raw === null || raw === '') return 0
  if (!/^\d{1,16}$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw httpError.badRequest(`The resume cursor "${raw.slice(0, 40)}" is not a sequence number (a whole number of 0 or more).`)
  }
  return Number(raw)
}

/** `POST /v1/channels/:ch/ack` `{"up_to": seq}` -> 204: the device has durably applied everything up to seq. */
export async function acknowledge(request: IncomingMessage, response: ServerResponse, channelId: string, context: StreamContext): Promise<void> {
  const device = authenticateDevice(request, context.storage, channelId)
  const body = await readJsonObject(request, 1024)
  const upTo = body.up_to
  if (typeof upTo !== 'number' || !Number.isSafeInteger(upTo) || upTo < 0) {
    throw httpError.badRequest('up_to must be the seq of the newest event applied (a whole number of 0 or more).')
  }
  context.storage.ack(device, upTo, context.config.now())
  sendEmpty(response, 204)
}

// The text/event-stream frames of RELAY.md. Every `data:` is one line of JSON (JSON.stringify never
// emits a raw newline), so a frame is always `field: value` lines followed by one blank line.
import type { StoredEvent } from './storage.ts'

/** Version of the `webhook` frame's JSON; a client refuses a version it does not know. */
export const WEBHOOK_FRAME_VERSION = 1

export interface WebhookFrameData {
  v: number
  seq: number
  channel: string
  received_at: string
  headers: Array<[string, string]>
  body_b64: string
  body_sha256: string
}

export interface GapFrameData {
  /** The cursor the stream resumed from (or had reached). */
  after: number
  /** Every event delivered after this frame has seq >= oldest. */
  oldest: number
  /** `evicted`: events after the cursor were deleted by retention or caps. `cursor_ahead`: the cursor is
   *  beyond anything this relay ever stored (a restored backup); the stream restarts from its oldest event. */
  reason: 'evicted' | 'cursor_ahead'
}

export function retryFrame(retryMs: number): string {
  return `retry: ${Math.round(retryMs)}\n\n`
}

/**
 * The `webhook` frame: the JSON of WebhookFrameData (its keys in that order), written out directly so the
 * stored headers JSON goes in as it is, with no parse and re-serialisation per event. Numbers, the ISO date
 * and base64 need no escaping; the two strings that came from outside go through JSON.stringify.
 */
export function webhookFrame(event: StoredEvent): string {
  const data =
    `{"v":${WEBHOOK_FRAME_VERSION},"seq":${event.seq},"channel":${JSON.stringify(event.channelId)},` +
    `"received_at":"${new Date(event.receivedAt).toISOString()}","headers":${event.headersJson},` +
    `"body_b64":"${event.body.toString('base64')}","body_sha256":${JSON.stringify(event.bodySha256)}}`
  return `id: ${event.seq}\nevent: webhook\ndata: ${data}\n\n`
}

export function gapFrame(data: GapFrameData): string {
  return `event: gap\ndata: ${JSON.stringify(data)}\n\n`
}

/** No `id:` line: a heartbeat must not move the client's Last-Event-ID. */
export function heartbeatFrame(head: number): string {
  return `event: heartbeat\ndata: ${JSON.stringify({ head })}\n\n`
}

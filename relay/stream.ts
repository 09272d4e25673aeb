// One event stream (text/event-stream) of one channel: the backlog after the reader's cursor, paged out of
// SQLite at the pace the reader's socket accepts (write() returning false means: wait for 'drain'), then
// live events as they are committed, then heartbeats whenever nothing else is said.
//
// Backlog and live are the same loop: "read the next page after my cursor; when there is none, sleep until
// the hub says the channel got a commit". The database is the only source of events, and every read is
// `seq > cursor ORDER BY seq`, so events committed while the backlog is being sent arrive exactly once and
// in order, with no hand-over window between a backlog phase and a live phase.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ChannelHub } from './channel-hub.ts'
import { httpError } from './http-responses.ts'
import type { RelayMetrics } from './metrics.ts'
import type { RelayConfig } from './options.ts'
import type { GapFrameData } from './sse-frames.ts'
import type { RelayStorage, StoredEvent } from './storage.ts'

/** How a stream spells its frames: the relay protocol (sse-frames.ts) or smee.io's (smee-stream.ts). */
export interface StreamFormat {
  /** Written once, first. */
  opening(): string
  event(event: StoredEvent): string
  heartbeat(head: number): string
  /** Null when the format cannot tell a reader about missing events (smee has no such frame). */
  gap: ((data: GapFrameData) => string) | null
}

export interface StreamSubscription {
  channelId: string
  deviceId: string | null
  /** Deliver events with seq above this, or only events committed from now on. */
  start: { after: number } | 'live'
}

export interface StreamContext {
  storage: RelayStorage
  hub: ChannelHub
  config: RelayConfig
  metrics: RelayMetrics
}

/** Events per page read from SQLite, and the byte budget of a page (one larger event still goes alone). */
const PAGE_EVENTS = 256
const PAGE_BYTES = 1024 * 1024
/** Retry-After of a stream refused at a cap: long enough not to hammer, short next to a desktop's patience. */
const STREAM_CAP_RETRY_AFTER_S = 30

export function serveEventStream(
  request: IncomingMessage,
  response: ServerResponse,
  subscription: StreamSubscription,
  format: StreamFormat,
  context: StreamContext
): void {
  const { storage, hub, config, metrics } = context
  const { channelId } = subscription

  let closed = false
  let woken = false
  let wakeWaiter: (() => void) | null = null
  const wake = (): void => {
    woken = true
    const waiter = wakeWaiter
    wakeWaiter = null
    waiter?.()
  }
  const admission = hub.add({
    channelId,
    deviceId: subscription.deviceId,
    wake,
    close: () => {
      // A reader that is not reading would never let end() finish; cut it.
      if (response.writableNeedDrain) response.destroy()
      else response.end()
    }
  })
  if (!admission.ok) {
    if (admission.full === 'channel') {
      throw httpError.tooManyRequests(
        STREAM_CAP_RETRY_AFTER_S,
        `This channel already has ${config.maxStreamsPerChannel} open event streams (one per device); close one or retry in ${STREAM_CAP_RETRY_AFTER_S} s.`
      )
    }
    throw httpError.unavailable(`The relay is serving as many event streams as it allows (${config.maxStreams}); retry in ${STREAM_CAP_RETRY_AFTER_S} s.`, STREAM_CAP_RETRY_AFTER_S)
  }

  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    // nginx buffers proxied responses by default, which would hold events back; this turns it off per response.
    'x-accel-buffering': 'no',
    connection: 'keep-alive'
  })
  const socket = request.socket
  socket.setNoDelay(true)
  // TCP keepalive notices a peer that vanished without a FIN (laptop lid closed) and frees the stream.
  socket.setKeepAlive(true, 30_000)
  socket.setTimeout(0)

  // The stall watchdog: from the moment a write finds the buffer full (an event or a heartbeat) until
  // 'drain', the reader has stalledStreamTimeoutMs to take something, or the stream is cut. Covering
  // heartbeats too matters for an idle stream whose reader is gone: nothing else would ever notice it.
  let stallTimer: NodeJS.Timeout | null = null
  const disarmStall = (): void => {
    if (stallTimer) clearTimeout(stallTimer)
    stallTimer = null
  }
  response.on('drain', disarmStall)
  const write = (frame: string): boolean => {
    const accepted = response.write(frame)
    if (!accepted && !stallTimer) {
      stallTimer = setTimeout(() => {
        metrics.stalledStreamsClosed += 1
        config.log(`closing a stream of channel ${channelId}: its reader took nothing for ${config.stalledStreamTimeoutMs} ms`)
        response.destroy()
      }, config.stalledStreamTimeoutMs)
    }
    return accepted
  }

  const heartbeat = setInterval(() => {
    if (closed || response.writableNeedDrain) return
    try {
      write(format.heartbeat(storage.channel(channelId)?.lastSeq ?? 0))
    } catch {
      response.destroy()
    }
  }, config.heartbeatMs)
  response.once('close', () => {
    closed = true
    clearInterval(heartbeat)
    disarmStall()
    admission.unregister()
    wake()
  })

  const waitForDrain = (): Promise<void> =>
    new Promise((resolve) => {
      metrics.backpressureWaits += 1
      const done = (): void => {
        response.off('drain', done)
        response.off('close', done)
        resolve()
      }
      response.on('drain', done)
      response.on('close', done)
    })

  const waitForWake = (): Promise<void> =>
    new Promise((resolve) => {
      if (woken || closed) resolve()
      else wakeWaiter = resolve
    })

  const pump = async (): Promise<void> => {
    write(format.opening())
    const initial = storage.channel(channelId)
    if (!initial) {
      response.end()
      return
    }
    let cursor = subscription.start === 'live' ? initial.lastSeq : subscription.start.after
    let gapReportedThrough = 0
    if (format.gap && cursor > storage.relayHead()) {
      // The reader's cursor is from a future this database never saw (an older backup was restored):
      // waiting for seq to catch up would silently skip everything until then, so start over instead.
      const oldest = storage.oldestSeqAfter(channelId, 0) ?? initial.evictedThrough + 1
      write(format.gap({ after: cursor, oldest, reason: 'cursor_ahead' }))
      cursor = 0
      gapReportedThrough = initial.evictedThrough
    }
    while (!closed) {
      woken = false
      const channel = storage.channel(channelId)
      if (!channel) break
      if (format.gap && cursor < channel.evictedThrough && gapReportedThrough < channel.evictedThrough) {
        const oldest = storage.oldestSeqAfter(channelId, cursor) ?? channel.evictedThrough + 1
        write(format.gap({ after: cursor, oldest, reason: 'evicted' }))
        gapReportedThrough = channel.evictedThrough
      }
      const page = storage.eventsAfter(channelId, cursor, PAGE_EVENTS, PAGE_BYTES)
      if (page.length === 0) {
        await waitForWake()
        continue
      }
      // The whole page in one write: one chunk of the chunked response and one buffer for the socket,
      // rather than three per event (the page is bounded by PAGE_EVENTS and PAGE_BYTES).
      let frames = ''
      for (const event of page) frames += format.event(event)
      cursor = page[page.length - 1].seq
      if (!write(frames)) await waitForDrain()
    }
    if (!response.writableEnded && !response.destroyed) response.end()
  }

  pump().catch((error: unknown) => {
    // The database closing under a stream (shutdown) lands here; the reader reconnects and resumes.
    if (!closed) config.log(`a stream of channel ${channelId} failed: ${error instanceof Error ? error.message : String(error)}`)
    response.destroy()
  })
}

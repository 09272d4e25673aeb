// The desktop end of the relay tunnel (RELAY.md, "The desktop's side"): one subscription to the channel's
// event stream, resumed from the store's cursor, and for the `webhook` frames that arrived together (what
// the stream had buffered, at most `framesPerTransaction`), in order: verify each (webhook-frame.ts) ->
// apply them in one transaction, each with its event id, and the cursor (event-applier.ts) -> ack after
// the commit, batched. A `gap` frame is passed on (the owner reconciles over REST).
//
// Nothing is lost and nothing happens twice: the cursor only ever moves inside the same transaction as
// the changes it covers (or with frames consumed without a change), and the stream always resumes from
// it. A crash at any point means the relay sends the frames again; the processed event ids make that
// redelivery a no-op.
import { EventEmitter } from 'node:events'
import type { InboxStore } from '../store/index.ts'
import type { AppliedChanges, ApplyEventResult, BatchItem, EventApplier } from './event-applier.ts'
import { AckBatcher } from './ack-batcher.ts'
import { EventStreamConnection, type StreamState } from './event-stream-connection.ts'
import type { ReconnectDelayOptions } from './reconnect-delay.ts'
import type { SseEvent } from './sse-parser.ts'
import { verifyWebhookFrame, type FrameVerdict, type RejectionReason } from './webhook-frame.ts'

export interface RelayEndpoint {
  /** e.g. `https://relay.example.com` */
  relayUrl: string
  channelId: string
  deviceToken: string
}

/** What became of one `webhook` frame. Never carries the body. */
export type FrameOutcome =
  | { seq: number; result: 'applied'; eventId: string; eventType: string; changes: AppliedChanges }
  | { seq: number; result: 'duplicate'; eventId: string; eventType: string }
  | { seq: number; result: 'ignored'; eventId: string; eventType: string; reason: string }
  | { seq: number; result: 'rejected'; reason: RejectionReason }
  | { seq: number | null; result: 'unreadable'; reason: string }
  /** Verified but failing to apply again and again: skipped so the stream is not stuck; a reconcile covers it. */
  | { seq: number; result: 'skipped'; eventId: string; eventType: string; reason: string }

export interface GapNotice {
  /** The cursor the relay resumed from. */
  after: number
  /** Every event delivered after the notice has seq >= oldest. */
  oldest: number
  reason: string
}

export type RelayClientEvents = {
  state: [StreamState]
  frame: [FrameOutcome]
  /** Frames that committed together in one transaction (before their `frame` events), up to seq `upTo`. */
  committed: [{ frames: number; upTo: number }]
  gap: [GapNotice]
  heartbeat: [{ head: number }]
}

export interface RelayClientOptions {
  endpoint: RelayEndpoint
  store: InboxStore
  applier: EventApplier
  /** Every webhook secret in force (several during a rotation). Read again when a signature does not match. */
  webhookSecrets: () => Promise<readonly string[]>
  fetch?: typeof globalThis.fetch
  /** RELAY.md: ~40 s without a byte means the stream is dead. */
  watchdogMs?: number
  delay?: Partial<ReconnectDelayOptions>
  random?: () => number
  now?: () => number
  ack?: { maxBatch?: number; maxDelayMs?: number }
  /** Signature freshness, against the relay's received_at. Default 300 s. */
  toleranceSec?: number
  /** The secrets are read again on a mismatch at most this often (a flood of forged events must not hammer the keychain). */
  secretsRefreshMinIntervalMs?: number
  /** A verified event whose application keeps failing is skipped after this many attempts. */
  maxApplyAttempts?: number
  /** Frames committed in one transaction at most. Default DEFAULT_FRAMES_PER_TRANSACTION; 1 applies frame by frame. */
  framesPerTransaction?: number
  log?: (line: string) => void
}

const ACK_TIMEOUT_MS = 10_000
/** Frames applied in one transaction at most: a catch-up commits a few hundred at a time, not one by one. */
export const DEFAULT_FRAMES_PER_TRANSACTION = 500
const STOP_ACK_GRACE_MS = 1000
/** Distinct event types counted by name; any further ones share one count (the map stays small). */
const MAX_COUNTED_TYPES = 64
const OTHER_TYPES = '(other)'

export class RelayClient extends EventEmitter<RelayClientEvents> {
  private readonly endpoint: RelayEndpoint
  private readonly store: InboxStore
  private readonly applier: EventApplier
  private readonly loadSecrets: () => Promise<readonly string[]>
  private readonly fetchImpl: typeof globalThis.fetch
  private readonly now: () => number
  private readonly toleranceSec: number | undefined
  private readonly secretsRefreshMinIntervalMs: number
  private readonly maxApplyAttempts: number
  private readonly framesPerTransaction: number
  private readonly logLine: (line: string) => void
  private readonly stream: EventStreamConnection
  private readonly acks: AckBatcher
  private secrets: readonly string[] | null = null
  private secretsLoadedAt = Number.NEGATIVE_INFINITY
  private failedAttempts = new Map<number, number>()
  private rejected = 0
  private readonly ignoredByType = new Map<string, number>()
  /** Cuts acks still in flight when stopping: they only drive retention, and a half-open connection must not hold up a shutdown. */
  private ackAbort = new AbortController()

  constructor(options: RelayClientOptions) {
    super()
    this.endpoint = { ...options.endpoint, relayUrl: options.endpoint.relayUrl.replace(/\/+$/, '') }
    this.store = options.store
    this.applier = options.applier
    this.loadSecrets = options.webhookSecrets
    this.fetchImpl = options.fetch ?? globalThis.fetch
    this.now = options.now ?? Date.now
    this.toleranceSec = options.toleranceSec
    this.secretsRefreshMinIntervalMs = options.secretsRefreshMinIntervalMs ?? 5000
    this.maxApplyAttempts = Math.max(1, options.maxApplyAttempts ?? 3)
    this.framesPerTransaction = Math.max(1, options.framesPerTransaction ?? DEFAULT_FRAMES_PER_TRANSACTION)
    this.logLine = options.log ?? (() => {})
    this.acks = new AckBatcher({ send: (upTo) => this.sendAck(upTo), ...options.ack, log: this.logLine })
    this.stream = new EventStreamConnection({
      request: () => this.streamRequest(),
      onEvents: (events) => this.onEvents(events),
      onState: (state) => this.emit('state', state),
      watchdogMs: options.watchdogMs,
      delay: options.delay,
      // The stream's own default (stream-fetch.ts) unless a test routes everything through its fetch.
      fetch: options.fetch,
      random: options.random,
      now: this.now,
      log: this.logLine
    })
  }

  get state(): StreamState {
    return this.stream.state
  }

  /** Frames refused since this client started (bad or stale signature, corrupted body). */
  get signatureFailures(): number {
    return this.rejected
  }

  /** Connections dropped because the relay sent a line or an event over the size cap (sse-parser.ts). */
  get oversizedFrames(): number {
    return this.stream.oversizedFrames
  }

  /** Genuine events consumed without a change (types the inbox does not use, unreadable data), by type. */
  get ignoredEvents(): Record<string, number> {
    return Object.fromEntries(this.ignoredByType)
  }

  /** The highest seq acknowledged to the relay. */
  get ackedThrough(): number {
    return this.acks.ackedThrough
  }

  start(): void {
    if (this.ackAbort.signal.aborted) this.ackAbort = new AbortController()
    this.stream.start()
  }

  /** Ends the stream, then gives the last ack up to a second to reach the relay. */
  async stop(): Promise<void> {
    await this.stream.stop()
    const giveUp = setTimeout(() => this.ackAbort.abort(), STOP_ACK_GRACE_MS)
    try {
      await this.acks.flush()
    } finally {
      clearTimeout(giveUp)
    }
  }

  /** OS resume or network back: reconnect now rather than wait for the watchdog or the backoff. */
  reconnectNow(): void {
    this.stream.reconnectNow()
  }

  /** After a secret rotation: read the secrets again before the next frame. */
  reloadSecrets(): void {
    this.secrets = null
  }

  private streamRequest(): { url: string; headers: Record<string, string> } {
    const { relayUrl, channelId, deviceToken } = this.endpoint
    return {
      url: `${relayUrl}/v1/channels/${encodeURIComponent(channelId)}/events`,
      headers: { authorization: `Bearer ${deviceToken}`, 'last-event-id': String(this.store.webhookEvents.cursor() ?? 0) }
    }
  }

  /** The events of one read: runs of `webhook` frames are applied together, everything else in order between them. */
  private async onEvents(events: readonly SseEvent[]): Promise<void> {
    let frames: SseEvent[] = []
    for (const event of events) {
      if (event.type === 'webhook') {
        frames.push(event)
        if (frames.length >= this.framesPerTransaction) {
          await this.onWebhooks(frames)
          frames = []
        }
        continue
      }
      if (frames.length > 0) await this.onWebhooks(frames)
      frames = []
      this.onControlEvent(event)
    }
    if (frames.length > 0) await this.onWebhooks(frames)
  }

  private onControlEvent(event: SseEvent): void {
    switch (event.type) {
      case 'gap':
        this.onGap(event.data)
        return
      case 'heartbeat': {
        const head = numberField(event.data, 'head')
        if (head !== null) this.emit('heartbeat', { head })
        return
      }
      default:
        // Frame types added to the protocol later are not ours to interpret.
        return
    }
  }

  private onGap(data: string): void {
    let gap: GapNotice = { after: -1, oldest: -1, reason: 'unknown' }
    try {
      const parsed = JSON.parse(data) as Partial<GapNotice>
      gap = {
        after: typeof parsed.after === 'number' ? parsed.after : -1,
        oldest: typeof parsed.oldest === 'number' ? parsed.oldest : -1,
        reason: typeof parsed.reason === 'string' ? parsed.reason : 'evicted'
      }
    } catch {
      // A gap we cannot read is still a gap: reconcile all the same.
    }
    if (gap.reason === 'cursor_ahead') {
      // The relay's database is older than our cursor (a restored backup) and restarts from its oldest
      // event; our cursor must follow it down, or every reconnect would ask from the future again.
      this.store.webhookEvents.resetCursor()
    }
    this.logLine(`the relay reports a gap after ${gap.after} (${gap.reason}); events in between must come from a reconcile`)
    this.emit('gap', gap)
  }

  private async onWebhooks(frames: readonly SseEvent[]): Promise<void> {
    const verdicts: FrameVerdict[] = []
    for (const frame of frames) verdicts.push(await this.verify(frame))
    // Refused and unreadable frames only move the cursor; they are said so here, and consumed with the batch.
    const items: { item: BatchItem; verdict: FrameVerdict }[] = []
    for (const verdict of verdicts) {
      if (verdict.kind === 'rejected') {
        this.rejected++
        // Never the body: it is a DM (or an attacker's payload).
        this.logLine(`refused relay event ${verdict.seq}: ${rejectionText(verdict.reason)}`)
        items.push({ item: { seq: verdict.seq, envelope: null }, verdict })
      } else if (verdict.kind === 'unreadable') {
        this.logLine(`skipped relay event ${verdict.seq ?? '(no id)'}: ${verdict.detail}`)
        if (verdict.seq !== null) items.push({ item: { seq: verdict.seq, envelope: null }, verdict })
        else this.emit('frame', { seq: null, result: 'unreadable', reason: verdict.detail })
      } else {
        items.push({ item: { seq: verdict.seq, envelope: verdict.envelope }, verdict })
      }
    }
    await this.applyInOrder(items)
  }

  /** The signature check of one frame, reading the secrets again once if they may have been rotated. */
  private async verify(frame: SseEvent): Promise<FrameVerdict> {
    let secrets = await this.currentSecrets(false)
    let verdict = verifyWebhookFrame({ data: frame.data, lastEventId: frame.lastEventId, secrets, toleranceSec: this.toleranceSec })
    if (verdict.kind === 'rejected' && verdict.reason === 'mismatch' && this.now() - this.secretsLoadedAt >= this.secretsRefreshMinIntervalMs) {
      // Maybe the secret was rotated since we read it.
      secrets = await this.currentSecrets(true)
      verdict = verifyWebhookFrame({ data: frame.data, lastEventId: frame.lastEventId, secrets, toleranceSec: this.toleranceSec })
    }
    return verdict
  }

  /**
   * One transaction for the lot; after its commit, the acks and what became of each frame. An event that
   * fails to apply ends the batch there (the ones before it are committed): it is tried again on the
   * redelivery, and skipped once it has failed `maxApplyAttempts` times, so the stream is never stuck.
   */
  private async applyInOrder(items: readonly { item: BatchItem; verdict: FrameVerdict }[]): Promise<void> {
    let rest = items
    while (rest.length > 0) {
      const { results, failure } = await this.applier.applyBatch(rest.map(({ item }) => item))
      if (results.length > 0) {
        const upTo = rest[results.length - 1].item.seq
        this.emit('committed', { frames: results.length, upTo })
        this.acks.note(upTo)
      }
      results.forEach((result, index) => this.report(rest[index].verdict, result))
      if (!failure) return

      const failed = rest[failure.index]
      const { seq } = failed.item
      const envelope = failed.item.envelope!
      const attempts = (this.failedAttempts.get(seq) ?? 0) + 1
      this.failedAttempts.set(seq, attempts)
      const reason = failure.error instanceof Error ? failure.error.message : String(failure.error)
      if (attempts < this.maxApplyAttempts) {
        // Not consumed: the stream reconnects and the relay sends it (and what followed it) again.
        throw new Error(`event ${seq} could not be applied (attempt ${attempts}): ${reason}`, { cause: failure.error })
      }
      this.failedAttempts.delete(seq)
      this.logLine(`skipping relay event ${seq} (${envelope.type}) after ${attempts} failed attempts: ${reason}`)
      this.consumeWithoutChange(seq)
      this.emit('frame', { seq, eventId: envelope.id, eventType: envelope.type, result: 'skipped', reason })
      rest = rest.slice(failure.index + 1)
    }
  }

  /** What became of one committed frame, for the owner (never the body). */
  private report(verdict: FrameVerdict, result: ApplyEventResult): void {
    if (verdict.kind === 'rejected') {
      this.emit('frame', { seq: verdict.seq, result: 'rejected', reason: verdict.reason })
      return
    }
    if (verdict.kind === 'unreadable') {
      this.emit('frame', { seq: verdict.seq, result: 'unreadable', reason: verdict.detail })
      return
    }
    const { seq, envelope } = verdict
    this.failedAttempts.delete(seq)
    const base = { seq, eventId: envelope.id, eventType: envelope.type }
    if (result.status === 'applied') this.emit('frame', { ...base, result: 'applied', changes: result.changes })
    else if (result.status === 'duplicate') this.emit('frame', { ...base, result: 'duplicate' })
    else {
      this.countIgnored(envelope.type)
      this.emit('frame', { ...base, result: 'ignored', reason: result.reason })
    }
  }

  private countIgnored(eventType: string): void {
    const key = this.ignoredByType.has(eventType) || this.ignoredByType.size < MAX_COUNTED_TYPES ? eventType : OTHER_TYPES
    this.ignoredByType.set(key, (this.ignoredByType.get(key) ?? 0) + 1)
  }

  private consumeWithoutChange(seq: number): void {
    this.store.webhookEvents.advanceCursor(seq)
    this.acks.note(seq)
  }

  private async currentSecrets(refresh: boolean): Promise<readonly string[]> {
    if (this.secrets === null || refresh) {
      const loaded = (await this.loadSecrets()).filter((secret) => secret.length > 0)
      this.secretsLoadedAt = this.now()
      // Without any secret every event would be refused and skipped: lost. Keep the frame for later.
      if (loaded.length === 0) throw new Error('No webhook secret is available to check events with; pair this computer again.')
      this.secrets = loaded
    }
    return this.secrets
  }

  private async sendAck(upTo: number): Promise<void> {
    const { relayUrl, channelId, deviceToken } = this.endpoint
    const response = await this.fetchImpl(`${relayUrl}/v1/channels/${encodeURIComponent(channelId)}/ack`, {
      method: 'POST',
      headers: { authorization: `Bearer ${deviceToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ up_to: upTo }),
      signal: AbortSignal.any([AbortSignal.timeout(ACK_TIMEOUT_MS), this.ackAbort.signal])
    })
    await response.body?.cancel().catch(() => {})
    if (response.status !== 204 && response.status !== 200) throw new Error(`HTTP ${response.status}`)
  }
}

function numberField(data: string, field: string): number | null {
  try {
    const value = (JSON.parse(data) as Record<string, unknown>)[field]
    return typeof value === 'number' ? value : null
  } catch {
    return null
  }
}

function rejectionText(reason: RejectionReason): string {
  switch (reason) {
    case 'missing':
      return 'no Postproxy signature'
    case 'malformed':
      return 'an unreadable Postproxy signature'
    case 'mismatch':
      return 'the signature does not match any webhook secret'
    case 'stale':
      return 'the signature is more than 5 minutes away from when the relay received it (a replay?)'
    case 'body_digest':
      return 'the body does not match its checksum'
  }
}

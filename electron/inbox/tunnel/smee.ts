// The degraded alternative to a relay (RELAY.md): a `https://smee.io/<channel>` URL registered as the
// webhook. smee re-serialises the JSON body (no signature survives), stores nothing (events sent while we
// are away are gone) and has no authentication (anyone with the URL reads the DMs as they pass). So:
// - an event is only a hint that something changed: the message (or chat, or comment) is fetched again
//   over the authenticated REST API before anything is stored — a forged hint can at worst cause a fetch;
// - a REST reconcile runs every 2–5 minutes, since missed events are never redelivered;
// - the creator is told what the URL exposes (SMEE_PRIVACY_WARNING).
import { EventEmitter } from 'node:events'
import type { TunnelStatus } from '../../../shared/inbox-api.ts'
import { COMMENT_CREATED_EVENT, DM_EVENT_TYPES } from '../../../shared/postproxy.ts'
import { CommentCreatedDataSchema, envelopeComment, type CommentCreatedData } from '../../../shared/postproxy-comments.ts'
import type { PostproxyClient } from '../postproxy/client.ts'
import type { InboxStore } from '../store/index.ts'
import { EventApplier, type AppliedChanges } from './event-applier.ts'
import { EventStreamConnection, type StreamState } from './event-stream-connection.ts'
import { ReconcileScheduler } from './reconcile-scheduler.ts'
import type { ReconnectDelayOptions } from './reconnect-delay.ts'
import type { SseEvent } from './sse-parser.ts'

export const SMEE_PRIVACY_WARNING =
  'Anyone who knows this smee.io address can read your direct messages as they arrive, and messages sent while ' +
  'this app is closed are not kept. Use a relay you run yourself for private, reliable delivery.'

export const DEFAULT_SMEE_RECONCILE_MS = 3 * 60_000

export type SmeeHint =
  | { kind: 'message'; eventType: string; messageId: string }
  | { kind: 'chat'; eventType: string; chatId: string }
  | { kind: 'comment'; eventType: string; postId: string; commentId: string; platform: string }
  | { kind: 'none'; reason: string }

export type SmeeTunnelEvents = {
  status: [TunnelStatus]
  changes: [AppliedChanges]
  /** Each hint and what came of it. */
  hint: [{ hint: SmeeHint; outcome: 'stored' | 'ignored' | 'failed' }]
  reconcile: [{ reason: string; ok: boolean }]
}

export interface SmeeTunnelOptions {
  /** e.g. https://smee.io/abc123 */
  url: string
  store: InboxStore
  client: Pick<PostproxyClient, 'getMessage' | 'getChat' | 'getComment'>
  reconcile: (reason: string) => Promise<unknown>
  /** A new comment, once fetched over REST (see EventApplierOptions.onComment). Default: nothing. */
  onComment?: (comment: CommentCreatedData) => void
  /** Default 3 min (RELAY.md: every 2–5 min). */
  reconcileIntervalMs?: number
  fetch?: typeof globalThis.fetch
  watchdogMs?: number
  delay?: Partial<ReconnectDelayOptions>
  random?: () => number
  now?: () => number
  log?: (line: string) => void
}

const DM_EVENTS: ReadonlySet<string> = new Set(DM_EVENT_TYPES)
/** A comment is fetched as one of the stored profiles on its platform (the event does not name the profile). */
const MAX_PROFILES_TRIED = 10
/** Ids are only ever used as one encoded path segment; this bounds what a forged hint can make us ask for. */
const PLAUSIBLE_ID = /^[A-Za-z0-9._:-]{1,200}$/

export class SmeeTunnel extends EventEmitter<SmeeTunnelEvents> {
  readonly privacyWarning = SMEE_PRIVACY_WARNING
  private readonly client: Pick<PostproxyClient, 'getMessage' | 'getChat' | 'getComment'>
  private readonly store: InboxStore
  private readonly applier: EventApplier
  private readonly scheduler: ReconcileScheduler
  private readonly stream: EventStreamConnection
  private readonly now: () => number
  private readonly log: (line: string) => void
  private currentStatus: TunnelStatus
  private running = false

  constructor(options: SmeeTunnelOptions) {
    super()
    this.client = options.client
    this.store = options.store
    this.now = options.now ?? Date.now
    this.log = options.log ?? (() => {})
    this.applier = new EventApplier({ store: options.store, client: options.client, onComment: options.onComment, log: this.log })
    this.scheduler = new ReconcileScheduler({
      reconcile: options.reconcile,
      intervalMs: options.reconcileIntervalMs ?? DEFAULT_SMEE_RECONCILE_MS,
      log: this.log,
      onRun: (run) => this.emit('reconcile', run)
    })
    const url = options.url
    this.stream = new EventStreamConnection({
      request: () => ({ url, headers: {} }),
      onEvents: async (events) => {
        // Each hint is a REST fetch of its own: one after the other, in stream order.
        for (const event of events) await this.onEvent(event)
      },
      onState: (state) => this.onState(state),
      fetch: options.fetch,
      watchdogMs: options.watchdogMs,
      delay: options.delay,
      random: options.random,
      now: this.now,
      log: this.log
    })
    this.currentStatus = { state: 'reconnecting', nextAttemptAt: new Date(this.now()).toISOString(), signatureFailures: 0 }
  }

  get status(): TunnelStatus {
    return this.currentStatus
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.scheduler.start()
    void this.scheduler.request('start')
    this.stream.start()
  }

  async stop(): Promise<void> {
    this.running = false
    await this.stream.stop()
    await this.scheduler.stop()
  }

  reconnectNow(): void {
    this.stream.reconnectNow()
  }

  private async onEvent(event: SseEvent): Promise<void> {
    // smee sends `ready` and `ping` besides the default `message` events that carry webhooks.
    if (event.type !== 'message') return
    const hint = hintFrom(event.data)
    if (hint.kind === 'none') {
      this.emit('hint', { hint, outcome: 'ignored' })
      return
    }
    try {
      const changes =
        hint.kind === 'message'
          ? await this.applier.storeFetchedMessage(await this.client.getMessage(hint.messageId))
          : hint.kind === 'chat'
            ? this.applier.storeFetchedChat(await this.client.getChat(hint.chatId))
            : this.applier.storeFetchedComment(await this.fetchComment(hint))
      this.emit('changes', { ...changes, eventType: hint.eventType })
      this.emit('hint', { hint, outcome: 'stored' })
      if (changes.needsReconcile) void this.scheduler.request('incomplete hint')
    } catch (error) {
      // A forged id answers 404; a real one failing means the reconcile has to catch up.
      this.log(`a smee hint (${hint.eventType}) could not be checked over the API: ${error instanceof Error ? error.message : String(error)}`)
      this.emit('hint', { hint, outcome: 'failed' })
      void this.scheduler.request('hint failed')
    }
  }

  /** The comment as the API has it, asked for as each stored profile on its platform until one has it. */
  private async fetchComment(hint: Extract<SmeeHint, { kind: 'comment' }>): Promise<CommentCreatedData> {
    const profiles = this.store.profiles.list().filter((profile) => profile.platform === hint.platform).slice(0, MAX_PROFILES_TRIED)
    let lastError: unknown = new Error(`no ${hint.platform} profile is stored to fetch the comment as`)
    for (const profile of profiles) {
      try {
        const comment = await this.client.getComment(hint.postId, hint.commentId, profile.id)
        return CommentCreatedDataSchema.parse({ ...comment, post_id: hint.postId, platform: hint.platform })
      } catch (error) {
        lastError = error
      }
    }
    throw lastError
  }

  private onState(state: StreamState): void {
    switch (state.kind) {
      case 'open':
        this.setStatus({ state: 'connected', signatureFailures: 0 })
        // smee keeps nothing: whatever happened while we were away is only found by asking.
        void this.scheduler.request('reconnected')
        return
      case 'connecting':
        this.setStatus({ state: 'reconnecting', nextAttemptAt: new Date(this.now()).toISOString(), signatureFailures: 0 })
        return
      case 'waiting':
        this.setStatus({ state: 'reconnecting', nextAttemptAt: new Date(state.nextAttemptAt).toISOString(), signatureFailures: 0 })
        return
      case 'refused':
        this.setStatus({ state: 'needs_pairing', reason: `The smee.io channel refused the connection (${state.status}). Set up the tunnel again.` })
        return
      case 'stopped':
        return
    }
  }

  private setStatus(status: TunnelStatus): void {
    if (JSON.stringify(status) === JSON.stringify(this.currentStatus)) return
    this.currentStatus = status
    this.emit('status', status)
  }
}

/**
 * Which object a smee event says changed. Only the event type and an id are read from the unverifiable
 * payload; the content comes from the API.
 */
export function hintFrom(data: string): SmeeHint {
  let payload: Record<string, unknown>
  try {
    payload = JSON.parse(data) as Record<string, unknown>
  } catch {
    return { kind: 'none', reason: 'not JSON' }
  }
  if (typeof payload !== 'object' || payload === null) return { kind: 'none', reason: 'not an object' }
  let body = payload.body
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body)
    } catch {
      return { kind: 'none', reason: 'the body is not JSON' }
    }
  }
  const envelope = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
  const header = payload['x-postproxy-event']
  const eventType = typeof envelope.type === 'string' ? envelope.type : typeof header === 'string' ? header : ''
  const eventData = typeof envelope.data === 'object' && envelope.data !== null ? (envelope.data as Record<string, unknown>) : {}
  if (eventType === COMMENT_CREATED_EVENT) {
    const comment = envelopeComment({ data: eventData })
    if (!comment) return { kind: 'none', reason: 'no readable comment' }
    const [postId, commentId] = [plausibleId(comment.post_id), plausibleId(comment.id)]
    return postId && commentId ? { kind: 'comment', eventType, postId, commentId, platform: comment.platform } : { kind: 'none', reason: 'implausible comment ids' }
  }
  if (!DM_EVENTS.has(eventType)) return { kind: 'none', reason: `${eventType || 'an unnamed event'} is not an event the inbox uses` }
  if (eventType === 'referral.received') {
    const chatId = idOf(eventData.chat)
    return chatId ? { kind: 'chat', eventType, chatId } : { kind: 'none', reason: 'no chat id' }
  }
  const messageId = idOf(eventData.message) ?? idOf(eventData.object)
  return messageId ? { kind: 'message', eventType, messageId } : { kind: 'none', reason: 'no message id' }
}

function idOf(value: unknown): string | null {
  return plausibleId(typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined)
}

function plausibleId(id: unknown): string | null {
  return typeof id === 'string' && PLAUSIBLE_ID.test(id) ? id : null
}

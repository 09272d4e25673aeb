// Durable sends. A send is checked by its chat's platform's rules (text size, media type and size, the
// messaging window), then written to the outbox together with its optimistic message row before any
// network call; a worker
// delivers queued sends in order per chat with the send's own Idempotency-Key, so a retry after a
// lost connection never reaches the recipient twice. Transient failures wait and retry; permanent
// ones end as `failed` with the reason, for the creator to retry or discard.
//
// The same worker delivers the other actions of the outbox (those on comments: private and public
// replies, hide, like…) through the `OutboxActionDelivery` their module registers, with the same
// order per lane, the same retries and the same keys.
import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { checkMessageText } from '../../../shared/media-rules.ts'
import type { MessageTag } from '../../../shared/messaging-window.ts'
import type { Chat } from '../../../shared/postproxy.ts'
import { InboxFailure } from '../inbox-failure.ts'
import { isPostproxyError, type PostproxyClient, type PostproxyError } from '../postproxy/index.ts'
import type { EnqueueActionInput, InboxStore, OutboxActionKind, OutboxItem, StoredMessage } from '../store/index.ts'
import { replyableCommentCount } from '../comments/comment-reach.ts'
import { isStagedCopy, MediaRejectedError, stageMedia, type MediaIntakeSource } from './media-intake.ts'
import { checkSendExtras, messageExtrasOf, type SendExtrasInput } from './send-extras.ts'
import { checkSendWindow } from './window-guard.ts'

/** What an accepted action leaves behind. */
export interface DeliveredAction {
  /** The id of what Postproxy created (a private reply's message), if anything. */
  serverId: string | null
  /** Synchronous store writes of the outcome: they commit together with the item's "sent". */
  record(): void
}

/** How the actions of one kind go out; registered by the module that owns them. */
export interface OutboxActionDelivery {
  /** One attempt with the item's Idempotency-Key (a retry repeats the key). Throws as the client does. */
  deliver(item: OutboxItem, options: { idempotencyKey: string; signal: AbortSignal }): Promise<DeliveredAction>
}

export interface OutboxSenderOptions {
  client: PostproxyClient
  store: InboxStore
  /** Where dropped files are copied so queued sends survive the original moving. */
  stagingDir: string
  now?: () => number
  random?: () => number
  /** Sends delivered at the same time (each chat's own order is always kept). */
  concurrency?: number
  /** Told when a send fails for a network reason (the app is probably offline) or succeeds. */
  onConnectivity?: (online: boolean) => void
  /** Deliveries of the action kinds (comments); an action without one fails with a reason. */
  actions?: Partial<Record<OutboxActionKind, OutboxActionDelivery>>
  /** Why a chat's profile cannot send now (its connection expired or was removed), in plain words; null: it can. */
  profileProblem?: (profileId: string) => string | null
}

/** After a transient failure the send waits this long, doubling per attempt, up to the cap. */
const RETRY_BASE_MS = 5_000
const RETRY_CAP_MS = 5 * 60_000
/** While offline, one due send probes the network this often. */
const OFFLINE_PROBE_MS = 30_000

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'video/mp4': 'mp4', 'video/ogg': 'ogv', 'video/x-msvideo': 'avi',
  'video/quicktime': 'mov', 'video/webm': 'webm', 'audio/aac': 'aac', 'audio/mp4': 'm4a', 'audio/x-m4a': 'm4a', 'audio/wav': 'wav',
  'audio/x-wav': 'wav', 'application/pdf': 'pdf'
}

function isTransient(error: PostproxyError): boolean {
  // A refused key is not the message's fault: it waits, unchanged, until the key is fixed.
  return error.retryable || error.kind === 'unauthorized'
}

export class OutboxSender {
  private readonly client: PostproxyClient
  private readonly store: InboxStore
  private readonly stagingDir: string
  private readonly now: () => number
  private readonly random: () => number
  private readonly concurrency: number
  private readonly onConnectivity: (online: boolean) => void
  private readonly actions: Partial<Record<OutboxActionKind, OutboxActionDelivery>>
  private readonly profileProblem: (profileId: string) => string | null
  private online = true
  private running = false
  private draining: Promise<void> | null = null
  private drainAgain = false
  /** The next drain ignores retry times: the network just came back. */
  private everythingDue = false
  private timer: ReturnType<typeof setTimeout> | null = null
  private readonly inFlight = new Set<AbortController>()

  constructor(options: OutboxSenderOptions) {
    this.client = options.client
    this.store = options.store
    this.stagingDir = options.stagingDir
    this.now = options.now ?? Date.now
    this.random = options.random ?? Math.random
    this.concurrency = Math.max(1, options.concurrency ?? 3)
    this.onConnectivity = options.onConnectivity ?? (() => {})
    this.actions = options.actions ?? {}
    this.profileProblem = options.profileProblem ?? (() => null)
  }

  /**
   * Resumes sends interrupted by a crash or quit (same keys), then delivers the queue. Everything waiting
   * goes now, whatever its retry time: the backoff was for the network of the last run, and a creator who
   * wrote on the plane expects the messages to leave when the app starts on the ground.
   */
  start(): void {
    if (this.running) return
    this.running = true
    this.store.outbox.requeueInterrupted()
    this.kick({ everythingDue: true })
  }

  async stop(): Promise<void> {
    this.running = false
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    for (const controller of this.inFlight) controller.abort()
    await this.draining
  }

  /** The shell or a successful request says the network is back: everything waiting goes now. */
  setOnline(online: boolean): void {
    const cameBack = online && !this.online
    this.online = online
    if (cameBack) this.kick({ everythingDue: true })
  }

  /** `extras`: the message it answers and its quick replies, buttons or card (checked before anything is queued). */
  queueText(chatId: string, text: string, tag: MessageTag | null = null, extrasInput: SendExtrasInput = {}): StoredMessage {
    const chat = this.chatOf(chatId)
    const check = checkMessageText(text, chat.platform)
    if (!check.ok) throw new InboxFailure('invalid_argument', check.message)
    this.guardWindow(chat, tag)
    const extras = checkSendExtras(this.store, chat, text, false, extrasInput)
    const { message } = this.store.outbox.enqueue({ localId: `local_${randomUUID()}`, chatId, idempotencyKey: randomUUID(), tag, extras, kind: 'text', body: text })
    this.kick()
    return message
  }

  async queueMedia(chatId: string, source: MediaIntakeSource, tag: MessageTag | null = null, replyToExternalId: string | null = null): Promise<StoredMessage> {
    const chat = this.chatOf(chatId)
    this.guardWindow(chat, tag)
    const extras = checkSendExtras(this.store, chat, null, true, { replyToExternalId })
    let staged
    try {
      staged = await stageMedia(source, this.stagingDir, chat.platform)
    } catch (error) {
      if (error instanceof MediaRejectedError) throw new InboxFailure('media_rejected', error.userMessage, error)
      throw error
    }
    const { message } = this.store.outbox.enqueue({
      localId: `local_${randomUUID()}`,
      chatId,
      idempotencyKey: randomUUID(),
      tag,
      extras,
      kind: 'media',
      media: { path: staged.path, mime: staged.mime, size: staged.sizeBytes },
      attachmentType: staged.kind
    })
    this.kick()
    return message
  }

  /** Queues an action (already checked by its module) and delivers it with the rest. */
  queueAction(input: Omit<EnqueueActionInput, 'localId' | 'idempotencyKey'>): OutboxItem {
    const item = this.store.outbox.enqueueAction({ ...input, localId: `local_${randomUUID()}`, idempotencyKey: randomUUID() })
    this.kick()
    return item
  }

  /** Something was queued again (a retried action): deliver it now. */
  wake(): void {
    this.kick()
  }

  /** The creator's "Retry" on a failed send: same key, so a send that did arrive is not repeated. */
  retry(localId: string): void {
    if (!this.store.outbox.retry(localId)) throw new InboxFailure('not_found', 'This message is no longer waiting to be sent.')
    this.kick()
  }

  discard(localId: string): void {
    if (!this.store.outbox.discard(localId)) throw new InboxFailure('not_found', 'This message is being sent right now and can no longer be discarded.')
  }

  /** Resolves when nothing is due now (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining
  }

  /** The chat a send goes to (its platform's rules apply), if its profile can send. */
  private chatOf(chatId: string): Chat {
    const item = this.store.chats.getChat(chatId)
    if (!item) throw new InboxFailure('not_found', 'This conversation is not in your inbox any more.')
    // A profile that lost its connection keeps its chats readable; a send would only fail at Postproxy.
    const problem = this.profileProblem(item.chat.profile_id)
    if (problem !== null) throw new InboxFailure('profile_unavailable', problem)
    return item.chat
  }

  /** Throws unless the chat's window allows a send now. */
  private guardWindow(chat: Chat, tag: MessageTag | null): void {
    const participant = chat.participant_username ? `@${chat.participant_username}` : chat.participant_name ?? 'This person'
    const verdict = checkSendWindow(chat.last_inbound_at, participant, chat.platform, this.now(), tag, () =>
      replyableCommentCount(this.store, chat.profile_id, chat.participant_external_id, this.now())
    )
    if (!verdict.ok) throw new InboxFailure('window_closed', verdict.reason)
  }

  private kick(options: { everythingDue?: boolean } = {}): void {
    if (!this.running) return
    if (options.everythingDue) this.everythingDue = true
    if (this.draining) {
      this.drainAgain = true
      return
    }
    const everythingDue = this.everythingDue
    this.everythingDue = false
    this.draining = this.drain(everythingDue).finally(() => {
      this.draining = null
      if (this.drainAgain) {
        this.drainAgain = false
        this.kick()
      } else {
        this.scheduleNext()
      }
    })
  }

  private async drain(everythingDue: boolean): Promise<void> {
    // Bounded: each round sends or reschedules every item it takes, so the queue shrinks or waits.
    for (let round = 0; round < 10_000 && this.running; round++) {
      const due = this.store.outbox.dueSends(everythingDue ? Number.MAX_SAFE_INTEGER : this.now(), this.online ? this.concurrency : 1)
      if (due.length === 0) return
      await Promise.all(due.map((item) => this.deliver(item)))
      if (!this.online) return // one probe per round while offline
    }
  }

  private scheduleNext(): void {
    if (!this.running) return
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const next = this.store.outbox.nextAttemptAt()
    if (next === null) return
    const delay = Math.max(0, next - this.now())
    this.timer = setTimeout(() => {
      this.timer = null
      this.kick()
    }, Math.min(delay, 2 ** 31 - 1))
    this.timer.unref?.()
  }

  private async deliver(item: OutboxItem): Promise<void> {
    if (!this.store.outbox.markSending(item.localId)) return
    const controller = new AbortController()
    this.inFlight.add(controller)
    try {
      if (item.kind === 'text' || item.kind === 'media') await this.deliverMessage(item, controller.signal)
      else await this.deliverAction(item.kind, item, controller.signal)
      this.noteOnline(true)
    } catch (error) {
      this.handleFailure(item, error)
    } finally {
      this.inFlight.delete(controller)
    }
  }

  private async deliverMessage(item: OutboxItem, signal: AbortSignal): Promise<void> {
    // The outbox's CHECK gives every message a chat.
    const chatId = item.chatId as string
    const content = item.kind === 'text' ? { body: item.body ?? '' } : { media: await this.mediaFile(item) }
    const accepted = await this.client.sendMessage(chatId, content, {
      ...messageExtrasOf(item.extras),
      idempotencyKey: item.idempotencyKey,
      tag: (item.tag as MessageTag | null) ?? undefined,
      platform: this.store.chats.getChat(chatId)?.chat.platform,
      signal
    })
    this.store.transaction(() => {
      this.store.outbox.markSent(item.localId, accepted.id)
      this.store.messages.attachServerMessage(item.localId, accepted)
    })
  }

  private async deliverAction(kind: OutboxActionKind, item: OutboxItem, signal: AbortSignal): Promise<void> {
    const delivery = this.actions[kind]
    if (!delivery) throw new InboxFailure('internal', 'This version of dmdesk cannot carry out this action. Discard it and try again.')
    const done = await delivery.deliver(item, { idempotencyKey: item.idempotencyKey, signal })
    this.store.transaction(() => {
      this.store.outbox.markSent(item.localId, done.serverId)
      done.record()
    })
  }

  private async mediaFile(item: OutboxItem) {
    const media = item.media!
    try {
      // Only the copy queueMedia staged: a row in a tampered database can't make the outbox upload another file.
      if (!isStagedCopy(media.path, this.stagingDir)) throw new TypeError('not a staged copy')
      return { bytes: await readFile(media.path), mime: media.mime, filename: `${item.localId}.${EXTENSIONS[media.mime] ?? 'bin'}` }
    } catch (cause) {
      throw new InboxFailure('media_rejected', 'The attached file could not be read any more. Attach it again.', cause)
    }
  }

  private handleFailure(item: OutboxItem, error: unknown): void {
    if (!this.running && isPostproxyError(error) && error.kind === 'aborted') {
      // Shutting down mid-request: the next start re-sends it with the same key.
      this.store.outbox.scheduleRetry(item.localId, this.now(), 'Interrupted; will resend.')
      return
    }
    if (isPostproxyError(error) && isTransient(error)) {
      const offline = error.kind === 'network' || error.kind === 'timeout'
      if (offline) this.noteOnline(false)
      const backoff = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.min(item.attempts, 10))
      const wait = offline ? OFFLINE_PROBE_MS : Math.max(error.retryAfterMs ?? 0, backoff * (0.5 + this.random() * 0.5))
      this.store.outbox.scheduleRetry(item.localId, this.now() + wait, error.userMessage)
      return
    }
    const reason =
      error instanceof InboxFailure ? error.userMessage : isPostproxyError(error) ? error.userMessage : 'Something went wrong while sending. Try again.'
    this.store.outbox.markFailed(item.localId, reason)
  }

  private noteOnline(online: boolean): void {
    if (online === this.online) return
    this.online = online
    this.onConnectivity(online)
    // A probe got through: the sends that waited for the network go now, not at their retry times.
    if (online) this.kick({ everythingDue: true })
  }
}

// What a verified webhook event does to the local cache (POSTPROXY.md §6):
// - every `message.*` event carries the Message as it is now: upsert it (the store's merge never lets an
//   older version undo a newer one: pending -> published/failed, receipts, edits, unsends);
// - `reaction.received` carries the reacted-to message with its reactions after the action;
// - `referral.received` carries the chat with its referral metadata;
// - `comment.created` carries a new comment: recorded as processed and handed to `onComment` (comments
//   are not stored yet; the hook runs inside the event's transaction, so a store added later commits
//   with the event id and the cursor);
// - `profile.connected` / `profile.disconnected` carry a profile's new connection state (an expired token,
//   a removed or restored connection): stored, so the inbox says which profiles can send;
// - anything else (post.*, profile.stats, other comment.* events, types invented later) is ignored.
//
// Exactly once: the change, the processed event id and the relay cursor commit in one transaction
// (`store.applyInTransaction`). Work that needs the network (fetching a chat the cache has never seen)
// happens before that transaction, so a crash at any point leaves either nothing or everything.
//
// Batches: the frames that arrived together (a catch-up after a disconnect delivers thousands) commit in
// ONE transaction — each event still in its own savepoint with its id and the cursor, so one bad event
// undoes only itself — because the commit, not the work, was most of each event's cost. The batch commits
// the events before a failing one and stops there; the caller decides to retry or skip it.
//
// Out of order: webhooks are not ordered. Statuses and timestamps are handled by the store's merge, but
// a reaction list has no version of its own — a `message.received` (reactions: []) arriving after the
// `reaction.received` it precedes would wipe the reaction. So each message's reactions carry the time of
// the event they came from (in sync_state), and an event older than that leaves them alone.
import {
  COMMENT_CREATED_EVENT,
  DM_EVENT_TYPES,
  PROFILE_EVENT_TYPES,
  ProfileEventDataSchema,
  ReactionEventDataSchema,
  ReferralEventDataSchema,
  envelopeMessage,
  type Chat,
  type Message,
  type MessageReaction,
  type ProfileEventData,
  type WebhookEnvelope
} from '../../../shared/postproxy.ts'
import { envelopeComment, type CommentCreatedData } from '../../../shared/postproxy-comments.ts'
import type { PostproxyClient } from '../postproxy/client.ts'
import type { InboxStore, MessageRef, UpsertMessagesResult } from '../store/index.ts'

export interface AppliedChanges {
  eventType: string
  /** Chats whose row changed. */
  chatIds: string[]
  /** Messages whose row (or reactions) changed. */
  messageIds: string[]
  /** Inbound messages stored for the first time: what a notification is about. */
  newInbound: MessageRef[]
  /** Comments (hashids) handed to `onComment`. */
  commentIds: string[]
  /** Profiles whose connection state changed. */
  profileIds: string[]
  /** The event could not be applied in full from its own data (a chat that could not be fetched, a
   *  reaction to a message the cache lacks): a REST reconcile fills the hole. */
  needsReconcile: boolean
}

export type ApplyEventResult =
  | { status: 'applied'; changes: AppliedChanges }
  /** Already applied (a sender retry, a redelivery after a crash): nothing changed. */
  | { status: 'duplicate' }
  | { status: 'ignored'; reason: string }

/** One frame of a batch: a verified envelope, or null for a frame consumed without a change (refused, unreadable). */
export interface BatchItem {
  seq: number
  envelope: WebhookEnvelope | null
}

export interface BatchOutcome {
  /** One per item, in order, for every item committed: all of them, or those before `failure.index`. */
  results: ApplyEventResult[]
  /** The item that could not be applied (nothing of it, nor of anything after it, was committed). */
  failure: { index: number; error: unknown } | null
}

export interface EventApplierOptions {
  store: InboxStore
  /** For chats the cache does not hold yet. */
  client: Pick<PostproxyClient, 'getChat'>
  /** The stream waits for this fetch, so it is bounded; without the chat the message is stored anyway. Default 5 s. */
  chatFetchTimeoutMs?: number
  /**
   * A verified new comment (a signed `comment.created`, or one fetched over REST). Called once per event,
   * synchronously, inside the transaction that records the event: store writes made here commit with it,
   * and a throw undoes it (the event is delivered again). Default: nothing (comments are not stored yet).
   */
  onComment?: (comment: CommentCreatedData) => void
  log?: (line: string) => void
}

const DM_EVENTS: ReadonlySet<string> = new Set([...DM_EVENT_TYPES, ...PROFILE_EVENT_TYPES])
/** A frame consumed without a change: only the cursor moves. */
const CONSUMED = { kind: 'consume', result: { status: 'ignored', reason: 'consumed without a change' } } as const satisfies Prepared
/** sync_state scope of "the reactions of message X are as of time T". */
const REACTIONS_AS_OF_SCOPE = 'tunnel:reactions-as-of'
/** sync_state scope of "profile X's connection state is as of time T" (webhooks are not ordered). */
const PROFILE_AS_OF_SCOPE = 'tunnel:profile-as-of'

type Plan =
  | { kind: 'message'; message: Message; at: string }
  | { kind: 'reaction'; message: Message | null; messageId: string | null; at: string; sender: string | null; action: 'react' | 'unreact'; reaction: MessageReaction }
  | { kind: 'chat'; chat: Chat }
  | { kind: 'profile'; profile: ProfileEventData; at: string }

/** What to do with one envelope, decided before the transaction. */
type Prepared =
  | { kind: 'consume'; result: ApplyEventResult }
  | { kind: 'comment'; comment: CommentCreatedData }
  | { kind: 'plan'; plan: Plan; chatId: string | null }

export class EventApplier {
  private readonly store: InboxStore
  private readonly client: Pick<PostproxyClient, 'getChat'>
  private readonly chatFetchTimeoutMs: number
  private readonly onComment: (comment: CommentCreatedData) => void
  private readonly log: (line: string) => void

  constructor(options: EventApplierOptions) {
    this.store = options.store
    this.client = options.client
    this.chatFetchTimeoutMs = options.chatFetchTimeoutMs ?? 5000
    this.onComment = options.onComment ?? (() => {})
    this.log = options.log ?? (() => {})
  }

  /**
   * Applies a verified envelope delivered at relay position `seq` (null when it came from elsewhere).
   * The cursor moves to `seq` whatever the outcome, since the frame has been dealt with.
   */
  async applyEnvelope(envelope: WebhookEnvelope, seq: number | null): Promise<ApplyEventResult> {
    const { results, failure } = await this.applyItems([{ seq, envelope }])
    if (failure) throw failure.error
    return results[0]
  }

  /** Applies frames delivered together, in order, in one transaction (see the file's header). */
  applyBatch(items: readonly BatchItem[]): Promise<BatchOutcome> {
    return this.applyItems(items)
  }

  private async applyItems(items: readonly { seq: number | null; envelope: WebhookEnvelope | null }[]): Promise<BatchOutcome> {
    const prepared = items.map((item) => (item.envelope === null ? CONSUMED : this.prepare(item.envelope)))
    const chats = await this.chatsIfMissing(prepared)
    const results: ApplyEventResult[] = []
    let failure: BatchOutcome['failure'] = null
    this.store.transaction(() => {
      let cursor: number | null = null
      for (let index = 0; index < items.length; index++) {
        try {
          results.push(this.applyPrepared(items[index], prepared[index], chats))
          cursor = items[index].seq ?? cursor
        } catch (error) {
          // The event's savepoint is rolled back; the events before it commit with the batch.
          failure = { index, error }
          break
        }
      }
      // Once for the batch, in its transaction: the relay position of the last event it commits.
      if (cursor !== null) this.store.webhookEvents.advanceCursor(cursor)
    })
    return { results, failure }
  }

  /** Synchronous and network-free: what an envelope asks for. */
  private prepare(envelope: WebhookEnvelope): Prepared {
    const isComment = envelope.type === COMMENT_CREATED_EVENT
    if (!isComment && !DM_EVENTS.has(envelope.type)) return { kind: 'consume', result: { status: 'ignored', reason: `${envelope.type} is not an event the inbox uses` } }
    // A redelivery is recognised inside the transaction (applyInTransaction), where it counts.
    if (isComment) {
      const comment = envelopeComment(envelope)
      return comment ? { kind: 'comment', comment } : { kind: 'consume', result: { status: 'ignored', reason: 'the comment.created event carries no readable comment' } }
    }
    const plan = planFor(envelope)
    if (typeof plan === 'string') return { kind: 'consume', result: { status: 'ignored', reason: plan } }
    return { kind: 'plan', plan, chatId: plan.kind === 'chat' || plan.kind === 'profile' ? null : (plan.message?.chat_id ?? null) }
  }

  /** The chats the cache lacks, fetched (each once) before the transaction. */
  private async chatsIfMissing(prepared: readonly Prepared[]): Promise<Map<string, Chat>> {
    const chats = new Map<string, Chat>()
    const wanted = new Set(prepared.flatMap((p) => (p.kind === 'plan' && p.chatId !== null ? [p.chatId] : [])))
    for (const chatId of wanted) {
      const chat = await this.chatIfMissing(chatId)
      if (chat) chats.set(chatId, chat)
    }
    return chats
  }

  /** Inside the batch's transaction: one event, in a savepoint of its own (applyInTransaction nests). */
  private applyPrepared(item: { envelope: WebhookEnvelope | null }, prepared: Prepared, chats: ReadonlyMap<string, Chat>): ApplyEventResult {
    const { envelope } = item
    if (prepared.kind === 'consume' || envelope === null) return prepared.kind === 'consume' ? prepared.result : CONSUMED.result
    // The cursor moves once for the whole batch (applyItems), in the same transaction.
    const outcome = this.store.applyInTransaction(envelope.id, null, () => {
      if (prepared.kind === 'comment') return this.writeComment(envelope.type, prepared.comment)
      const chat = prepared.chatId === null ? undefined : chats.get(prepared.chatId)
      if (chat) this.store.chats.upsertChat(chat)
      return this.write(envelope.type, prepared.plan)
    })
    return outcome.status === 'duplicate' ? outcome : { status: 'applied', changes: outcome.value }
  }

  /**
   * Stores a message fetched over REST (the smee fallback re-fetches before trusting anything). It is
   * the server's current state, so it needs no event bookkeeping.
   */
  async storeFetchedMessage(message: Message): Promise<AppliedChanges> {
    const chat = await this.chatIfMissing(message.chat_id)
    return this.store.transaction(() => {
      if (chat) this.store.chats.upsertChat(chat)
      const result = this.store.messages.upsertMessage(message)
      return fromUpsert('message', result)
    })
  }

  /** A comment fetched over REST (the smee fallback): the server's current state, no event bookkeeping. */
  storeFetchedComment(comment: CommentCreatedData): AppliedChanges {
    return this.store.transaction(() => this.writeComment(COMMENT_CREATED_EVENT, comment))
  }

  storeFetchedChat(chat: Chat): AppliedChanges {
    const result = this.store.chats.upsertChat(chat)
    return { ...noChanges('chat'), chatIds: [...result.inserted, ...result.updated] }
  }

  private async chatIfMissing(chatId: string): Promise<Chat | null> {
    if (this.store.chats.has(chatId)) return null
    try {
      return await this.client.getChat(chatId, { signal: AbortSignal.timeout(this.chatFetchTimeoutMs) })
    } catch (error) {
      // The message is stored anyway; the chat arrives with the next reconcile.
      this.log(`could not fetch chat ${chatId} for a webhook event: ${error instanceof Error ? error.message : String(error)}`)
      return null
    }
  }

  /** Synchronous: runs inside the event's transaction. */
  private write(eventType: string, plan: Plan): AppliedChanges {
    switch (plan.kind) {
      case 'chat':
        return { ...this.storeFetchedChat(plan.chat), eventType }
      case 'message':
        return this.writeMessage(eventType, plan.message, plan.at)
      case 'reaction':
        return this.writeReaction(eventType, plan)
      case 'profile':
        return this.writeProfile(eventType, plan)
    }
  }

  private writeProfile(eventType: string, plan: Extract<Plan, { kind: 'profile' }>): AppliedChanges {
    const asOf = this.store.syncState.get(PROFILE_AS_OF_SCOPE, plan.profile.id)
    // An older event arriving late must not undo a newer one (expired, then reconnected).
    if (asOf !== null && Date.parse(asOf) > Date.parse(plan.at)) return noChanges(eventType)
    this.store.syncState.set(PROFILE_AS_OF_SCOPE, plan.profile.id, plan.at)
    this.store.profiles.applyConnection(plan.profile)
    return { ...noChanges(eventType), profileIds: [plan.profile.id] }
  }

  private writeComment(eventType: string, comment: CommentCreatedData): AppliedChanges {
    this.onComment(comment)
    return { ...noChanges(eventType), commentIds: [comment.id] }
  }

  private writeMessage(eventType: string, message: Message, at: string): AppliedChanges {
    let version = message
    if (Array.isArray(message.reactions)) {
      if (this.reactionsAreNewerThan(message.id, at)) version = { ...message, reactions: undefined }
      else this.store.syncState.set(REACTIONS_AS_OF_SCOPE, message.id, at)
    }
    return fromUpsert(eventType, this.store.messages.upsertMessage(version))
  }

  private writeReaction(eventType: string, plan: Extract<Plan, { kind: 'reaction' }>): AppliedChanges {
    // The event carries the message as it is after the action: the whole truth, even before the message
    // itself has arrived (it is then stored from here).
    if (plan.message) return this.writeMessage(eventType, plan.message, plan.at)

    // Only an id: apply the action to the stored message.
    const stored = plan.messageId === null ? null : this.store.messages.getMessage(plan.messageId)
    if (!stored) return { ...noChanges(eventType), needsReconcile: true }
    if (this.reactionsAreNewerThan(stored.message.id, plan.at)) return noChanges(eventType)
    const others = (stored.message.reactions ?? []).filter((reaction) => (reaction.sender_external_id ?? null) !== plan.sender)
    const reactions = plan.action === 'react' ? [...others, plan.reaction] : others
    this.store.syncState.set(REACTIONS_AS_OF_SCOPE, stored.message.id, plan.at)
    const changed = this.store.messages.replaceReactions(stored.rowId, reactions)
    return { ...noChanges(eventType), messageIds: changed ? [stored.message.id] : [], chatIds: changed ? [stored.message.chat_id] : [] }
  }

  private reactionsAreNewerThan(messageId: string, at: string): boolean {
    const asOf = this.store.syncState.get(REACTIONS_AS_OF_SCOPE, messageId)
    return asOf !== null && Date.parse(asOf) > Date.parse(at)
  }
}

/** What the event asks for, or why it cannot be applied. */
function planFor(envelope: WebhookEnvelope): Plan | string {
  const data = envelope.data
  if (envelope.type === 'referral.received') {
    const referral = ReferralEventDataSchema.safeParse(data)
    if (!referral.success || !referral.data.chat) return 'the referral event carries no readable chat'
    return { kind: 'chat', chat: referral.data.chat }
  }
  if ((PROFILE_EVENT_TYPES as readonly string[]).includes(envelope.type)) {
    const profile = ProfileEventDataSchema.safeParse(data)
    return profile.success ? { kind: 'profile', profile: profile.data, at: envelope.created_at } : `the ${envelope.type} event carries no readable profile`
  }
  const message = envelopeMessage(envelope)
  if (envelope.type === 'reaction.received') {
    const reaction = ReactionEventDataSchema.safeParse(data)
    if (!reaction.success) return 'the reaction event is not readable'
    const r = reaction.data
    const at = r.occurred_at ?? envelope.created_at
    const messageId = message?.id ?? idOf(data.message) ?? idOf(data.object)
    if (!message && messageId === null) return 'the reaction event does not say which message it is about'
    return {
      kind: 'reaction',
      message,
      messageId,
      at,
      sender: r.sender_external_id ?? null,
      action: r.action,
      reaction: { sender_external_id: r.sender_external_id ?? null, emoji: r.emoji ?? null, reaction: r.reaction ?? null, at }
    }
  }
  if (!message) return `the ${envelope.type} event carries no readable message`
  return { kind: 'message', message, at: envelope.created_at }
}

function idOf(value: unknown): string | null {
  const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined
  return typeof id === 'string' && id !== '' ? id : null
}

function noChanges(eventType: string): AppliedChanges {
  return { eventType, chatIds: [], messageIds: [], newInbound: [], commentIds: [], profileIds: [], needsReconcile: false }
}

function fromUpsert(eventType: string, result: UpsertMessagesResult): AppliedChanges {
  const refs = [...result.inserted, ...result.updated]
  return {
    eventType,
    chatIds: [...new Set([...refs.map((ref) => ref.chatId)])],
    messageIds: refs.map((ref) => ref.id),
    newInbound: result.inserted.filter((ref) => ref.direction === 'inbound'),
    commentIds: [],
    profileIds: [],
    needsReconcile: result.unknownChatIds.length > 0
  }
}

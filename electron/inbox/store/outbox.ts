// The durable queue of everything the app writes to Postproxy. A message is written here (with its optimistic
// message row, in one transaction), and so is an action on a comment (a private or public reply, hide,
// like…), before any network call, so it survives a crash or a closed laptop and goes out later with the
// SAME Idempotency-Key: Postproxy never acts twice. Items of one lane (a chat's messages, a comment's
// actions) go out in order; lanes never wait for each other.
import type BetterSqlite3 from 'better-sqlite3'
import { OUTBOX_KINDS } from './comments-schema.ts'
import type { StoreDatabase } from './database.ts'
import type { MessagesRepository, StoredMessage } from './messages.ts'
import { StoreError } from './store-error.ts'
import { assertChatExists, type ChatsRepository } from './chats.ts'
import type { MessageButton, MessageCard, QuickReply } from '../../../shared/postproxy-interactive.ts'

function hasExtras(extras: OutboxExtras | null | undefined): extras is OutboxExtras {
  return extras !== null && extras !== undefined && Object.values(extras).some((value) => value !== undefined)
}

export const OUTBOX_STATES = ['queued', 'sending', 'sent', 'failed'] as const
export type OutboxState = (typeof OUTBOX_STATES)[number]

export type OutboxKind = (typeof OUTBOX_KINDS)[number]
/** The kinds that act on a comment rather than send a message into a chat. */
export type OutboxActionKind = Exclude<OutboxKind, 'text' | 'media'>

/** The lane of a chat's messages. */
export function chatLane(chatId: string): string {
  return `chat:${chatId}`
}

/** The lane of the actions on one comment. */
export function commentLane(commentId: string): string {
  return `${COMMENT_LANE_PREFIX}${commentId}`
}

const COMMENT_LANE_PREFIX = 'comment:'

export type OutboxMedia = {
  path: string
  mime: string
  size: number
}

/**
 * What goes with a send's content, in Postproxy's wire names (POSTPROXY.md §9). Kept on the outbox row so
 * every attempt (after going offline, a restart, a retry) sends exactly the same request.
 */
export type OutboxExtras = {
  reply_to_external_id?: string
  quick_replies?: QuickReply[]
  buttons?: MessageButton[]
  card?: MessageCard
}

export type OutboxItem = {
  seq: number
  localId: string
  lane: string
  kind: OutboxKind
  /** The chat a message goes to; null for an action on a comment. */
  chatId: string | null
  body: string | null
  media: OutboxMedia | null
  tag: string | null
  /** Null when the send has none. */
  extras: OutboxExtras | null
  /** What an action on a comment needs to go out (parsed JSON, checked by whoever delivers it); null for messages. */
  payload: unknown
  idempotencyKey: string
  state: OutboxState
  attempts: number
  lastError: string | null
  serverMessageId: string | null
  createdAtMs: number
  nextAttemptAtMs: number
  updatedAtMs: number
}

export type EnqueueSendInput = {
  localId: string
  chatId: string
  idempotencyKey: string
  tag?: string | null
  extras?: OutboxExtras | null
} & (
  | { kind: 'text'; body: string }
  /** `attachmentType` (image, video, audio, file) is what the pending row shows until the server's copy arrives. */
  | { kind: 'media'; media: OutboxMedia; attachmentType: string }
)

/** An action on a comment: no message row exists for it until Postproxy answers. */
export type EnqueueActionInput = {
  localId: string
  kind: OutboxActionKind
  lane: string
  idempotencyKey: string
  /** A reply's text; null for hide / unhide / like / unlike. */
  body: string | null
  payload: unknown
}

export type OutboxFilter = {
  chatId?: string
  lanes?: readonly string[]
  kinds?: readonly OutboxKind[]
  states?: readonly OutboxState[]
}

type OutboxRow = {
  seq: number
  local_id: string
  lane: string
  chat_id: string | null
  kind: OutboxKind
  body: string | null
  media_path: string | null
  media_mime: string | null
  media_size: number | null
  tag: string | null
  extras: string | null
  payload: string | null
  idempotency_key: string
  state: OutboxState
  attempts: number
  last_error: string | null
  server_message_id: string | null
  created_at_ms: number
  next_attempt_at_ms: number
  updated_at_ms: number
}

export class OutboxRepository {
  private readonly db: StoreDatabase
  private readonly messages: MessagesRepository
  private readonly chats: ChatsRepository
  private readonly insert: BetterSqlite3.Statement
  private readonly insertAction: BetterSqlite3.Statement
  private readonly selectOne: BetterSqlite3.Statement<[string], OutboxRow>
  private readonly selectDue: BetterSqlite3.Statement<[number, number], OutboxRow>
  private readonly selectNextAttempt: BetterSqlite3.Statement<[], { at: number | null }>
  private readonly transition: BetterSqlite3.Statement

  constructor(db: StoreDatabase, messages: MessagesRepository, chats: ChatsRepository) {
    this.db = db
    this.messages = messages
    this.chats = chats
    const c = db.connection
    this.insert = c.prepare(
      `INSERT INTO outbox (local_id, lane, chat_id, kind, body, media_path, media_mime, media_size, tag, extras, idempotency_key, state,
         created_at_ms, next_attempt_at_ms, updated_at_ms)
       VALUES (@local_id, @lane, @chat_id, @kind, @body, @media_path, @media_mime, @media_size, @tag, @extras, @idempotency_key, 'queued',
         @now, @now, @now)`
    )
    this.insertAction = c.prepare(
      `INSERT INTO outbox (local_id, lane, kind, body, payload, idempotency_key, state, created_at_ms, next_attempt_at_ms, updated_at_ms)
       VALUES (@local_id, @lane, @kind, @body, @payload, @idempotency_key, 'queued', @now, @now, @now)`
    )
    this.selectOne = c.prepare('SELECT * FROM outbox WHERE local_id = ?')
    // Per lane, only the oldest unfinished item may go: order within a conversation (or on a comment) is
    // kept even while an earlier item waits for its retry.
    this.selectDue = c.prepare(
      `SELECT * FROM outbox o
       WHERE o.state = 'queued' AND o.next_attempt_at_ms <= ?
         AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.lane = o.lane AND p.seq < o.seq AND p.state IN ('queued', 'sending'))
       ORDER BY o.seq LIMIT ?`
    )
    this.selectNextAttempt = c.prepare("SELECT min(next_attempt_at_ms) AS at FROM outbox WHERE state = 'queued'")
    this.transition = c.prepare(
      `UPDATE outbox SET state = @state, attempts = attempts + @attempt, last_error = @last_error,
         server_message_id = coalesce(@server_message_id, server_message_id),
         next_attempt_at_ms = coalesce(@next_attempt_at_ms, next_attempt_at_ms), updated_at_ms = @now
       WHERE local_id = @local_id AND state IN (SELECT value FROM json_each(@from_states))`
    )
  }

  /** Queues a send and creates its pending message row, atomically. */
  enqueue(input: EnqueueSendInput): { item: OutboxItem; message: StoredMessage } {
    return this.db.transaction(() => {
      assertChatExists(this.chats, input.chatId)
      const now = this.db.now()
      try {
        this.insert.run({
          local_id: input.localId,
          lane: chatLane(input.chatId),
          chat_id: input.chatId,
          kind: input.kind,
          body: input.kind === 'text' ? input.body : null,
          media_path: input.kind === 'media' ? input.media.path : null,
          media_mime: input.kind === 'media' ? input.media.mime : null,
          media_size: input.kind === 'media' ? input.media.size : null,
          tag: input.tag ?? null,
          extras: hasExtras(input.extras) ? JSON.stringify(input.extras) : null,
          idempotency_key: input.idempotencyKey,
          now
        })
      } catch (cause) {
        throw duplicateOr(cause, 'This message is already queued.', input.localId)
      }
      const message = this.messages.insertLocalSend({
        localId: input.localId,
        chatId: input.chatId,
        body: input.kind === 'text' ? input.body : null,
        tag: input.tag ?? null,
        media: input.kind === 'media' ? { type: input.attachmentType, url: null } : null,
        extras: input.extras ?? null,
        createdAtMs: now
      })
      this.db.changes.outboxItem(input.localId)
      return { item: this.get(input.localId) as OutboxItem, message }
    })
  }

  /** Queues an action on a comment (no message row: Postproxy's answer makes one, for a private reply). */
  enqueueAction(input: EnqueueActionInput): OutboxItem {
    return this.db.transaction(() => {
      try {
        this.insertAction.run({
          local_id: input.localId,
          lane: input.lane,
          kind: input.kind,
          body: input.body,
          payload: JSON.stringify(input.payload),
          idempotency_key: input.idempotencyKey,
          now: this.db.now()
        })
      } catch (cause) {
        throw duplicateOr(cause, 'This action is already queued.', input.localId)
      }
      this.noteChange({ local_id: input.localId, lane: input.lane })
      return this.get(input.localId) as OutboxItem
    })
  }

  get(localId: string): OutboxItem | null {
    const row = this.selectOne.get(localId)
    return row ? toItem(row) : null
  }

  /** In queue order. */
  list(filter: OutboxFilter = {}): OutboxItem[] {
    const where = ['state IN (SELECT value FROM json_each(@states))']
    const params: Record<string, unknown> = { states: JSON.stringify(filter.states ?? OUTBOX_STATES) }
    if (filter.chatId !== undefined) {
      where.push('chat_id = @chat_id')
      params.chat_id = filter.chatId
    }
    if (filter.lanes !== undefined) {
      where.push('lane IN (SELECT value FROM json_each(@lanes))')
      params.lanes = JSON.stringify(filter.lanes)
    }
    if (filter.kinds !== undefined) {
      where.push('kind IN (SELECT value FROM json_each(@kinds))')
      params.kinds = JSON.stringify(filter.kinds)
    }
    const rows = this.db.connection.prepare(`SELECT * FROM outbox WHERE ${where.join(' AND ')} ORDER BY seq`).all(params) as OutboxRow[]
    return rows.map(toItem)
  }

  /** Items that may go now, oldest first, at most one per lane. */
  dueSends(nowMs: number, limit = 10): OutboxItem[] {
    return this.selectDue.all(nowMs, limit).map(toItem)
  }

  /** When the next queued item becomes due (for the retry timer); null when nothing is queued. */
  nextAttemptAt(): number | null {
    return this.selectNextAttempt.get()?.at ?? null
  }

  /** queued -> sending, counting the attempt. False if it was not queued (another worker took it). */
  markSending(localId: string): boolean {
    return this.move(localId, ['queued'], { state: 'sending', attempt: 1 })
  }

  /**
   * The server accepted it (202). A message row is linked separately with `attachServerMessage`;
   * `serverMessageId` is null for an action that created nothing (hide, like…).
   */
  markSent(localId: string, serverMessageId: string | null): boolean {
    return this.move(localId, ['sending', 'queued'], { state: 'sent', serverMessageId: serverMessageId ?? undefined })
  }

  /** A transient failure: back to the queue, due again at `nextAttemptAtMs`, with the same key. */
  scheduleRetry(localId: string, nextAttemptAtMs: number, error: string): boolean {
    return this.move(localId, ['sending'], { state: 'queued', nextAttemptAtMs, lastError: error })
  }

  /** A permanent failure: stays visible with its reason until the user retries or discards it. */
  markFailed(localId: string, error: string): boolean {
    return this.db.transaction(() => {
      if (!this.move(localId, ['queued', 'sending'], { state: 'failed', lastError: error })) return false
      this.messages.markLocalSendFailed(localId, error)
      return true
    })
  }

  /** The user's "retry" on a failed send: queued again at once, same Idempotency-Key. */
  retry(localId: string): boolean {
    return this.db.transaction(() => {
      if (!this.move(localId, ['failed'], { state: 'queued', nextAttemptAtMs: this.db.now(), lastError: null })) return false
      this.messages.markLocalSendPending(localId)
      return true
    })
  }

  /** The user's "discard": the send and its optimistic row go away (a row the server accepted stays). */
  discard(localId: string): boolean {
    return this.db.transaction(() => {
      const row = this.selectOne.get(localId)
      if (!row || row.state === 'sending') return false
      this.db.connection.prepare('DELETE FROM outbox WHERE local_id = ?').run(localId)
      this.messages.deleteLocalSend(localId)
      this.noteChange(row)
      return true
    })
  }

  /**
   * At start-up: sends that were in flight when the app stopped go back to the queue. Whether the first
   * request arrived is unknown, which is exactly what the unchanged Idempotency-Key makes safe.
   */
  requeueInterrupted(): number {
    return this.db.transaction(() => {
      const ids = this.db.connection.prepare("SELECT local_id FROM outbox WHERE state = 'sending'").pluck().all() as string[]
      for (const id of ids) this.move(id, ['sending'], { state: 'queued', nextAttemptAtMs: this.db.now() })
      return ids.length
    })
  }

  /** Forgets delivered sends older than `olderThanMs` (their messages stay). */
  pruneSent(olderThanMs: number): number {
    return this.db.transaction(
      () => this.db.connection.prepare("DELETE FROM outbox WHERE state = 'sent' AND updated_at_ms < ?").run(olderThanMs).changes
    )
  }

  private move(
    localId: string,
    from: readonly OutboxState[],
    to: { state: OutboxState; attempt?: number; lastError?: string | null; serverMessageId?: string; nextAttemptAtMs?: number }
  ): boolean {
    return this.db.transaction(() => {
      const current = this.selectOne.get(localId)
      const changed =
        this.transition.run({
          local_id: localId,
          from_states: JSON.stringify(from),
          state: to.state,
          attempt: to.attempt ?? 0,
          last_error: to.lastError === undefined ? current?.last_error ?? null : to.lastError,
          server_message_id: to.serverMessageId ?? null,
          next_attempt_at_ms: to.nextAttemptAtMs ?? null,
          now: this.db.now()
        }).changes > 0
      if (changed && current) this.noteChange(current)
      return changed
    })
  }

  /** An item changed: its listeners hear of it, and those of the comment it acts on. */
  private noteChange(row: Pick<OutboxRow, 'local_id' | 'lane'>): void {
    this.db.changes.outboxItem(row.local_id)
    const comment = commentOfLane(row.lane)
    if (comment !== null) this.db.changes.comment(comment)
  }
}

/** The comment an action lane belongs to; null for a chat's lane. */
export function commentOfLane(lane: string): string | null {
  return lane.startsWith(COMMENT_LANE_PREFIX) ? lane.slice(COMMENT_LANE_PREFIX.length) : null
}

/** A constraint failure (a reused local id or key) in the creator's words; anything else as it is. */
function duplicateOr(cause: unknown, message: string, localId: string): unknown {
  if (String((cause as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT')) {
    return new StoreError('invalid_argument', message, { cause, detail: `duplicate local id or idempotency key for ${localId}` })
  }
  return cause
}

function toItem(row: OutboxRow): OutboxItem {
  return {
    seq: row.seq,
    localId: row.local_id,
    lane: row.lane,
    kind: row.kind,
    chatId: row.chat_id,
    body: row.body,
    media: row.media_path === null ? null : { path: row.media_path, mime: row.media_mime ?? 'application/octet-stream', size: row.media_size ?? 0 },
    tag: row.tag,
    extras: row.extras === null ? null : (JSON.parse(row.extras) as OutboxExtras),
    payload: row.payload === null ? null : (JSON.parse(row.payload) as unknown),
    idempotencyKey: row.idempotency_key,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    serverMessageId: row.server_message_id,
    createdAtMs: row.created_at_ms,
    nextAttemptAtMs: row.next_attempt_at_ms,
    updatedAtMs: row.updated_at_ms
  }
}

// The durable send queue. A send is written here (with its optimistic message row, in one transaction)
// before any network call, so it survives a crash or a closed laptop and goes out later with the SAME
// Idempotency-Key: the recipient never gets a duplicate.
import type BetterSqlite3 from 'better-sqlite3'
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
  chatId: string
  kind: 'text' | 'media'
  body: string | null
  media: OutboxMedia | null
  tag: string | null
  /** Null when the send has none. */
  extras: OutboxExtras | null
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

type OutboxRow = {
  seq: number
  local_id: string
  chat_id: string
  kind: 'text' | 'media'
  body: string | null
  media_path: string | null
  media_mime: string | null
  media_size: number | null
  tag: string | null
  extras: string | null
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
      `INSERT INTO outbox (local_id, chat_id, kind, body, media_path, media_mime, media_size, tag, extras, idempotency_key, state,
         created_at_ms, next_attempt_at_ms, updated_at_ms)
       VALUES (@local_id, @chat_id, @kind, @body, @media_path, @media_mime, @media_size, @tag, @extras, @idempotency_key, 'queued',
         @now, @now, @now)`
    )
    this.selectOne = c.prepare('SELECT * FROM outbox WHERE local_id = ?')
    // Per chat, only the oldest unfinished send may go: order within a conversation is kept even while
    // an earlier send waits for its retry.
    this.selectDue = c.prepare(
      `SELECT * FROM outbox o
       WHERE o.state = 'queued' AND o.next_attempt_at_ms <= ?
         AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.chat_id = o.chat_id AND p.seq < o.seq AND p.state IN ('queued', 'sending'))
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
        if (String((cause as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT')) {
          throw new StoreError('invalid_argument', 'This message is already queued.', { cause, detail: `duplicate local id or idempotency key for ${input.localId}` })
        }
        throw cause
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

  get(localId: string): OutboxItem | null {
    const row = this.selectOne.get(localId)
    return row ? toItem(row) : null
  }

  /** In queue order. */
  list(filter: { chatId?: string; states?: readonly OutboxState[] } = {}): OutboxItem[] {
    const states = JSON.stringify(filter.states ?? OUTBOX_STATES)
    const rows = (
      filter.chatId === undefined
        ? this.db.connection.prepare('SELECT * FROM outbox WHERE state IN (SELECT value FROM json_each(?)) ORDER BY seq').all(states)
        : this.db.connection
            .prepare('SELECT * FROM outbox WHERE chat_id = ? AND state IN (SELECT value FROM json_each(?)) ORDER BY seq')
            .all(filter.chatId, states)
    ) as OutboxRow[]
    return rows.map(toItem)
  }

  /** Sends that may go now, oldest first, at most one per chat. */
  dueSends(nowMs: number, limit = 10): OutboxItem[] {
    return this.selectDue.all(nowMs, limit).map(toItem)
  }

  /** When the next queued send becomes due (for the retry timer); null when nothing is queued. */
  nextAttemptAt(): number | null {
    return this.selectNextAttempt.get()?.at ?? null
  }

  /** queued -> sending, counting the attempt. False if it was not queued (another worker took it). */
  markSending(localId: string): boolean {
    return this.move(localId, ['queued'], { state: 'sending', attempt: 1 })
  }

  /** The server accepted it (202). The message row is linked separately with `attachServerMessage`. */
  markSent(localId: string, serverMessageId: string): boolean {
    return this.move(localId, ['sending', 'queued'], { state: 'sent', serverMessageId })
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
      this.db.changes.outboxItem(localId)
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
      if (changed) this.db.changes.outboxItem(localId)
      return changed
    })
  }
}

function toItem(row: OutboxRow): OutboxItem {
  return {
    seq: row.seq,
    localId: row.local_id,
    chatId: row.chat_id,
    kind: row.kind,
    body: row.body,
    media: row.media_path === null ? null : { path: row.media_path, mime: row.media_mime ?? 'application/octet-stream', size: row.media_size ?? 0 },
    tag: row.tag,
    extras: row.extras === null ? null : (JSON.parse(row.extras) as OutboxExtras),
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

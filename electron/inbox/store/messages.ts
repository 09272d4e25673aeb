// Messages: idempotent upserts on Postproxy ids that never regress, optimistic local sends that become the
// server's row, reactions and attachments, and the thread query (newest first, keyset-paged).
import type BetterSqlite3 from 'better-sqlite3'
import type { Attachment, Message, MessageDirection, MessageReaction, MessageStatus } from '../../../shared/postproxy.ts'
import { laterPosition, type ObservedActivity } from './chat-rows.ts'
import type { ChatsRepository } from './chats.ts'
import type { StoreDatabase } from './database.ts'
import { mergeMessage } from './message-merge.ts'
import { messageFromRow, MESSAGE_COLUMN_NAMES, type MessageColumns, type MessageRow } from './message-rows.ts'
import { MessageSearchIndexer } from './message-search-indexer.ts'
import type { OutboxExtras } from './outbox.ts'
import { newestTimestamp } from './timestamps.ts'

export type StoredMessage = {
  /** Stable for the life of the database: use it as the UI key (it survives pending -> published). */
  rowId: number
  /** Postproxy's id; null while an optimistic send has not been accepted. */
  serverId: string | null
  /** The outbox id of a message this app sent. */
  localId: string | null
  sortAt: number
  /** `message.id` is the server id, or the local id while there is none. */
  message: Message
}

/** Position of a message in its thread: pass the last one of a page to get the page before it. */
export type ThreadCursor = { sortAt: number; rowId: number }

export type ThreadPage = {
  /** Newest first. */
  messages: StoredMessage[]
  /** Cursor for the next (older) page, null when this page reaches the oldest stored message. */
  olderCursor: ThreadCursor | null
}

export type MessageRef = { rowId: number; id: string; chatId: string; direction: MessageDirection; status: MessageStatus }

export type UpsertMessagesResult = {
  inserted: MessageRef[]
  updated: MessageRef[]
  /** Chats the messages belong to that the cache does not have yet: the caller should fetch them. */
  unknownChatIds: string[]
}

export type LocalSendInput = {
  localId: string
  chatId: string
  body: string | null
  tag?: string | null
  /** Shown as an attachment of the pending row until the server's copy arrives. */
  media?: { type: string; url: string | null } | null
  /** The message it answers and its interactive parts, shown on the pending row as Postproxy will echo them. */
  extras?: OutboxExtras | null
  createdAtMs: number
}

const DEFAULT_PAGE = 50
const MAX_PAGE = 500

type ReactionRow = { message_row: number; position: number; raw: string; sender_external_id: string | null; emoji: string | null; reaction: string | null; at: string | null }
type AttachmentRow = { message_row: number; id: string; type: string; url: string | null; status: string | null; external_id: string | null; raw: string }

export class MessagesRepository {
  private readonly db: StoreDatabase
  private readonly chats: ChatsRepository
  private readonly searchIndexer: MessageSearchIndexer
  private readonly selectById: BetterSqlite3.Statement<[string], MessageRow>
  private readonly selectByExternalId: BetterSqlite3.Statement<[string], MessageRow>
  private readonly selectByLocalId: BetterSqlite3.Statement<[string], MessageRow>
  private readonly selectByRowId: BetterSqlite3.Statement<[number], MessageRow>
  private readonly insertMessage: BetterSqlite3.Statement
  private readonly updateMessage: BetterSqlite3.Statement
  private readonly setServerId: BetterSqlite3.Statement
  private readonly setLocalId: BetterSqlite3.Statement
  private readonly deleteRow: BetterSqlite3.Statement
  private readonly setLocalStatus: BetterSqlite3.Statement
  private readonly deleteReactions: BetterSqlite3.Statement
  private readonly insertReaction: BetterSqlite3.Statement
  private readonly upsertAttachment: BetterSqlite3.Statement
  private readonly threadNewest: BetterSqlite3.Statement
  private readonly threadBefore: BetterSqlite3.Statement
  private readonly reactionsOf: BetterSqlite3.Statement<[string], ReactionRow>
  private readonly attachmentsOf: BetterSqlite3.Statement<[string], AttachmentRow>
  private readonly attachmentById: BetterSqlite3.Statement<[string], { raw: string }>
  private readonly deleteAttachmentsNotIn: BetterSqlite3.Statement<[number, string]>

  constructor(db: StoreDatabase, chats: ChatsRepository) {
    this.db = db
    this.chats = chats
    const c = db.connection
    this.searchIndexer = new MessageSearchIndexer(c)
    db.addCommitHook({ beforeCommit: () => this.searchIndexer.flush(), rolledBack: () => this.searchIndexer.discard() })
    this.selectById = c.prepare('SELECT * FROM messages WHERE id = ?')
    this.selectByExternalId = c.prepare('SELECT * FROM messages WHERE external_id = ? LIMIT 1')
    this.selectByLocalId = c.prepare('SELECT * FROM messages WHERE local_id = ?')
    this.selectByRowId = c.prepare('SELECT * FROM messages WHERE row_id = ?')
    const names = MESSAGE_COLUMN_NAMES.join(', ')
    this.insertMessage = c.prepare(
      `INSERT INTO messages (${names}, local_id) VALUES (${MESSAGE_COLUMN_NAMES.map((n) => `@${n}`).join(', ')}, @local_id)`
    )
    this.updateMessage = c.prepare(
      `UPDATE messages SET ${MESSAGE_COLUMN_NAMES.map((n) => `${n} = @${n}`).join(', ')} WHERE row_id = @row_id`
    )
    this.setServerId = c.prepare('UPDATE messages SET id = ? WHERE row_id = ?')
    this.setLocalId = c.prepare('UPDATE messages SET local_id = ? WHERE row_id = ?')
    this.deleteRow = c.prepare('DELETE FROM messages WHERE row_id = ?')
    this.setLocalStatus = c.prepare('UPDATE messages SET status = ?, error_message = ? WHERE local_id = ? AND id IS NULL')
    this.deleteReactions = c.prepare('DELETE FROM reactions WHERE message_row = ?')
    this.insertReaction = c.prepare(
      `INSERT INTO reactions (message_row, position, sender_external_id, emoji, reaction, at, raw)
       VALUES (@message_row, @position, @sender_external_id, @emoji, @reaction, @at, @raw)`
    )
    this.upsertAttachment = c.prepare(
      `INSERT INTO attachments (id, message_row, position, type, url, status, external_id, raw)
       VALUES (@id, @message_row, @position, @type, @url, @status, @external_id, @raw)
       ON CONFLICT (id) DO UPDATE SET message_row = excluded.message_row, position = excluded.position, type = excluded.type,
         url = coalesce(excluded.url, url), status = excluded.status, external_id = coalesce(excluded.external_id, external_id),
         raw = excluded.raw`
    )
    this.threadNewest = c.prepare(
      'SELECT * FROM messages WHERE chat_id = @chat_id ORDER BY sort_at DESC, row_id DESC LIMIT @limit'
    )
    this.threadBefore = c.prepare(
      `SELECT * FROM messages WHERE chat_id = @chat_id AND (sort_at, row_id) < (@sort_at, @row_id)
       ORDER BY sort_at DESC, row_id DESC LIMIT @limit`
    )
    this.reactionsOf = c.prepare(
      'SELECT * FROM reactions WHERE message_row IN (SELECT value FROM json_each(?)) ORDER BY message_row, position'
    )
    this.attachmentsOf = c.prepare(
      'SELECT * FROM attachments WHERE message_row IN (SELECT value FROM json_each(?)) ORDER BY message_row, position'
    )
    this.attachmentById = c.prepare('SELECT raw FROM attachments WHERE id = ?')
    this.deleteAttachmentsNotIn = c.prepare('DELETE FROM attachments WHERE message_row = ? AND id NOT IN (SELECT value FROM json_each(?))')
  }

  /**
   * Stores server versions of messages. Upserting the same version twice changes nothing; an older version
   * arriving after a newer one does not undo it (status, timestamps, deletion, edits).
   */
  upsertMessages(messages: readonly Message[]): UpsertMessagesResult {
    return this.writing(() => {
      const result: UpsertMessagesResult = { inserted: [], updated: [], unknownChatIds: [] }
      const activity = new Map<string, ObservedActivity>()
      for (const message of messages) {
        const existing = this.selectById.get(message.id)
        const outcome = this.writeVersion(existing, message)
        if (outcome === null) continue
        ;(outcome.inserted ? result.inserted : result.updated).push(outcome.ref)
        noteActivity(activity, outcome.columns, outcome.ref.rowId)
      }
      result.unknownChatIds = this.applyActivity(activity)
      return result
    })
  }

  upsertMessage(message: Message): UpsertMessagesResult {
    return this.upsertMessages([message])
  }

  /** The optimistic row of a send, shown at once while the outbox delivers it. */
  insertLocalSend(input: LocalSendInput): StoredMessage {
    return this.writing(() => {
      const createdAt = new Date(input.createdAtMs).toISOString()
      const columns: MessageColumns = {
        id: null,
        chat_id: input.chatId,
        external_id: null,
        direction: 'outbound',
        body: input.body,
        status: 'pending',
        tag: input.tag ?? null,
        external_comment_id: null,
        error_message: null,
        external_posted_at: null,
        external_delivered_at: null,
        external_read_at: null,
        external_edited_at: null,
        external_deleted_at: null,
        reply_to_external_id: input.extras?.reply_to_external_id ?? null,
        is_unsupported: null,
        created_at: createdAt,
        sort_at: input.createdAtMs,
        raw: JSON.stringify({
          quick_replies: input.extras?.quick_replies ?? null,
          buttons: input.extras?.buttons ?? null,
          card: input.extras?.card ?? null
        })
      }
      const rowId = Number(this.insertMessage.run({ ...columns, local_id: input.localId }).lastInsertRowid)
      this.searchIndexer.inserted(rowId)
      if (input.media) {
        this.upsertAttachment.run({
          id: `${input.localId}:media`, message_row: rowId, position: 0, type: input.media.type, url: input.media.url,
          status: 'pending', external_id: null, raw: '{}'
        })
      }
      this.applyActivity(new Map([[input.chatId, { newestAt: createdAt, newestInboundAt: null, newestOutboundAt: createdAt, newestInbound: null }]]))
      this.db.changes.messages(input.chatId)
      return this.storedByRowId(rowId) as StoredMessage
    })
  }

  /**
   * Links the optimistic row `localId` to the server's message (the 202 answer, or a later version).
   * If the server's row already arrived on its own (webhook or poll first), the two become one row.
   * Returns the resulting row.
   */
  attachServerMessage(localId: string, server: Message): StoredMessage | null {
    return this.writing(() => {
      const local = this.selectByLocalId.get(localId)
      const serverRow = this.selectById.get(server.id)
      let target: MessageRow | undefined = serverRow
      if (local && serverRow && local.row_id !== serverRow.row_id) {
        this.searchIndexer.beforeChange(local.row_id)
        this.deleteRow.run(local.row_id)
        this.setLocalId.run(localId, serverRow.row_id)
        target = { ...serverRow, local_id: localId }
        this.db.changes.messages(local.chat_id)
      } else if (local && !serverRow) {
        this.setServerId.run(server.id, local.row_id)
        target = { ...local, id: server.id }
      }
      const outcome = this.writeVersion(target, server)
      const rowId = outcome?.ref.rowId ?? target?.row_id
      if (outcome) this.applyActivity(noteActivity(new Map(), outcome.columns, outcome.ref.rowId))
      if (rowId === undefined) return null
      // The send was discarded locally but the server had already accepted it: keep the link anyway.
      if (!local && (target?.local_id ?? null) === null) this.setLocalId.run(localId, rowId)
      return this.storedByRowId(rowId)
    })
  }

  /** For a send the server never accepted (stopped before the API, or a permanent error): shown as failed. */
  markLocalSendFailed(localId: string, errorMessage: string): boolean {
    return this.updateLocalStatus(localId, 'failed', errorMessage)
  }

  /** A failed local send queued again. */
  markLocalSendPending(localId: string): boolean {
    return this.updateLocalStatus(localId, 'pending', null)
  }

  /** Removes an optimistic row the server never accepted. Rows with a server id are kept. */
  deleteLocalSend(localId: string): boolean {
    return this.db.transaction(() => {
      const row = this.selectByLocalId.get(localId)
      if (!row || row.id !== null) return false
      this.searchIndexer.beforeChange(row.row_id)
      this.deleteRow.run(row.row_id)
      this.db.changes.messages(row.chat_id)
      return true
    })
  }

  /** Replaces a message's reactions (a reaction webhook, or the optimistic love toggle and its rollback). */
  replaceReactions(messageIdOrRowId: string | number, reactions: readonly MessageReaction[]): boolean {
    return this.db.transaction(() => {
      const row = typeof messageIdOrRowId === 'number' ? this.selectByRowId.get(messageIdOrRowId) : this.findRow(messageIdOrRowId)
      if (!row) return false
      this.writeReactions(row.row_id, reactions, true)
      this.db.changes.messages(row.chat_id)
      return true
    })
  }

  /** Newest-first page of a thread; pass the previous page's `olderCursor` to load older messages. */
  threadPage(chatId: string, options: { before?: ThreadCursor | null; limit?: number } = {}): ThreadPage {
    const limit = Math.min(Math.max(1, Math.floor(options.limit ?? DEFAULT_PAGE)), MAX_PAGE)
    const rows = (
      options.before
        ? this.threadBefore.all({ chat_id: chatId, sort_at: options.before.sortAt, row_id: options.before.rowId, limit: limit + 1 })
        : this.threadNewest.all({ chat_id: chatId, limit: limit + 1 })
    ) as MessageRow[]
    const page = rows.slice(0, limit)
    const last = page[page.length - 1]
    return {
      messages: this.hydrate(page),
      olderCursor: rows.length > limit && last ? { sortAt: last.sort_at, rowId: last.row_id } : null
    }
  }

  /** By Postproxy id, else by the platform's external id (Meta `mid`). */
  getMessage(idOrExternalId: string): StoredMessage | null {
    const row = this.findRow(idOrExternalId)
    return row ? this.hydrate([row])[0] : null
  }

  /** One attachment by its Postproxy id (the media cache needs its URL to fetch it). */
  attachment(attachmentId: string): Attachment | null {
    const row = this.attachmentById.get(attachmentId)
    return row ? (JSON.parse(row.raw) as Attachment) : null
  }

  getByLocalId(localId: string): StoredMessage | null {
    const row = this.selectByLocalId.get(localId)
    return row ? this.hydrate([row])[0] : null
  }

  storedByRowId(rowId: number): StoredMessage | null {
    const row = this.selectByRowId.get(rowId)
    return row ? this.hydrate([row])[0] : null
  }

  /**
   * A transaction that may insert messages: their search entries are added just before the outermost
   * transaction commits (see the commit hook in the constructor), so a batch is indexed in one statement.
   */
  private writing<T>(fn: () => T): T {
    return this.db.transaction(fn)
  }

  private findRow(idOrExternalId: string): MessageRow | undefined {
    return this.selectById.get(idOrExternalId) ?? this.selectByExternalId.get(idOrExternalId)
  }

  private updateLocalStatus(localId: string, status: MessageStatus, errorMessage: string | null): boolean {
    return this.db.transaction(() => {
      const row = this.selectByLocalId.get(localId)
      if (!row || this.setLocalStatus.run(status, errorMessage, localId).changes === 0) return false
      this.db.changes.messages(row.chat_id)
      return true
    })
  }

  /** Merges one server version into `existing` (or inserts it). Null when nothing changed. */
  private writeVersion(
    existing: MessageRow | undefined,
    message: Message
  ): { ref: MessageRef; columns: MessageColumns; inserted: boolean } | null {
    const merged = mergeMessage(existing, message)
    let rowId: number
    let changed = !merged.unchanged
    if (!existing) {
      rowId = Number(this.insertMessage.run({ ...merged.columns, local_id: null }).lastInsertRowid)
      this.searchIndexer.inserted(rowId)
    } else {
      rowId = existing.row_id
      if (changed) {
        this.searchIndexer.beforeChange(rowId)
        this.updateMessage.run({ ...merged.columns, row_id: rowId })
      }
    }
    if (merged.incomingIsCurrent) {
      if (Array.isArray(message.reactions)) changed = this.writeReactions(rowId, message.reactions, existing !== undefined) || changed
      if (Array.isArray(message.attachments) && message.attachments.length > 0) {
        changed = this.writeAttachments(rowId, message.attachments, existing !== undefined) || changed
      }
    }
    if (!changed) return null
    this.db.changes.messages(merged.columns.chat_id)
    const columns = merged.columns
    return {
      ref: { rowId, id: message.id, chatId: columns.chat_id, direction: columns.direction, status: columns.status },
      columns,
      inserted: !existing
    }
  }

  /** Returns whether the stored list changed. */
  private writeReactions(rowId: number, reactions: readonly MessageReaction[], mayExist: boolean): boolean {
    const rows = reactions.map((reaction, position) => ({
      message_row: rowId,
      position,
      sender_external_id: reaction.sender_external_id ?? null,
      emoji: reaction.emoji ?? null,
      reaction: reaction.reaction ?? null,
      at: reaction.at ?? null,
      raw: JSON.stringify(reaction)
    }))
    if (mayExist) {
      const current = this.reactionsOf.all(JSON.stringify([rowId]))
      if (current.length === rows.length && current.every((row, i) => row.raw === rows[i].raw)) return false
      this.deleteReactions.run(rowId)
    } else if (rows.length === 0) {
      return false
    }
    for (const row of rows) this.insertReaction.run(row)
    return true
  }

  private writeAttachments(rowId: number, attachments: readonly Attachment[], mayExist: boolean): boolean {
    const rows = attachments.map((attachment, position) => ({
      id: attachment.id,
      message_row: rowId,
      position,
      type: attachment.type,
      url: attachment.url ?? null,
      status: attachment.status ?? null,
      external_id: attachment.external_id ?? null,
      raw: JSON.stringify(attachment)
    }))
    if (mayExist) {
      const current = this.attachmentsOf.all(JSON.stringify([rowId]))
      if (current.length === rows.length && current.every((row, i) => row.raw === rows[i].raw && row.id === rows[i].id)) return false
    }
    for (const row of rows) this.upsertAttachment.run(row)
    // The server's list is the whole truth: the optimistic placeholder of a media send, or an
    // attachment the server dropped, goes.
    if (mayExist) {
      this.deleteAttachmentsNotIn.run(rowId, JSON.stringify(rows.map((row) => row.id)))
    }
    return true
  }

  /** Moves each touched chat's activity forward; returns the chats that are not stored yet. */
  private applyActivity(activity: Map<string, ObservedActivity>): string[] {
    const unknown: string[] = []
    for (const [chatId, observed] of activity) {
      if (!this.chats.noteMessageActivity(chatId, observed)) unknown.push(chatId)
    }
    return unknown
  }

  private hydrate(rows: readonly MessageRow[]): StoredMessage[] {
    if (rows.length === 0) return []
    const rowIds = JSON.stringify(rows.map((row) => row.row_id))
    const reactions = groupByMessage(this.reactionsOf.all(rowIds), (row) => ({
      ...(JSON.parse(row.raw) as Record<string, unknown>),
      sender_external_id: row.sender_external_id,
      emoji: row.emoji,
      reaction: row.reaction,
      at: row.at
    }))
    const attachments = groupByMessage(this.attachmentsOf.all(rowIds), (row) => ({
      ...(JSON.parse(row.raw) as Record<string, unknown>),
      id: row.id,
      type: row.type,
      url: row.url,
      status: row.status,
      external_id: row.external_id
    }))
    return rows.map((row) => ({
      rowId: row.row_id,
      serverId: row.id,
      localId: row.local_id,
      sortAt: row.sort_at,
      message: messageFromRow(row, reactions.get(row.row_id) ?? [], attachments.get(row.row_id) ?? [])
    }))
  }
}

function groupByMessage<R extends { message_row: number }, T>(rows: readonly R[], map: (row: R) => T): Map<number, T[]> {
  const grouped = new Map<number, T[]>()
  for (const row of rows) {
    const list = grouped.get(row.message_row)
    if (list) list.push(map(row))
    else grouped.set(row.message_row, [map(row)])
  }
  return grouped
}

function noteActivity(activity: Map<string, ObservedActivity>, columns: MessageColumns, rowId: number): Map<string, ObservedActivity> {
  const at = columns.external_posted_at ?? columns.created_at
  const seen = activity.get(columns.chat_id) ?? { newestAt: null, newestInboundAt: null, newestOutboundAt: null, newestInbound: null }
  const inbound = columns.direction === 'inbound'
  activity.set(columns.chat_id, {
    newestAt: newestTimestamp(seen.newestAt, at),
    newestInboundAt: inbound ? newestTimestamp(seen.newestInboundAt, at) : seen.newestInboundAt,
    newestOutboundAt: inbound ? seen.newestOutboundAt : newestTimestamp(seen.newestOutboundAt, at),
    newestInbound: inbound ? laterPosition(seen.newestInbound, { sortAt: columns.sort_at, rowId }) : seen.newestInbound
  })
  return activity
}

// Chats: idempotent upserts, the chat list (newest activity first, unread counts, previews, filters) and the
// local read marker. Unread counts are derived from the messages, never kept as a counter that could drift.
import type BetterSqlite3 from 'better-sqlite3'
import type { Chat, MessageDirection, MessageStatus } from '../../../shared/postproxy.ts'
import { STANDARD_WINDOW_MS } from '../../../shared/messaging-window.ts'
import { chatFromRow, laterPosition, mergeChat, CHAT_COLUMN_NAMES, type ChatRow, type MessagePosition, type ObservedActivity } from './chat-rows.ts'
import type { StoreDatabase } from './database.ts'
import { StoreError } from './store-error.ts'
import { newestTimestamp, timestampMs } from './timestamps.ts'
import type { PutAwayKind, ReturnReason } from './triage.ts'
import { profileScopeCondition, type ProfileScope } from './profile-scope.ts'

/** `bucket` is set on cursors of a view's list (views order by it first: pinned chats on top of the inbox). */
export type ChatCursor = { activityMs: number; id: string; bucket?: number }

/** The creator's lists: the inbox (pinned chats first), snoozed chats, done chats. */
export type ChatView = 'inbox' | 'snoozed' | 'done'

/** The triage state of a chat as its row shows it (see triage.ts). */
export type ChatTriage = {
  putAway: PutAwayKind | null
  snoozedUntilMs: number | null
  pinned: boolean
  /** Why a put-away chat came back, until the creator opens it. */
  returned: { reason: ReturnReason; atMs: number } | null
}

export type MessagePreview = {
  rowId: number
  direction: MessageDirection
  body: string | null
  status: MessageStatus
  /** The first attachment's type, for "📷 Photo"-style previews of messages without text. */
  attachmentType: string | null
  /** The participant unsent it. */
  deleted: boolean
  sortAt: number
}

export type ChatListItem = {
  chat: Chat
  unreadCount: number
  lastMessage: MessagePreview | null
  draft: string | null
  /** Chat list order key (epoch ms). */
  activityMs: number
  /** Which list the chat is in (0 inbox, 1 pinned, 2 snoozed, 3 done); part of a view's order. */
  bucket: number
  triage: ChatTriage
  /** The ids of its labels. */
  labelIds: number[]
}

export type ChatListOptions = {
  /** Whose chats: one profile, the session's profiles, or (undefined) every cached chat. */
  profileId?: ProfileScope
  /** Only the chats of one list, pinned ones first in the inbox. Without it: every chat, by activity alone. */
  view?: ChatView
  /** Only chats carrying this label. */
  labelId?: number
  unreadOnly?: boolean
  verifiedOnly?: boolean
  minFollowers?: number
  /** Only chats whose 24-hour messaging window is open at this time (epoch ms). */
  windowOpenAt?: number
  /** The `nextCursor` of the previous page. */
  after?: ChatCursor
  /** Default 50, at most 200. */
  limit?: number
}

export type ChatPage = { chats: ChatListItem[]; nextCursor: ChatCursor | null }

export type UpsertChatsResult = { inserted: string[]; updated: string[] }

/** The triage_bucket range [lowest, highest] of each view (see triage-schema.ts). */
const VIEW_BUCKETS: Record<ChatView, [number, number]> = { inbox: [0, 1], snoozed: [2, 2], done: [3, 3] }
const IN_INBOX = 'c.triage_bucket <= 1'
const ACTIVITY_ORDER = 'c.activity_ms DESC, c.id DESC'
const VIEW_ORDER = 'c.triage_bucket DESC, c.activity_ms DESC, c.id DESC'

const DEFAULT_PAGE = 50
const MAX_PAGE = 200

/** Inbound, not unsent, after the read marker. `c` is the chats row. */
const UNREAD_MATCH = `m.chat_id = c.id AND m.direction = 'inbound' AND m.external_deleted_at IS NULL
  AND (m.sort_at, m.row_id) > (c.read_sort_at, c.read_row_id)`
// Only a chat whose newest inbound message is after its read marker can have unread messages; every other
// chat skips the index probe. (Same expression as the partial index chats_maybe_unread.)
const MAY_HAVE_UNREAD = `(c.newest_inbound_sort_at > c.read_sort_at
  OR (c.newest_inbound_sort_at = c.read_sort_at AND c.newest_inbound_row_id > c.read_row_id))`
const MAYBE_UNREAD_CHAT = `(c.marked_unread = 1 OR c.newest_inbound_sort_at > c.read_sort_at
  OR (c.newest_inbound_sort_at = c.read_sort_at AND c.newest_inbound_row_id > c.read_row_id))`
const UNREAD_COUNT = `max(c.marked_unread, CASE WHEN ${MAY_HAVE_UNREAD}
  THEN (SELECT count(*) FROM messages m WHERE ${UNREAD_MATCH}) ELSE 0 END)`
const HAS_UNREAD = `(c.marked_unread = 1 OR (${MAY_HAVE_UNREAD} AND EXISTS (SELECT 1 FROM messages m WHERE ${UNREAD_MATCH})))`

type ChatListRow = ChatRow & {
  unread_count: number
  draft_text: string | null
  p_row_id: number | null
  p_direction: MessageDirection | null
  p_body: string | null
  p_status: MessageStatus | null
  p_deleted_at: string | null
  p_sort_at: number | null
  p_attachment_type: string | null
  t_put_away: PutAwayKind | null
  t_snoozed_until_ms: number | null
  t_pinned_at_ms: number | null
  t_returned_reason: ReturnReason | null
  t_returned_at_ms: number | null
  label_ids: string
  triage_bucket: number
}

type Position = { sort_at: number; row_id: number }

export class ChatsRepository {
  private readonly db: StoreDatabase
  private readonly listStatements = new Map<string, BetterSqlite3.Statement>()
  private readonly selectListItem: BetterSqlite3.Statement<[{ id: string }], ChatListRow>
  private readonly selectById: BetterSqlite3.Statement<[string], ChatRow>
  private readonly selectByExternalConversation: BetterSqlite3.Statement<[string], ChatRow>
  private readonly insertChat: BetterSqlite3.Statement
  private readonly updateChat: BetterSqlite3.Statement
  private readonly observedNewest: BetterSqlite3.Statement<[string], { sort_at: number; direction: MessageDirection }>
  private readonly observedNewestInbound: BetterSqlite3.Statement<[string], Position>
  private readonly observedNewestOutbound: BetterSqlite3.Statement<[string], { sort_at: number }>
  private readonly newestPosition: BetterSqlite3.Statement<[string], Position>
  private readonly newestInboundPosition: BetterSqlite3.Statement<[string], Position>
  private readonly setReadMarker: BetterSqlite3.Statement
  private readonly unreadOne: BetterSqlite3.Statement<[string], { unread: number }>
  private readonly unreadAll: BetterSqlite3.Statement<[], { total: number }>
  private readonly unreadPerProfile: BetterSqlite3.Statement<[], { profile_id: string; total: number }>
  private readonly updateActivity: BetterSqlite3.Statement

  constructor(db: StoreDatabase) {
    this.db = db
    const c = db.connection
    this.selectById = c.prepare('SELECT * FROM chats WHERE id = ?')
    this.selectListItem = c.prepare(chatListSql('WHERE c.id = @id', ACTIVITY_ORDER, ''))
    this.selectByExternalConversation = c.prepare('SELECT * FROM chats WHERE external_conversation_id = ? LIMIT 1')
    const names = CHAT_COLUMN_NAMES.join(', ')
    const params = CHAT_COLUMN_NAMES.map((name) => `@${name}`).join(', ')
    this.insertChat = c.prepare(
      `INSERT INTO chats (${names}, newest_inbound_sort_at, newest_inbound_row_id, updated_at_ms)
       VALUES (${params}, @newest_inbound_sort_at, @newest_inbound_row_id, @updated_at_ms)`
    )
    this.updateChat = c.prepare(
      `UPDATE chats SET ${CHAT_COLUMN_NAMES.map((name) => `${name} = @${name}`).join(', ')}, updated_at_ms = @updated_at_ms WHERE id = @id`
    )
    this.observedNewest = c.prepare('SELECT sort_at, direction FROM messages WHERE chat_id = ? ORDER BY sort_at DESC, row_id DESC LIMIT 1')
    this.observedNewestInbound = c.prepare(
      "SELECT sort_at, row_id FROM messages WHERE chat_id = ? AND direction = 'inbound' ORDER BY sort_at DESC, row_id DESC LIMIT 1"
    )
    this.observedNewestOutbound = c.prepare(
      "SELECT sort_at FROM messages WHERE chat_id = ? AND direction = 'outbound' ORDER BY sort_at DESC LIMIT 1"
    )
    this.newestPosition = c.prepare('SELECT sort_at, row_id FROM messages WHERE chat_id = ? ORDER BY sort_at DESC, row_id DESC LIMIT 1')
    this.newestInboundPosition = c.prepare(
      `SELECT sort_at, row_id FROM messages WHERE chat_id = ? AND direction = 'inbound' AND external_deleted_at IS NULL
       ORDER BY sort_at DESC, row_id DESC LIMIT 1`
    )
    this.setReadMarker = c.prepare(
      'UPDATE chats SET read_sort_at = @sort_at, read_row_id = @row_id, marked_unread = @marked_unread, updated_at_ms = @now WHERE id = @id'
    )
    this.unreadOne = c.prepare(`SELECT ${UNREAD_COUNT} AS unread FROM chats c WHERE c.id = ?`)
    // Only the chats in the partial index chats_maybe_unread: the badge costs what the unread chats cost.
    // Snoozed and done chats don't nag: only the inbox counts (a chat that comes back counts again).
    this.unreadAll = c.prepare(
      `SELECT coalesce(sum(${UNREAD_COUNT}), 0) AS total FROM chats c INDEXED BY chats_maybe_unread
       WHERE ${MAYBE_UNREAD_CHAT} AND ${IN_INBOX}`
    )
    this.unreadPerProfile = c.prepare(
      `SELECT c.profile_id, coalesce(sum(${UNREAD_COUNT}), 0) AS total FROM chats c INDEXED BY chats_maybe_unread
       WHERE ${MAYBE_UNREAD_CHAT} AND ${IN_INBOX} GROUP BY c.profile_id`
    )
    this.updateActivity = c.prepare(
      `UPDATE chats SET last_message_at = @last_message_at, last_inbound_at = @last_inbound_at, last_outbound_at = @last_outbound_at,
         activity_ms = @activity_ms, last_inbound_ms = @last_inbound_ms, newest_inbound_sort_at = @newest_inbound_sort_at,
         newest_inbound_row_id = @newest_inbound_row_id, updated_at_ms = @now WHERE id = @id`
    )
  }

  upsertChats(chats: readonly Chat[]): UpsertChatsResult {
    return this.db.transaction(() => {
      const result: UpsertChatsResult = { inserted: [], updated: [] }
      const now = this.db.now()
      for (const chat of chats) {
        const existing = this.selectById.get(chat.id)
        // A chat that arrives after its messages (a webhook came first) takes its activity from them.
        const observed = existing ? NO_OBSERVED_ACTIVITY : this.observedActivity(chat.id)
        const { columns, unchanged } = mergeChat(existing, chat, observed)
        if (unchanged) continue
        if (existing) {
          this.updateChat.run({ ...columns, updated_at_ms: now })
          result.updated.push(chat.id)
        } else {
          this.insertChat.run({
            ...columns,
            newest_inbound_sort_at: observed.newestInbound?.sortAt ?? null,
            newest_inbound_row_id: observed.newestInbound?.rowId ?? null,
            updated_at_ms: now
          })
          result.inserted.push(chat.id)
        }
        this.db.changes.chat(chat.id)
      }
      return result
    })
  }

  upsertChat(chat: Chat): UpsertChatsResult {
    return this.upsertChats([chat])
  }

  has(chatId: string): boolean {
    return this.selectById.get(chatId) !== undefined
  }

  /** By Postproxy id or the platform's external conversation id. */
  getChat(idOrExternalConversationId: string): ChatListItem | null {
    const row = this.selectById.get(idOrExternalConversationId) ?? this.selectByExternalConversation.get(idOrExternalConversationId)
    if (!row) return null
    const listRow = this.selectListItem.get({ id: row.id })
    return listRow ? toListItem(listRow) : null
  }

  /**
   * A page of chats, newest activity first (ties by id), with unread counts, previews, drafts, triage
   * state and labels. In a view, pinned chats come first.
   */
  listChats(options: ChatListOptions = {}): ChatPage {
    const limit = Math.min(Math.max(1, Math.floor(options.limit ?? DEFAULT_PAGE)), MAX_PAGE)
    const filters: string[] = []
    const params: Record<string, unknown> = { limit: limit + 1 }
    const scope = profileScopeCondition('c.profile_id', options.profileId, params)
    if (scope !== null) filters.push(scope)
    const buckets = options.view === undefined ? null : VIEW_BUCKETS[options.view]
    if (buckets) {
      filters.push('c.triage_bucket >= @lowest_bucket')
      params.lowest_bucket = buckets[0]
    }
    if (options.labelId !== undefined) {
      filters.push('EXISTS (SELECT 1 FROM chat_labels cl WHERE cl.chat_id = c.id AND cl.label_id = @label_id)')
      params.label_id = options.labelId
    }
    if (options.unreadOnly) filters.push(HAS_UNREAD)
    if (options.verifiedOnly) filters.push('c.is_verified = 1')
    if (options.minFollowers !== undefined) {
      filters.push('c.follower_count >= @min_followers')
      params.min_followers = options.minFollowers
    }
    if (options.windowOpenAt !== undefined) {
      filters.push('c.last_inbound_ms > @window_opened_after')
      params.window_opened_after = options.windowOpenAt - STANDARD_WINDOW_MS
    }
    const inView = buckets !== null
    // A cursor inside the view is its upper bound; stated as one row value, the whole condition is one
    // range of the index (two separate upper bounds would make SQLite use only the bucket one).
    const cursorInView = options.after !== undefined && (!buckets || (options.after.bucket ?? 0) <= buckets[1])
    if (buckets && !cursorInView) {
      filters.push('c.triage_bucket <= @highest_bucket')
      params.highest_bucket = buckets[1]
    }
    if (options.after !== undefined) {
      filters.push(inView ? '(c.triage_bucket, c.activity_ms, c.id) < (@after_bucket, @after_activity, @after_id)' : '(c.activity_ms, c.id) < (@after_activity, @after_id)')
      if (inView) params.after_bucket = options.after.bucket ?? 0
      params.after_activity = options.after.activityMs
      params.after_id = options.after.id
    }
    const rows = this.listStatement(filters.join(' AND '), inView ? VIEW_ORDER : ACTIVITY_ORDER).all(params) as ChatListRow[]
    const hasMore = rows.length > limit
    const chats = rows.slice(0, limit).map(toListItem)
    const last = chats[chats.length - 1]
    const nextCursor = hasMore && last ? { activityMs: last.activityMs, id: last.chat.id, ...(inView ? { bucket: last.bucket } : {}) } : null
    return { chats, nextCursor }
  }

  unreadCount(chatId: string): number {
    return this.unreadOne.get(chatId)?.unread ?? 0
  }

  /** For the dock/taskbar badge: every profile's. */
  totalUnread(): number {
    return this.unreadAll.get()?.total ?? 0
  }

  /** For the profile filter: the same count per profile (profiles without unread messages are left out). */
  unreadByProfile(): Record<string, number> {
    return Object.fromEntries(this.unreadPerProfile.all().filter((row) => row.total > 0).map((row) => [row.profile_id, row.total]))
  }

  /** Everything up to the newest stored message counts as read. Returns false for an unknown chat. */
  markRead(chatId: string): boolean {
    return this.db.transaction(() => {
      const chat = this.selectById.get(chatId)
      if (!chat) return false
      const newest = this.newestPosition.get(chatId)
      const marker = newest && comparePositions(newest, { sort_at: chat.read_sort_at, row_id: chat.read_row_id }) > 0
        ? newest
        : { sort_at: chat.read_sort_at, row_id: chat.read_row_id }
      this.setReadMarker.run({ id: chatId, ...marker, marked_unread: 0, now: this.db.now() })
      this.db.changes.chat(chatId)
      return true
    })
  }

  /** The newest inbound message counts as unread again; a chat without one still shows one unread. */
  markUnread(chatId: string): boolean {
    return this.db.transaction(() => {
      const chat = this.selectById.get(chatId)
      if (!chat) return false
      const newestInbound = this.newestInboundPosition.get(chatId)
      // Just before the newest inbound message: it, and nothing older, is after the marker.
      const marker = newestInbound
        ? { sort_at: newestInbound.sort_at, row_id: newestInbound.row_id - 1 }
        : { sort_at: chat.read_sort_at, row_id: chat.read_row_id }
      this.setReadMarker.run({ id: chatId, ...marker, marked_unread: 1, now: this.db.now() })
      this.db.changes.chat(chatId)
      return true
    })
  }

  /** Marks every chat (of one profile) read, e.g. after the first sync imported old history. */
  markAllRead(profileId?: string): number {
    return this.db.transaction(() => {
      const ids = (
        profileId === undefined
          ? this.db.connection.prepare('SELECT id FROM chats').pluck().all()
          : this.db.connection.prepare('SELECT id FROM chats WHERE profile_id = ?').pluck().all(profileId)
      ) as string[]
      let changed = 0
      for (const id of ids) if (this.markRead(id)) changed++
      return changed
    })
  }

  /**
   * Called by the message repository inside its transaction: moves the chat's activity and last
   * inbound/outbound times forward to what new messages show. Returns false when the chat is unknown.
   */
  noteMessageActivity(chatId: string, observed: ObservedActivity): boolean {
    const chat = this.selectById.get(chatId)
    if (!chat) return false
    const lastMessageAt = newestTimestamp(chat.last_message_at, observed.newestAt)
    const lastInboundAt = newestTimestamp(chat.last_inbound_at, observed.newestInboundAt)
    const lastOutboundAt = newestTimestamp(chat.last_outbound_at, observed.newestOutboundAt)
    const activityMs = Math.max(chat.activity_ms, timestampMs(lastMessageAt) ?? 0)
    const stored = storedNewestInbound(chat)
    const newestInbound = laterPosition(stored, observed.newestInbound)
    if (
      lastMessageAt === chat.last_message_at &&
      lastInboundAt === chat.last_inbound_at &&
      lastOutboundAt === chat.last_outbound_at &&
      activityMs === chat.activity_ms &&
      newestInbound === stored
    ) {
      return true
    }
    this.updateActivity.run({
      id: chatId,
      last_message_at: lastMessageAt,
      last_inbound_at: lastInboundAt,
      last_outbound_at: lastOutboundAt,
      activity_ms: activityMs,
      last_inbound_ms: timestampMs(lastInboundAt),
      newest_inbound_sort_at: newestInbound?.sortAt ?? null,
      newest_inbound_row_id: newestInbound?.rowId ?? null,
      now: this.db.now()
    })
    return true
  }

  private observedActivity(chatId: string): ObservedActivity {
    const iso = (row: { sort_at: number } | undefined) => (row ? new Date(row.sort_at).toISOString() : null)
    const newestInbound = this.observedNewestInbound.get(chatId)
    return {
      newestAt: iso(this.observedNewest.get(chatId)),
      newestInboundAt: iso(newestInbound),
      newestOutboundAt: iso(this.observedNewestOutbound.get(chatId)),
      newestInbound: newestInbound ? { sortAt: newestInbound.sort_at, rowId: newestInbound.row_id } : null
    }
  }

  private listStatement(where: string, order: string): BetterSqlite3.Statement {
    const key = `${where} ORDER BY ${order}`
    let statement = this.listStatements.get(key)
    if (!statement) {
      statement = this.db.connection.prepare(chatListSql(where ? `WHERE ${where}` : '', order, 'LIMIT @limit'))
      // Filters come in a handful of combinations; the bound keeps a bug from growing this without end.
      if (this.listStatements.size > 64) this.listStatements.clear()
      this.listStatements.set(key, statement)
    }
    return statement
  }
}

/** Chats (filtered, ordered, limited first) joined to their newest message, draft, triage state and labels. */
function chatListSql(where: string, order: string, limit: string): string {
  return `
    SELECT c.*, d.text AS draft_text,
      p.row_id AS p_row_id, p.direction AS p_direction, p.body AS p_body, p.status AS p_status,
      p.external_deleted_at AS p_deleted_at, p.sort_at AS p_sort_at,
      (SELECT a.type FROM attachments a WHERE a.message_row = p.row_id ORDER BY a.position LIMIT 1) AS p_attachment_type,
      t.put_away AS t_put_away, t.snoozed_until_ms AS t_snoozed_until_ms, t.pinned_at_ms AS t_pinned_at_ms,
      t.returned_reason AS t_returned_reason, t.returned_at_ms AS t_returned_at_ms,
      (SELECT json_group_array(cl.label_id) FROM chat_labels cl WHERE cl.chat_id = c.id) AS label_ids
    FROM (
      SELECT c.*, ${UNREAD_COUNT} AS unread_count,
        (SELECT m.row_id FROM messages m WHERE m.chat_id = c.id ORDER BY m.sort_at DESC, m.row_id DESC LIMIT 1) AS last_row_id
      FROM chats c ${where}
      ORDER BY ${order} ${limit}
    ) c
    LEFT JOIN messages p ON p.row_id = c.last_row_id
    LEFT JOIN drafts d ON d.chat_id = c.id
    LEFT JOIN chat_triage t ON t.chat_id = c.id
    ORDER BY ${order}`
}

const NO_OBSERVED_ACTIVITY: ObservedActivity = { newestAt: null, newestInboundAt: null, newestOutboundAt: null, newestInbound: null }

function storedNewestInbound(chat: ChatRow): MessagePosition | null {
  return chat.newest_inbound_sort_at === null || chat.newest_inbound_row_id === null
    ? null
    : { sortAt: chat.newest_inbound_sort_at, rowId: chat.newest_inbound_row_id }
}

function comparePositions(a: Position, b: Position): number {
  return a.sort_at !== b.sort_at ? a.sort_at - b.sort_at : a.row_id - b.row_id
}

function toListItem(row: ChatListRow): ChatListItem {
  return {
    chat: chatFromRow(row),
    unreadCount: row.unread_count,
    lastMessage:
      row.p_row_id === null
        ? null
        : {
            rowId: row.p_row_id,
            direction: row.p_direction as MessageDirection,
            body: row.p_deleted_at === null ? row.p_body : null,
            status: row.p_status as MessageStatus,
            attachmentType: row.p_attachment_type,
            deleted: row.p_deleted_at !== null,
            sortAt: row.p_sort_at as number
          },
    draft: row.draft_text,
    activityMs: row.activity_ms,
    bucket: row.triage_bucket,
    triage: {
      putAway: row.t_put_away ?? null,
      snoozedUntilMs: row.t_snoozed_until_ms ?? null,
      pinned: row.t_pinned_at_ms !== null && row.t_pinned_at_ms !== undefined,
      returned: row.t_returned_reason ? { reason: row.t_returned_reason, atMs: row.t_returned_at_ms ?? 0 } : null
    },
    labelIds: JSON.parse(row.label_ids) as number[]
  }
}

export function assertChatExists(chats: ChatsRepository, chatId: string): void {
  if (!chats.has(chatId)) {
    throw new StoreError('invalid_argument', 'This conversation is no longer available. Refresh the inbox and try again.', {
      detail: `unknown chat ${chatId}`
    })
  }
}

// Full-text search over cached messages and participants: prefix matching, newest first. The message
// index is keyed by time (see migrations.ts), so a common word costs one page of work, not every match.
import type BetterSqlite3 from 'better-sqlite3'
import type { Chat, MessageDirection } from '../../../shared/postproxy.ts'
import { chatFromRow, type ChatColumns } from './chat-rows.ts'
import type { StoreDatabase } from './database.ts'
import { profileScopeCondition, type ProfileScope } from './profile-scope.ts'
import { buildSnippet, ftsPrefixQuery, highlightRanges, searchTokens, type Highlight, type Snippet } from './search-query.ts'

export type MessageSearchHit = {
  rowId: number
  /** Server id, or the local id of a send not yet accepted. */
  messageId: string
  chatId: string
  direction: MessageDirection
  sortAt: number
  snippet: Snippet
  participantName: string | null
  participantUsername: string | null
}

export type ChatSearchHit = {
  chat: Chat
  activityMs: number
  nameHighlights: Highlight[]
  usernameHighlights: Highlight[]
}

export type SearchResults = { messages: MessageSearchHit[]; chats: ChatSearchHit[] }

export type SearchOptions = {
  /** Per kind of result; default 50, at most 200. */
  limit?: number
  /** Whose chats and messages (see store/profile-scope.ts). */
  profileId?: ProfileScope
  /** Search inside one conversation only. */
  chatId?: string
}

const ROW_ID_BITS = 2147483647

type MessageHitRow = {
  row_id: number
  id: string | null
  local_id: string | null
  chat_id: string
  direction: MessageDirection
  sort_at: number
  body: string
  participant_name: string | null
  participant_username: string | null
}

export class SearchRepository {
  private readonly db: StoreDatabase
  private readonly statements = new Map<string, BetterSqlite3.Statement>()

  constructor(db: StoreDatabase) {
    this.db = db
  }

  search(input: string, options: SearchOptions = {}): SearchResults {
    const match = ftsPrefixQuery(input)
    if (match === null) return { messages: [], chats: [] }
    const tokens = searchTokens(input)
    const limit = Math.min(Math.max(1, Math.floor(options.limit ?? 50)), 200)
    return {
      messages: this.searchMessages(match, tokens, limit, options),
      chats: options.chatId === undefined ? this.searchChats(match, tokens, limit, options) : []
    }
  }

  private searchMessages(match: string, tokens: string[], limit: number, options: SearchOptions): MessageSearchHit[] {
    const filters = ['message_search MATCH @match']
    const params: Record<string, unknown> = { match, limit }
    if (options.chatId !== undefined) {
      filters.push('m.chat_id = @chat_id')
      params.chat_id = options.chatId
    }
    const scope = profileScopeCondition('c.profile_id', options.profileId, params)
    if (scope !== null) filters.push(scope)
    // FTS5 walks its rowids backwards (newest first) and the join is a primary-key lookup, so the
    // LIMIT stops the scan after one page.
    const rows = this.statement(
      `m:${filters.join(' AND ')}`,
      `SELECT m.row_id, m.id, m.local_id, m.chat_id, m.direction, m.sort_at, m.body,
         c.participant_name, c.participant_username
       FROM message_search
       JOIN messages m ON m.row_id = (message_search.rowid & ${ROW_ID_BITS})
       LEFT JOIN chats c ON c.id = m.chat_id
       WHERE ${filters.join(' AND ')}
       ORDER BY message_search.rowid DESC LIMIT @limit`
    ).all(params) as MessageHitRow[]
    return rows.map((row) => ({
      rowId: row.row_id,
      messageId: row.id ?? row.local_id ?? `row_${row.row_id}`,
      chatId: row.chat_id,
      direction: row.direction,
      sortAt: row.sort_at,
      snippet: buildSnippet(row.body, tokens),
      participantName: row.participant_name,
      participantUsername: row.participant_username
    }))
  }

  private searchChats(match: string, tokens: string[], limit: number, options: SearchOptions): ChatSearchHit[] {
    const filters = ['chat_search MATCH @match']
    const params: Record<string, unknown> = { match, limit }
    const scope = profileScopeCondition('c.profile_id', options.profileId, params)
    if (scope !== null) filters.push(scope)
    const rows = this.statement(
      `c:${filters.join(' AND ')}`,
      `SELECT c.* FROM chat_search JOIN chats c ON c.row_id = chat_search.rowid
       WHERE ${filters.join(' AND ')} ORDER BY c.activity_ms DESC, c.id DESC LIMIT @limit`
    ).all(params) as ChatColumns[]
    return rows.map((row) => ({
      chat: chatFromRow(row),
      activityMs: row.activity_ms,
      nameHighlights: highlightRanges(row.participant_name ?? '', tokens),
      usernameHighlights: highlightRanges(row.participant_username ?? '', tokens)
    }))
  }

  private statement(key: string, sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(key)
    if (!statement) {
      statement = this.db.connection.prepare(sql)
      this.statements.set(key, statement)
    }
    return statement
  }
}

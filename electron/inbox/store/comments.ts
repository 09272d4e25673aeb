// Comments on the profile's posts: idempotent upserts on Postproxy ids, threads (a top-level comment and its
// replies, listed by their newest activity), the Comments view's filters and unread marks, and the person
// behind a comment (their chat, their private reply). Comment text is stored and returned as plain text.
import type BetterSqlite3 from 'better-sqlite3'
import type { StoreDatabase } from './database.ts'
import { commentLane } from './outbox.ts'
import { buildSnippet, ftsPrefixQuery, searchTokens, type Snippet } from './search-query.ts'
import { timestampMs } from './timestamps.ts'
import { profileScopeCondition, type ProfileScope } from './profile-scope.ts'

/** What the cache knows of a comment, whichever Postproxy answer or event it came from. */
type CommentFields = {
  id: string
  externalId: string | null
  postId: string
  /** Null while the post's profile is unknown (comment.created says none). */
  profileId: string | null
  platform: string | null
  parentExternalId: string | null
  body: string | null
  authorExternalId: string | null
  authorUsername: string | null
  authorName: string | null
  authorAvatarUrl: string | null
  permalink: string | null
  postedAt: string | null
  createdAt: string
  /** Written by the creator's own account. */
  isOwn: boolean
}

/** A comment as the store takes it. A null like count, like state or hidden state: the answer does not say (the stored value is kept). */
export type CommentInput = CommentFields & {
  likeCount: number | null
  likedByBusiness: boolean | null
  isHidden: boolean | null
  raw: Record<string, unknown>
}

export type StoredComment = CommentFields & {
  rowId: number
  likeCount: number
  likedByBusiness: boolean
  isHidden: boolean
  sortAt: number
  isRoot: boolean
  threadActivityMs: number
  repliedPublicly: boolean
  unread: boolean
}

/**
 * `current`: the server's state now (a REST read), which replaces what the cache holds.
 * `created`: the comment as it was created (comment.created), which only fills what the cache lacks, so
 * a late or repeated event never undoes a newer read (a like count, a hide).
 */
export type CommentSource = 'current' | 'created'

export type UpsertCommentsResult = { inserted: string[]; updated: string[] }

export type CommentFeedFilter = 'all' | 'unanswered' | 'hidden' | 'has_chat'

/** Position in the feed: pass the last thread of a page to get the next one. */
export type CommentFeedCursor = { activityMs: number; rowId: number }

export type CommentSearchRow = { comment: StoredComment; snippet: Snippet }

export type CommentChat = { chatId: string; lastInboundAt: string | null }

type CommentRow = {
  row_id: number
  id: string
  external_id: string | null
  post_id: string
  profile_id: string | null
  platform: string | null
  parent_external_id: string | null
  body: string | null
  author_external_id: string | null
  author_username: string | null
  author_name: string | null
  author_avatar_url: string | null
  like_count: number
  liked_by_business: number
  is_hidden: number
  is_own: number
  permalink: string | null
  posted_at: string | null
  created_at: string
  sort_at: number
  is_root: number
  thread_activity_ms: number
  replied_publicly: number
  unread: number
  raw: string
}

/** Columns a `current` answer overwrites; the others keep a value the answer leaves out. */
const WRITTEN_COLUMNS = [
  'external_id', 'profile_id', 'platform', 'parent_external_id', 'body', 'author_external_id', 'author_username', 'author_name',
  'author_avatar_url', 'like_count', 'liked_by_business', 'is_hidden', 'is_own', 'permalink', 'posted_at', 'created_at', 'sort_at', 'raw'
] as const
type WrittenColumns = Pick<CommentRow, (typeof WRITTEN_COLUMNS)[number]>

const FEED_FILTERS: Record<CommentFeedFilter, string> = {
  all: '',
  // Not the creator's, not answered in public (a reply of theirs in the thread) nor in private (a
  // message naming it, or a reply on its way in the outbox).
  unanswered: `AND c.is_own = 0 AND c.replied_publicly = 0
    AND (c.external_id IS NULL OR NOT EXISTS (SELECT 1 FROM messages m WHERE m.external_comment_id = c.external_id))
    AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.lane = 'comment:' || c.id AND o.kind IN ('private_reply', 'public_reply') AND o.state <> 'failed')`,
  hidden: `AND (c.is_hidden = 1 OR (c.external_id IS NOT NULL
    AND EXISTS (SELECT 1 FROM comments r WHERE r.parent_external_id = c.external_id AND r.is_hidden = 1)))`,
  has_chat: `AND c.author_external_id IS NOT NULL
    AND EXISTS (SELECT 1 FROM chats h WHERE h.participant_external_id = c.author_external_id AND h.profile_id = c.profile_id)`
}

export class CommentsRepository {
  private readonly db: StoreDatabase
  private readonly selectById: BetterSqlite3.Statement<[string], CommentRow>
  private readonly selectByExternalId: BetterSqlite3.Statement<[string], CommentRow>
  private readonly insert: BetterSqlite3.Statement
  private readonly update: BetterSqlite3.Statement
  private readonly fill: BetterSqlite3.Statement
  private readonly adoptOrphans: BetterSqlite3.Statement<[string], { id: string }>
  private readonly refreshRoot: BetterSqlite3.Statement<[string], { id: string }>
  private readonly repliesOf: BetterSqlite3.Statement<[string], CommentRow>
  private readonly byAuthor: BetterSqlite3.Statement<[string, string, number], CommentRow>
  private readonly privateReplyOf: BetterSqlite3.Statement<[string], { id: string | null; local_id: string | null; chat_id: string }>
  private readonly waitingForProfile: BetterSqlite3.Statement<[], { post_id: string }>
  /** Statements whose text depends on the profile scope and the filter, prepared once each. */
  private readonly scopedStatements = new Map<string, BetterSqlite3.Statement>()
  private readonly queuedOfKinds: BetterSqlite3.Statement<[string, string]>

  constructor(db: StoreDatabase) {
    this.db = db
    const c = db.connection
    this.selectById = c.prepare('SELECT * FROM comments WHERE id = ?')
    this.selectByExternalId = c.prepare('SELECT * FROM comments WHERE external_id = ? LIMIT 1')
    const values = WRITTEN_COLUMNS.map((n) => (n === 'profile_id' ? 'coalesce(@profile_id, (SELECT profile_id FROM posts WHERE id = @post_id))' : `@${n}`))
    this.insert = c.prepare(
      `INSERT INTO comments (id, post_id, ${WRITTEN_COLUMNS.join(', ')}, is_root, thread_activity_ms, unread, updated_at_ms)
       VALUES (@id, @post_id, ${values.join(', ')}, @is_root, @sort_at, @unread, @now)`
    )
    this.update = c.prepare(`UPDATE comments SET ${WRITTEN_COLUMNS.map((n) => `${n} = @${n}`).join(', ')}, updated_at_ms = @now WHERE row_id = @row_id`)
    this.fill = c.prepare(
      `UPDATE comments SET external_id = coalesce(external_id, @external_id), profile_id = coalesce(profile_id, @profile_id),
         platform = coalesce(platform, @platform), author_external_id = coalesce(author_external_id, @author_external_id),
         author_username = coalesce(author_username, @author_username), author_name = coalesce(author_name, @author_name),
         author_avatar_url = coalesce(author_avatar_url, @author_avatar_url), permalink = coalesce(permalink, @permalink),
         posted_at = coalesce(posted_at, @posted_at), updated_at_ms = @now
       WHERE row_id = @row_id AND (external_id IS NULL AND @external_id IS NOT NULL OR profile_id IS NULL AND @profile_id IS NOT NULL
         OR platform IS NULL AND @platform IS NOT NULL OR author_external_id IS NULL AND @author_external_id IS NOT NULL
         OR author_username IS NULL AND @author_username IS NOT NULL OR author_name IS NULL AND @author_name IS NOT NULL
         OR author_avatar_url IS NULL AND @author_avatar_url IS NOT NULL OR permalink IS NULL AND @permalink IS NOT NULL
         OR posted_at IS NULL AND @posted_at IS NOT NULL)`
    )
    this.adoptOrphans = c.prepare('UPDATE comments SET is_root = 0 WHERE parent_external_id = ? AND is_root = 1 RETURNING id')
    this.refreshRoot = c.prepare(
      `UPDATE comments SET
         thread_activity_ms = max(sort_at, coalesce((SELECT max(r.sort_at) FROM comments r WHERE r.parent_external_id = comments.external_id), 0)),
         replied_publicly = EXISTS (SELECT 1 FROM comments r WHERE r.parent_external_id = comments.external_id AND r.is_own = 1)
       WHERE external_id = ? AND is_root = 1 RETURNING id`
    )
    this.repliesOf = c.prepare(
      'SELECT * FROM comments WHERE parent_external_id IN (SELECT value FROM json_each(?)) ORDER BY sort_at, row_id'
    )
    this.byAuthor = c.prepare(
      'SELECT * FROM comments WHERE author_external_id = ? AND profile_id = ? AND sort_at >= ? ORDER BY sort_at DESC, row_id DESC LIMIT 50'
    )
    this.privateReplyOf = c.prepare('SELECT id, local_id, chat_id FROM messages WHERE external_comment_id = ? ORDER BY row_id LIMIT 1')
    this.waitingForProfile = c.prepare('SELECT DISTINCT post_id FROM comments WHERE profile_id IS NULL LIMIT 50')
    this.queuedOfKinds = c.prepare(
      "SELECT 1 FROM outbox WHERE lane = ? AND kind IN (SELECT value FROM json_each(?)) AND state IN ('queued', 'sending') LIMIT 1"
    )
  }

  /** Stores comments; `unread` says which new ones count as news (never the creator's own). */
  upsertComments(inputs: readonly CommentInput[], options: { source: CommentSource; unread: (input: CommentInput) => boolean }): UpsertCommentsResult {
    return this.db.transaction(() => {
      const result: UpsertCommentsResult = { inserted: [], updated: [] }
      for (const input of inputs) {
        const outcome = this.write(input, options.source, options.unread(input) && !input.isOwn)
        if (outcome === 'inserted') result.inserted.push(input.id)
        else if (outcome === 'updated') result.updated.push(input.id)
      }
      return result
    })
  }

  get(id: string): StoredComment | null {
    const row = this.selectById.get(id)
    return row ? toComment(row) : null
  }

  getByExternalId(externalId: string): StoredComment | null {
    const row = this.selectByExternalId.get(externalId)
    return row ? toComment(row) : null
  }

  /** The thread a comment belongs to: its root (itself, when it is one). */
  rootOf(comment: StoredComment): StoredComment {
    if (comment.isRoot || comment.parentExternalId === null) return comment
    const parent = this.getByExternalId(comment.parentExternalId)
    if (!parent) return comment
    return parent.isRoot || parent.parentExternalId === null ? parent : (this.getByExternalId(parent.parentExternalId) ?? parent)
  }

  private scoped(sql: string): BetterSqlite3.Statement {
    let statement = this.scopedStatements.get(sql)
    if (!statement) {
      statement = this.db.connection.prepare(sql)
      this.scopedStatements.set(sql, statement)
    }
    return statement
  }

  /** Threads of the profiles in scope, newest activity first. */
  feed(options: { profileId: ProfileScope; filter: CommentFeedFilter; after?: CommentFeedCursor | null; limit: number }): { roots: StoredComment[]; next: CommentFeedCursor | null } {
    const params: Record<string, unknown> = { activity_ms: options.after?.activityMs ?? null, row_id: options.after?.rowId ?? null, limit: options.limit + 1 }
    const scope = profileScopeCondition('c.profile_id', options.profileId, params)
    const after = options.after ? 'AND (c.thread_activity_ms, c.row_id) < (@activity_ms, @row_id)' : ''
    const rows = this.scoped(
      `SELECT c.* FROM comments c WHERE ${scope ?? '1'} AND c.is_root = 1 ${after} ${FEED_FILTERS[options.filter]}
       ORDER BY c.thread_activity_ms DESC, c.row_id DESC LIMIT @limit`
    ).all(params) as CommentRow[]
    const roots = rows.slice(0, options.limit).map(toComment)
    const last = roots.at(-1)
    return { roots, next: rows.length > options.limit && last ? { activityMs: last.threadActivityMs, rowId: last.rowId } : null }
  }

  /** The replies of these threads (by their roots' Instagram ids), oldest first. */
  replies(rootExternalIds: readonly (string | null)[]): StoredComment[] {
    const ids = rootExternalIds.filter((id): id is string => id !== null)
    return ids.length === 0 ? [] : this.repliesOf.all(JSON.stringify(ids)).map(toComment)
  }

  /** A person's comments on the profile's posts received since `sinceMs`, newest first (at most 50). */
  byAuthorSince(profileId: string, authorExternalId: string, sinceMs: number): StoredComment[] {
    return this.byAuthor.all(authorExternalId, profileId, sinceMs).map(toComment)
  }

  /** The message a private reply to this comment became, when the cache holds it. */
  privateReplyMessage(externalId: string | null): { messageId: string | null; chatId: string } | null {
    if (externalId === null) return null
    const row = this.privateReplyOf.get(externalId)
    return row ? { messageId: row.id ?? row.local_id, chatId: row.chat_id } : null
  }

  /** The chats the creator has with these people on this profile, by their Instagram-scoped id. */
  chatsWith(profileId: ProfileScope, authorExternalIds: readonly (string | null)[]): Map<string, CommentChat> {
    const ids = [...new Set(authorExternalIds.filter((id): id is string => id !== null))]
    const params: Record<string, unknown> = { ids: JSON.stringify(ids) }
    const scope = profileScopeCondition('profile_id', profileId, params)
    const rows =
      ids.length === 0
        ? []
        : (this.scoped(
            `SELECT id, participant_external_id, last_inbound_at FROM chats
             WHERE ${scope ?? '1'} AND participant_external_id IN (SELECT value FROM json_each(@ids))`
          ).all(params) as { id: string; participant_external_id: string; last_inbound_at: string | null }[])
    return new Map(rows.map((row) => [row.participant_external_id, { chatId: row.id, lastInboundAt: row.last_inbound_at }]))
  }

  unreadCount(profileId: ProfileScope): number {
    const params: Record<string, unknown> = {}
    const scope = profileScopeCondition('profile_id', profileId, params)
    return (this.scoped(`SELECT count(*) AS n FROM comments WHERE unread = 1 AND ${scope ?? '1'}`).get(params) as { n: number } | undefined)?.n ?? 0
  }

  /** The creator looked at the Comments view: nothing there is news any more. Returns how many were unread. */
  markAllSeen(profileId: ProfileScope): number {
    const params: Record<string, unknown> = {}
    const scope = profileScopeCondition('profile_id', profileId, params)
    return this.db.transaction(() => {
      const seen = this.scoped(`UPDATE comments SET unread = 0 WHERE unread = 1 AND ${scope ?? '1'} RETURNING id`).all(params) as { id: string }[]
      for (const { id } of seen) this.db.changes.comment(id)
      return seen.length
    })
  }

  /** Marks these comments as news (the first sync's comments still waiting for the creator's answer). */
  markUnread(commentIds: readonly string[]): void {
    this.db.transaction(() => {
      for (const id of commentIds) {
        if (this.db.connection.prepare('UPDATE comments SET unread = 1 WHERE id = ? AND unread = 0 AND is_own = 0').run(id).changes > 0) this.db.changes.comment(id)
      }
    })
  }

  /** What an accepted hide / unhide / like / unlike did, when Postproxy's answer only said "accepted". */
  applyAction(commentId: string, change: { hidden: boolean } | { liked: boolean }): void {
    this.db.transaction(() => {
      const row = this.selectById.get(commentId)
      if (!row) return
      const next = { ...row }
      if ('hidden' in change) next.is_hidden = change.hidden ? 1 : 0
      else if (Boolean(row.liked_by_business) !== change.liked) {
        next.liked_by_business = change.liked ? 1 : 0
        next.like_count = Math.max(0, row.like_count + (change.liked ? 1 : -1))
      }
      if (next.is_hidden === row.is_hidden && next.liked_by_business === row.liked_by_business) return
      this.update.run({ ...pickWritten(next), row_id: row.row_id, now: this.db.now() })
      this.db.changes.comment(commentId)
    })
  }

  /** Posts whose comments wait for the post's profile (a comment.created on a post the cache had not seen). */
  postsWaitingForProfile(): string[] {
    return this.waitingForProfile.all().map((row) => row.post_id)
  }

  /** Full-text search over a profile's comments (null: every profile's), newest first. */
  search(input: string, options: { profileId: ProfileScope; limit: number }): CommentSearchRow[] {
    const match = ftsPrefixQuery(input)
    if (match === null) return []
    const tokens = searchTokens(input)
    const params: Record<string, unknown> = { match, limit: options.limit }
    const scope = profileScopeCondition('c.profile_id', options.profileId, params)
    const rows = this.scoped(
      `SELECT c.* FROM comment_search JOIN comments c ON c.row_id = comment_search.rowid
       WHERE comment_search MATCH @match AND ${scope ?? '1'}
       ORDER BY c.sort_at DESC, c.row_id DESC LIMIT @limit`
    ).all(params) as CommentRow[]
    return rows.map((row) => ({ comment: toComment(row), snippet: buildSnippet(row.body ?? '', tokens) }))
  }

  /** Whether an action of these kinds on the comment is waiting in the outbox (or going out). */
  hasQueued(commentId: string, kinds: readonly string[]): boolean {
    return this.queuedOfKinds.get(commentLane(commentId), JSON.stringify(kinds)) !== undefined
  }

  private write(input: CommentInput, source: CommentSource, unread: boolean): 'inserted' | 'updated' | null {
    const existing = this.selectById.get(input.id)
    const now = this.db.now()
    const columns = this.columnsOf(input, existing, source)
    if (!existing) {
      const parent = input.parentExternalId === null ? null : this.selectByExternalId.get(input.parentExternalId)
      this.insert.run({ id: input.id, post_id: input.postId, ...columns, is_root: parent ? 0 : 1, unread: unread ? 1 : 0, now })
      this.db.changes.comment(input.id)
      if (input.parentExternalId === null && input.externalId !== null) {
        for (const { id } of this.adoptOrphans.all(input.externalId)) this.db.changes.comment(id)
      }
      this.refreshThreadOf(input)
      return 'inserted'
    }
    if (source === 'created') {
      const filled = this.fill.run({ ...columns, row_id: existing.row_id, now }).changes > 0
      if (filled) this.db.changes.comment(input.id)
      return filled ? 'updated' : null
    }
    if (WRITTEN_COLUMNS.every((name) => existing[name] === columns[name])) return null
    this.update.run({ ...columns, row_id: existing.row_id, now })
    this.db.changes.comment(input.id)
    this.refreshThreadOf(input)
    return 'updated'
  }

  /** The thread's newest activity and "answered in public" follow its replies. */
  private refreshThreadOf(input: CommentInput): void {
    const parent = input.parentExternalId === null ? null : this.selectByExternalId.get(input.parentExternalId)
    const rootExternalId = parent ? (parent.is_root || parent.parent_external_id === null ? parent.external_id : parent.parent_external_id) : input.externalId
    if (rootExternalId) for (const { id } of this.refreshRoot.all(rootExternalId)) this.db.changes.comment(id)
  }

  private columnsOf(input: CommentInput, existing: CommentRow | undefined, source: CommentSource): WrittenColumns {
    const keep = <T>(value: T | null, stored: T | undefined, fallback: T): T => value ?? stored ?? fallback
    const sortAt = timestampMs(input.createdAt) ?? timestampMs(input.postedAt) ?? this.db.now()
    return {
      external_id: input.externalId ?? existing?.external_id ?? null,
      profile_id: input.profileId ?? existing?.profile_id ?? null,
      platform: input.platform ?? existing?.platform ?? null,
      parent_external_id: input.parentExternalId,
      body: input.body,
      author_external_id: input.authorExternalId ?? existing?.author_external_id ?? null,
      author_username: input.authorUsername ?? existing?.author_username ?? null,
      // Only comment.created names the author; a REST read leaves the name out.
      author_name: input.authorName ?? existing?.author_name ?? null,
      author_avatar_url: input.authorAvatarUrl ?? existing?.author_avatar_url ?? null,
      like_count: keep(input.likeCount, existing?.like_count, 0),
      liked_by_business: keep(input.likedByBusiness === null ? null : Number(input.likedByBusiness), existing?.liked_by_business, 0),
      is_hidden: keep(input.isHidden === null ? null : Number(input.isHidden), existing?.is_hidden, 0),
      is_own: Number(input.isOwn || Boolean(existing?.is_own)),
      permalink: input.permalink ?? existing?.permalink ?? null,
      posted_at: input.postedAt ?? existing?.posted_at ?? null,
      created_at: source === 'created' && existing ? existing.created_at : input.createdAt,
      sort_at: source === 'created' && existing ? existing.sort_at : sortAt,
      raw: JSON.stringify(input.raw)
    }
  }
}

function pickWritten(row: CommentRow): WrittenColumns {
  return Object.fromEntries(WRITTEN_COLUMNS.map((name) => [name, row[name]])) as WrittenColumns
}

function toComment(row: CommentRow): StoredComment {
  return {
    rowId: row.row_id,
    id: row.id,
    externalId: row.external_id,
    postId: row.post_id,
    profileId: row.profile_id,
    platform: row.platform,
    parentExternalId: row.parent_external_id,
    body: row.body,
    authorExternalId: row.author_external_id,
    authorUsername: row.author_username,
    authorName: row.author_name,
    authorAvatarUrl: row.author_avatar_url,
    likeCount: row.like_count,
    likedByBusiness: row.liked_by_business === 1,
    isHidden: row.is_hidden === 1,
    isOwn: row.is_own === 1,
    permalink: row.permalink,
    postedAt: row.posted_at,
    createdAt: row.created_at,
    sortAt: row.sort_at,
    isRoot: row.is_root === 1,
    threadActivityMs: row.thread_activity_ms,
    repliedPublicly: row.replied_publicly === 1,
    unread: row.unread === 1
  }
}

// Posts and their comments in the simulator's SQLite database (POSTPROXY.md §9), beside the DM state
// of state.ts. Each record is stored as JSON (SimPost, SimComment) next to the columns that are
// queried: scope (account, profile), lookups (Instagram ids), threading (parent) and the sort key.
// Reads that take an account return nothing of another key's; page queries take ids the caller
// has already scoped.
import type Database from 'better-sqlite3'
import type { Page } from '../shared/postproxy.ts'
import type { AccountId, SimComment, SimPost } from './contracts.ts'
import type { PublicUrls } from './public-urls.ts'

export interface StoredComment extends SimComment {
  /** The private reply sent to this comment's author (one per comment), if any. */
  reply_message_id: string | null
}

export interface PostPageQuery {
  profileIds: string[]
  /** Network names (`instagram`); null: every platform. */
  platforms: string[] | null
  page: number
  perPage: number
}

/** Inclusive bounds on when Postproxy received a comment (`created_at`), in ms. */
export interface ReceivedRange {
  fromMs: number | null
  toMs: number | null
}

export interface CommentFeedQuery extends ReceivedRange {
  /** Comments on posts of these profiles (the caller has scoped them). */
  profileIds: string[]
  /** null: every post. */
  postIds: string[] | null
  page: number
  perPage: number
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS posts (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  account TEXT NOT NULL,
  profile_id TEXT NOT NULL,
  platform TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS posts_by_profile ON posts (profile_id, created_ms, seq);
CREATE TABLE IF NOT EXISTS post_comments (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  account TEXT NOT NULL,
  post_id TEXT NOT NULL,
  profile_id TEXT NOT NULL,
  platform TEXT NOT NULL,
  external_id TEXT NOT NULL,
  parent_external_id TEXT,
  created_ms INTEGER NOT NULL,
  reply_message_id TEXT,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS post_comments_by_post ON post_comments (post_id, parent_external_id, created_ms, seq);
CREATE INDEX IF NOT EXISTS post_comments_by_time ON post_comments (profile_id, created_ms, seq);
CREATE INDEX IF NOT EXISTS post_comments_by_external_id ON post_comments (external_id);
`

const NO_LOWER_BOUND = Number.MIN_SAFE_INTEGER
const NO_UPPER_BOUND = Number.MAX_SAFE_INTEGER

/** `?, ?, ?` for an IN list (never empty: SQLite refuses `IN ()`). */
function placeholders(count: number): string {
  return Array.from({ length: Math.max(1, count) }, () => '?').join(', ')
}

/** An IN list's values; an empty list matches nothing. */
function listValues(values: readonly string[]): string[] {
  return values.length > 0 ? [...values] : ['\u0000nothing']
}

export class PostStore {
  readonly #db: Database.Database
  readonly #urls: PublicUrls
  readonly #statements: ReturnType<typeof prepareStatements>

  constructor(db: Database.Database, urls: PublicUrls) {
    this.#db = db
    this.#urls = urls
    db.exec(SCHEMA)
    this.#statements = prepareStatements(db)
  }

  // --- posts --------------------------------------------------------------------------------

  putPost(account: AccountId, post: SimPost): void {
    const stored: SimPost = { ...post, media: post.media.map((item) => ({ ...item, url: this.#urls.toStored(item.url) ?? item.url })) }
    this.#statements.putPost.run(post.id, account, post.profile_id, post.platform, Date.parse(post.created_at), JSON.stringify(stored))
  }

  post(account: AccountId, postId: string): SimPost | null {
    const row = this.#statements.postById.get(postId, account) as { data: string } | undefined
    return row ? this.#postFrom(row.data) : null
  }

  /** Newest first. The caller has scoped the profiles. */
  postPage(query: PostPageQuery): Page<SimPost> {
    const platformFilter = query.platforms === null ? '' : `AND platform IN (${placeholders(query.platforms.length)})`
    const where = `profile_id IN (${placeholders(query.profileIds.length)}) ${platformFilter}`
    const params = [...listValues(query.profileIds), ...(query.platforms === null ? [] : listValues(query.platforms))]
    const { total } = this.#db.prepare(`SELECT count(*) AS total FROM posts WHERE ${where}`).get(...params) as { total: number }
    const rows = this.#db
      .prepare(`SELECT data FROM posts WHERE ${where} ORDER BY created_ms DESC, seq DESC LIMIT ? OFFSET ?`)
      .all(...params, query.perPage, query.page * query.perPage) as { data: string }[]
    return { total, page: query.page, per_page: query.perPage, data: rows.map((row) => this.#postFrom(row.data)) }
  }

  /** A profile's posts, newest first. */
  recentPosts(account: AccountId, profileId: string, limit: number): SimPost[] {
    return (this.#statements.recentPosts.all(profileId, account, limit) as { data: string }[]).map((row) => this.#postFrom(row.data))
  }

  postCount(profileId: string): number {
    return (this.#statements.postCount.get(profileId) as { total: number }).total
  }

  // --- comments -----------------------------------------------------------------------------

  /** Creates or replaces a comment (likes, hiding and the like rewrite it). */
  putComment(account: AccountId, comment: SimComment): void {
    const stored: SimComment = { ...comment, author_avatar_url: this.#urls.toStored(comment.author_avatar_url) ?? null }
    this.#statements.putComment.run({
      id: comment.id,
      account,
      post_id: comment.post_id,
      profile_id: comment.profile_id,
      platform: comment.platform,
      external_id: comment.external_id,
      parent_external_id: comment.parent_external_id,
      created_ms: Date.parse(comment.created_at),
      data: JSON.stringify(stored)
    })
  }

  /** A comment of the account by hashid or by Instagram's id. */
  comment(account: AccountId, idOrExternalId: string): StoredComment | null {
    const row = (this.#statements.commentById.get(idOrExternalId, account) ??
      this.#statements.commentByExternalId.get(idOrExternalId, account)) as CommentRow | undefined
    return row ? this.#commentFrom(row) : null
  }

  /** A post's top-level comments, newest first; `from`/`to` pick the top-level ones, replies follow them. */
  topLevelPage(postId: string, range: ReceivedRange, page: number, perPage: number): Page<StoredComment> {
    const params = {
      post_id: postId,
      from_ms: range.fromMs ?? NO_LOWER_BOUND,
      to_ms: range.toMs ?? NO_UPPER_BOUND,
      limit: perPage,
      offset: page * perPage
    }
    const { total } = this.#statements.countTopLevel.get(params) as { total: number }
    const rows = this.#statements.pageTopLevel.all(params) as CommentRow[]
    return { total, page, per_page: perPage, data: rows.map((row) => this.#commentFrom(row)) }
  }

  /** The replies to a post's comments, oldest first (the order a thread reads in). */
  repliesTo(postId: string, parentExternalIds: readonly string[]): StoredComment[] {
    if (parentExternalIds.length === 0) return []
    const rows = this.#db
      .prepare(
        `SELECT data, reply_message_id FROM post_comments
         WHERE post_id = ? AND parent_external_id IN (${placeholders(parentExternalIds.length)})
         ORDER BY created_ms ASC, seq ASC`
      )
      .all(postId, ...parentExternalIds) as CommentRow[]
    return rows.map((row) => this.#commentFrom(row))
  }

  /** Every comment on posts of the given profiles, flat, newest first. */
  commentFeed(query: CommentFeedQuery): Page<StoredComment> {
    const posts = query.postIds === null ? '' : `AND post_id IN (${placeholders(query.postIds.length)})`
    const where = `profile_id IN (${placeholders(query.profileIds.length)}) ${posts} AND created_ms >= ? AND created_ms <= ?`
    const params = [
      ...listValues(query.profileIds),
      ...(query.postIds === null ? [] : listValues(query.postIds)),
      query.fromMs ?? NO_LOWER_BOUND,
      query.toMs ?? NO_UPPER_BOUND
    ]
    const { total } = this.#db.prepare(`SELECT count(*) AS total FROM post_comments WHERE ${where}`).get(...params) as { total: number }
    const rows = this.#db
      .prepare(`SELECT data, reply_message_id FROM post_comments WHERE ${where} ORDER BY created_ms DESC, seq DESC LIMIT ? OFFSET ?`)
      .all(...params, query.perPage, query.page * query.perPage) as CommentRow[]
    return { total, page: query.page, per_page: query.perPage, data: rows.map((row) => this.#commentFrom(row)) }
  }

  /**
   * The `external_id` of the thread a reply to `parentId` (hashid or Instagram id) joins on this post:
   * Instagram threads one level deep, so a reply to a reply joins its top-level comment. Null when
   * `parentId` names no comment of the post.
   */
  threadFor(account: AccountId, postId: string, parentId: string): string | null {
    const parent = this.comment(account, parentId)
    if (!parent || parent.post_id !== postId) return null
    return parent.parent_external_id ?? parent.external_id
  }

  replyCount(postId: string, externalId: string): number {
    return (this.#statements.replyCount.get(postId, externalId) as { total: number }).total
  }

  /** Removes a comment and, when it is a top-level one, its replies (as Instagram does). */
  deleteComment(account: AccountId, comment: SimComment): void {
    this.#db.transaction(() => {
      this.#statements.deleteReplies.run(comment.post_id, comment.external_id, account)
      this.#statements.deleteComment.run(comment.id, account)
    })()
  }

  /** Records the private reply; false when the comment already had one (one per comment). */
  claimPrivateReply(account: AccountId, commentId: string, messageId: string): boolean {
    return this.#statements.claimPrivateReply.run(messageId, commentId, account).changes === 1
  }

  /** Every comment of the account, oldest first (the control API's ground truth). */
  allComments(account: AccountId): StoredComment[] {
    return (this.#statements.allComments.all(account) as CommentRow[]).map((row) => this.#commentFrom(row))
  }

  #postFrom(data: string): SimPost {
    const post = JSON.parse(data) as SimPost
    return { ...post, media: post.media.map((item) => ({ ...item, url: this.#urls.toPublic(item.url) ?? item.url })) }
  }

  #commentFrom(row: CommentRow): StoredComment {
    const comment = JSON.parse(row.data) as SimComment
    return { ...comment, author_avatar_url: this.#urls.toPublic(comment.author_avatar_url) ?? null, reply_message_id: row.reply_message_id }
  }
}

interface CommentRow {
  data: string
  reply_message_id: string | null
}

function prepareStatements(db: Database.Database) {
  return {
    putPost: db.prepare(
      `INSERT INTO posts (id, account, profile_id, platform, created_ms, data) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET account = excluded.account, profile_id = excluded.profile_id,
         platform = excluded.platform, created_ms = excluded.created_ms, data = excluded.data`
    ),
    postById: db.prepare('SELECT data FROM posts WHERE id = ? AND account = ?'),
    recentPosts: db.prepare('SELECT data FROM posts WHERE profile_id = ? AND account = ? ORDER BY created_ms DESC, seq DESC LIMIT ?'),
    postCount: db.prepare('SELECT count(*) AS total FROM posts WHERE profile_id = ?'),

    putComment: db.prepare(
      `INSERT INTO post_comments (id, account, post_id, profile_id, platform, external_id, parent_external_id, created_ms, data)
       VALUES (@id, @account, @post_id, @profile_id, @platform, @external_id, @parent_external_id, @created_ms, @data)
       ON CONFLICT (id) DO UPDATE SET account = excluded.account, post_id = excluded.post_id, profile_id = excluded.profile_id,
         platform = excluded.platform, external_id = excluded.external_id, parent_external_id = excluded.parent_external_id,
         created_ms = excluded.created_ms, data = excluded.data`
    ),
    commentById: db.prepare('SELECT data, reply_message_id FROM post_comments WHERE id = ? AND account = ?'),
    commentByExternalId: db.prepare('SELECT data, reply_message_id FROM post_comments WHERE external_id = ? AND account = ? LIMIT 1'),
    countTopLevel: db.prepare(
      `SELECT count(*) AS total FROM post_comments
       WHERE post_id = @post_id AND parent_external_id IS NULL AND created_ms >= @from_ms AND created_ms <= @to_ms`
    ),
    pageTopLevel: db.prepare(
      `SELECT data, reply_message_id FROM post_comments
       WHERE post_id = @post_id AND parent_external_id IS NULL AND created_ms >= @from_ms AND created_ms <= @to_ms
       ORDER BY created_ms DESC, seq DESC LIMIT @limit OFFSET @offset`
    ),
    replyCount: db.prepare('SELECT count(*) AS total FROM post_comments WHERE post_id = ? AND parent_external_id = ?'),
    deleteReplies: db.prepare('DELETE FROM post_comments WHERE post_id = ? AND parent_external_id = ? AND account = ?'),
    deleteComment: db.prepare('DELETE FROM post_comments WHERE id = ? AND account = ?'),
    claimPrivateReply: db.prepare('UPDATE post_comments SET reply_message_id = ? WHERE id = ? AND account = ? AND reply_message_id IS NULL'),
    allComments: db.prepare('SELECT data, reply_message_id FROM post_comments WHERE account = ? ORDER BY created_ms ASC, seq ASC')
  }
}

// Cached comments -> the view models of shared/inbox-api/comments.ts: threads with their post (thumbnail from
// the media cache), the commenter's chat and its window, the private reply state, and the actions still in
// the outbox (a queued hide shows as hidden at once; a refused one shows its reason). Pages are assembled
// with one look-up per kind of data, not one per comment.
import type {
  CommentActionKind,
  CommentItem,
  CommentPost,
  CommentSearchHit,
  CommentThread,
  CommentWithPost,
  PendingCommentAction
} from '../../../shared/inbox-api.ts'
import { INSTAGRAM } from '../../../shared/platforms.ts'
import { InboxFailure } from '../inbox-failure.ts'
import {
  commentLane,
  type CommentChat,
  type CommentFeedCursor,
  type CommentFeedFilter,
  type InboxStore,
  type OutboxItem,
  type StoredComment,
  type StoredPost
} from '../store/index.ts'
import { privateReplyState, recentCommentsBy } from './comment-reach.ts'
import type { ProfileScope } from '../store/profile-scope.ts'

export interface CommentViewsDeps {
  store: () => InboxStore
  now: () => number
  /** How the renderer loads a cached image (a post's thumbnail). */
  mediaUrl: (key: string) => string
}

const ACTION_KINDS: Partial<Record<OutboxItem['kind'], CommentActionKind>> = {
  public_reply: 'public_reply',
  hide_comment: 'hide',
  unhide_comment: 'unhide',
  like_comment: 'like',
  unlike_comment: 'unlike'
}

/** Refusals a retry cannot change. */
const FINAL_REFUSAL = /own comment|can't be hidden|not on /i

/** Hidden and liked as the creator will see them once the queued actions went out (the newest decides). */
export function effectiveFlags(comment: StoredComment, waiting: readonly OutboxItem[]): { isHidden: boolean; likedByYou: boolean; likeCount: number } {
  let isHidden = comment.isHidden
  let likedByYou = comment.likedByBusiness
  for (const item of waiting) {
    if (item.state !== 'queued' && item.state !== 'sending') continue
    if (item.kind === 'hide_comment' || item.kind === 'unhide_comment') isHidden = item.kind === 'hide_comment'
    if (item.kind === 'like_comment' || item.kind === 'unlike_comment') likedByYou = item.kind === 'like_comment'
  }
  const likeCount = Math.max(0, comment.likeCount + (likedByYou === comment.likedByBusiness ? 0 : likedByYou ? 1 : -1))
  return { isHidden, likedByYou, likeCount }
}

/** What one page of comments needs besides the comments: their outbox items, their authors' chats, their posts. */
interface PageContext {
  items: Map<string, OutboxItem[]>
  chats: Map<string, CommentChat>
  posts: Map<string, StoredPost>
}

export function encodeFeedCursor(cursor: CommentFeedCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url')
}

export function decodeFeedCursor(value: string | null): CommentFeedCursor | null {
  if (!value) return null
  try {
    const cursor = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as CommentFeedCursor
    if (Number.isFinite(cursor.activityMs) && Number.isInteger(cursor.rowId)) return cursor
  } catch {
    // Falls through to the refusal below.
  }
  throw new InboxFailure('invalid_argument', 'That list position is no longer valid. Scroll to reload.')
}

export class CommentViews {
  readonly #deps: CommentViewsDeps

  constructor(deps: CommentViewsDeps) {
    this.#deps = deps
  }

  feed(profileId: ProfileScope, filter: CommentFeedFilter, cursor: string | null, limit: number): { threads: CommentThread[]; nextCursor: string | null } {
    const store = this.#deps.store()
    const page = store.comments.feed({ profileId, filter, after: decodeFeedCursor(cursor), limit })
    const replies = store.comments.replies(page.roots.map((root) => root.externalId))
    const context = this.context(profileId, [...page.roots, ...replies])
    const byParent = new Map<string, StoredComment[]>()
    for (const reply of replies) byParent.set(reply.parentExternalId!, [...(byParent.get(reply.parentExternalId!) ?? []), reply])
    return {
      threads: page.roots.map((root) => this.thread(root, root.externalId ? (byParent.get(root.externalId) ?? []) : [], context)),
      nextCursor: page.next ? encodeFeedCursor(page.next) : null
    }
  }

  /** The thread a comment (top-level or reply) is part of. */
  threadOf(profileId: ProfileScope, commentId: string): CommentThread {
    const store = this.#deps.store()
    const comment = store.comments.get(commentId)
    if (!comment) throw new InboxFailure('not_found', 'This comment is no longer in your inbox.')
    const root = store.comments.rootOf(comment)
    const replies = root.externalId ? store.comments.replies([root.externalId]) : []
    return this.thread(root, replies, this.context(profileId, [root, ...replies]))
  }

  item(profileId: ProfileScope, commentId: string): CommentItem {
    const comment = this.#deps.store().comments.get(commentId)
    if (!comment) throw new InboxFailure('not_found', 'This comment is no longer in your inbox.')
    return this.toItem(comment, this.context(profileId, [comment]))
  }

  /** The chat participant's comments of the last 7 days that a private reply can still answer (or is answering). */
  ofChat(chatId: string): CommentWithPost[] {
    const store = this.#deps.store()
    const chat = store.chats.getChat(chatId)?.chat
    if (!chat) throw new InboxFailure('not_found', 'This conversation is not in your inbox any more.')
    const comments = recentCommentsBy(store, chat.profile_id, chat.participant_external_id, this.#deps.now()).map(({ comment }) => comment)
    const context = this.context(chat.profile_id, comments)
    return comments.map((comment) => ({ comment: this.toItem(comment, context), post: this.post(context.posts.get(comment.postId)) }))
  }

  search(profileId: ProfileScope, query: string, limit: number): CommentSearchHit[] {
    const store = this.#deps.store()
    const rows = store.comments.search(query, { profileId, limit })
    const posts = store.posts.getMany(rows.map((row) => row.comment.postId))
    return rows.map(({ comment, snippet }) => ({
      commentId: comment.id,
      author: authorOf(comment),
      snippet: { text: snippet.text, highlights: snippet.highlights.map(([a, b]) => [a, b]) },
      postCaption: posts.get(comment.postId)?.caption ?? null,
      at: comment.postedAt ?? comment.createdAt
    }))
  }

  private context(profileId: ProfileScope, comments: readonly StoredComment[]): PageContext {
    const store = this.#deps.store()
    const items = new Map<string, OutboxItem[]>()
    const byLane = new Map(comments.map((c) => [commentLane(c.id), c.id]))
    for (const item of store.outbox.list({ lanes: [...byLane.keys()] })) {
      const commentId = byLane.get(item.lane)!
      items.set(commentId, [...(items.get(commentId) ?? []), item])
    }
    return {
      items,
      chats: store.comments.chatsWith(profileId, comments.map((c) => c.authorExternalId)),
      posts: store.posts.getMany(comments.map((c) => c.postId))
    }
  }

  private thread(root: StoredComment, replies: readonly StoredComment[], context: PageContext): CommentThread {
    const comment = this.toItem(root, context)
    const answered =
      root.repliedPublicly ||
      ['used', 'queued', 'sending'].includes(comment.privateReply.state) ||
      comment.pending.some((action) => action.kind === 'public_reply' && action.state !== 'failed')
    return { comment, replies: replies.map((reply) => this.toItem(reply, context)), post: this.post(context.posts.get(root.postId)), answered }
  }

  private toItem(comment: StoredComment, context: PageContext): CommentItem {
    const store = this.#deps.store()
    const items = context.items.get(comment.id) ?? []
    const flags = effectiveFlags(comment, items)
    return {
      id: comment.id,
      postId: comment.postId,
      platform: comment.platform ?? INSTAGRAM,
      parentExternalId: comment.parentExternalId,
      body: comment.body,
      author: authorOf(comment),
      at: comment.postedAt ?? comment.createdAt,
      likeCount: flags.likeCount,
      likedByYou: flags.likedByYou,
      isHidden: flags.isHidden,
      isOwn: comment.isOwn,
      permalink: comment.permalink,
      unread: comment.unread,
      privateReply: privateReplyState(store, comment, items.filter((item) => item.kind === 'private_reply'), this.#deps.now()),
      pending: items.flatMap((item) => pendingAction(item)),
      chat: comment.authorExternalId && !comment.isOwn ? (context.chats.get(comment.authorExternalId) ?? null) : null
    }
  }

  private post(post: StoredPost | undefined): CommentPost | null {
    if (!post) return null
    return { id: post.id, caption: post.caption, permalink: post.permalink, thumbnailUrl: post.imageKey ? this.#deps.mediaUrl(post.imageKey) : null }
  }
}

function authorOf(comment: StoredComment) {
  return { externalId: comment.authorExternalId, username: comment.authorUsername, name: comment.authorName, avatarUrl: comment.authorAvatarUrl }
}

function pendingAction(item: OutboxItem): PendingCommentAction[] {
  const kind = ACTION_KINDS[item.kind]
  if (!kind || item.state === 'sent') return []
  return [
    {
      localId: item.localId,
      kind,
      state: item.state,
      text: item.body,
      error: item.state === 'failed' ? item.lastError : null,
      retryable: item.state === 'failed' && !FINAL_REFUSAL.test(item.lastError ?? '')
    }
  ]
}

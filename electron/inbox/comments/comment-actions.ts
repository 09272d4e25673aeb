// The creator's actions on a comment — private reply, public reply, hide / unhide, like / unlike — checked
// against the rules of the comment's network (Instagram, Facebook) first (a refusal in plain words, nothing queued), then written to the durable
// outbox with their own Idempotency-Key; the outbox's one sender delivers them (comment-delivery.ts).
import { checkCommentText, ownCommentHideText } from '../../../shared/comment-rules.ts'
import { checkMessageText } from '../../../shared/media-rules.ts'
import { INSTAGRAM } from '../../../shared/platforms.ts'
import { InboxFailure } from '../inbox-failure.ts'
import type { OutboxSender } from '../outbox/outbox-sender.ts'
import { commentLane, type InboxStore, type OutboxActionKind, type OutboxItem, type StoredComment } from '../store/index.ts'
import type { CommentActionPayload } from './comment-delivery.ts'
import { privateReplyItems, privateReplyRefusal, privateReplyState } from './comment-reach.ts'
import { effectiveFlags } from './comment-views.ts'

export interface CommentActionsOptions {
  store: InboxStore
  sender: Pick<OutboxSender, 'queueAction' | 'wake'>
  /** The profile a comment's calls name when the cache does not know its post's profile yet. */
  profileId: () => string
  now: () => number
}

const NOT_FOUND = 'This comment is no longer in your inbox.'

export class CommentActions {
  private readonly options: CommentActionsOptions

  constructor(options: CommentActionsOptions) {
    this.options = options
  }

  /** Up to 7 days after the comment, once per comment, even outside the 24-hour window. */
  privateReply(commentId: string, text: string): OutboxItem {
    const comment = this.comment(commentId)
    const check = checkMessageText(text, comment.platform ?? INSTAGRAM)
    if (!check.ok) throw new InboxFailure('invalid_argument', check.message)
    const { store, now } = this.options
    const state = privateReplyState(store, comment, privateReplyItems(store, [comment.id]).get(comment.id) ?? [], now())
    const refusal = privateReplyRefusal(state, comment.platform)
    if (refusal !== null) throw new InboxFailure(state.state === 'too_old' ? 'window_closed' : 'invalid_argument', refusal)
    return this.queue(comment, 'private_reply', text)
  }

  /** A public reply in the comment's thread. */
  publicReply(commentId: string, text: string): OutboxItem {
    const comment = this.comment(commentId)
    const check = checkCommentText(text, comment.platform)
    if (!check.ok) throw new InboxFailure('invalid_argument', check.message)
    return this.queue(comment, 'public_reply', text)
  }

  /** Nothing is queued when the comment already is (or is about to be) as asked. */
  setHidden(commentId: string, hidden: boolean): OutboxItem | null {
    const comment = this.comment(commentId)
    if (comment.isOwn) throw new InboxFailure('invalid_argument', ownCommentHideText(comment.platform))
    if (this.flags(comment).isHidden === hidden) return null
    return this.queue(comment, hidden ? 'hide_comment' : 'unhide_comment', null)
  }

  setLiked(commentId: string, liked: boolean): OutboxItem | null {
    const comment = this.comment(commentId)
    if (this.flags(comment).likedByYou === liked) return null
    return this.queue(comment, liked ? 'like_comment' : 'unlike_comment', null)
  }

  /** The creator's "Retry" on a refused action: queued again with the same key. */
  retry(localId: string): StoredComment {
    const item = this.actionItem(localId)
    if (!this.options.store.outbox.retry(localId)) throw new InboxFailure('not_found', 'This action is no longer waiting to be retried.')
    this.options.sender.wake()
    return this.comment(item.commentId)
  }

  /** The creator's "Discard" on a queued or refused action. */
  discard(localId: string): StoredComment {
    const item = this.actionItem(localId)
    if (!this.options.store.outbox.discard(localId)) throw new InboxFailure('not_found', 'This action is being sent right now and can no longer be discarded.')
    return this.comment(item.commentId)
  }

  private comment(commentId: string): StoredComment {
    const comment = this.options.store.comments.get(commentId)
    if (!comment) throw new InboxFailure('not_found', NOT_FOUND)
    return comment
  }

  private flags(comment: StoredComment) {
    return effectiveFlags(comment, this.options.store.outbox.list({ lanes: [commentLane(comment.id)], states: ['queued', 'sending'] }))
  }

  private actionItem(localId: string): { commentId: string } {
    const item = this.options.store.outbox.get(localId)
    const commentId = (item?.payload as Partial<CommentActionPayload> | null)?.commentId
    if (!item || typeof commentId !== 'string') throw new InboxFailure('not_found', 'This action is no longer in the queue.')
    return { commentId }
  }

  private queue(comment: StoredComment, kind: OutboxActionKind, body: string | null): OutboxItem {
    const payload: CommentActionPayload = { commentId: comment.id, postId: comment.postId, profileId: comment.profileId ?? this.options.profileId() }
    return this.options.sender.queueAction({ kind, lane: commentLane(comment.id), body, payload })
  }
}

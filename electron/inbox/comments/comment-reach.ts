// Whether a private reply can still reach the person behind a comment (≤ 7 days after it, once per comment,
// not on the creator's own), how a queued one is doing, and which of a person's comments can still take one:
// what the Comments view, a closed chat and the window texts all ask.
import type { PrivateReplyState } from '../../../shared/inbox-api.ts'
import { COMMENT_PLATFORMS, privateReplyTooOldText, privateReplyUsedText, privateReplyWindow } from '../../../shared/comment-rules.ts'
import { PRIVATE_REPLY_WINDOW_MS } from '../../../shared/messaging-window.ts'
import { commentLane, type InboxStore, type OutboxItem, type StoredComment } from '../store/index.ts'

/** Refusals a retry cannot change (the same request gets the same answer). */
const FINAL_REFUSAL = /7 days|one private reply|already has a private reply|own comment/i

/** The private reply items of these comments, by comment id, oldest first. */
export function privateReplyItems(store: InboxStore, commentIds: readonly string[]): Map<string, OutboxItem[]> {
  const byComment = new Map<string, OutboxItem[]>()
  if (commentIds.length === 0) return byComment
  for (const item of store.outbox.list({ lanes: commentIds.map(commentLane), kinds: ['private_reply'] })) {
    const commentId = (item.payload as { commentId?: string } | null)?.commentId
    if (typeof commentId !== 'string') continue
    byComment.set(commentId, [...(byComment.get(commentId) ?? []), item])
  }
  return byComment
}

export function privateReplyState(store: InboxStore, comment: StoredComment, items: readonly OutboxItem[], now: number): PrivateReplyState {
  if (comment.isOwn) return { state: 'not_possible', reason: 'This is your own comment. A private reply goes to the person who commented.' }
  if (comment.authorExternalId === null) return { state: 'not_possible', reason: "Postproxy didn't say who wrote this comment, so it can't take a private reply." }
  if (comment.platform !== null && !COMMENT_PLATFORMS.includes(comment.platform)) {
    return { state: 'not_possible', reason: `Private replies work on Instagram and Facebook comments, not on ${comment.platform}.` }
  }
  const latest = items.at(-1)
  if (latest && (latest.state === 'queued' || latest.state === 'sending')) return { state: latest.state, localId: latest.localId }
  const sent = items.find((item) => item.state === 'sent')
  const message = store.comments.privateReplyMessage(comment.externalId)
  if (message) return { state: 'used', chatId: message.chatId, messageId: message.messageId }
  if (sent) {
    const stored = sent.serverMessageId ? store.messages.getMessage(sent.serverMessageId) : null
    return { state: 'used', chatId: stored?.message.chat_id ?? null, messageId: sent.serverMessageId }
  }
  if (latest?.state === 'failed') {
    const reason = latest.lastError ?? 'The private reply was not sent.'
    return { state: 'failed', localId: latest.localId, reason, retryable: !FINAL_REFUSAL.test(reason) }
  }
  const postedAt = comment.postedAt ?? comment.createdAt
  const window = privateReplyWindow(postedAt, now)
  if (!window.open) return { state: 'too_old', reason: privateReplyTooOldText(postedAt, now, comment.platform) }
  return { state: 'available', closesAt: new Date(window.closesAt).toISOString() }
}

/** Why a private reply cannot be queued for this comment (on `platform`) now, in plain words; null when it can. */
export function privateReplyRefusal(state: PrivateReplyState, platform: string | null): string | null {
  switch (state.state) {
    case 'available':
      return null
    case 'failed':
      return state.retryable ? 'A private reply to this comment is waiting for you to retry or discard it.' : state.reason
    case 'too_old':
    case 'not_possible':
      return state.reason
    case 'used':
      return privateReplyUsedText(platform)
    case 'queued':
    case 'sending':
      return 'A private reply to this comment is already on its way.'
  }
}

/**
 * A person's comments on the profile's posts from the last 7 days that still wait for a private reply (or
 * whose reply is on its way, or was refused), each with that state, newest first.
 */
export function recentCommentsBy(store: InboxStore, profileId: string, authorExternalId: string, now: number): { comment: StoredComment; privateReply: PrivateReplyState }[] {
  // Received-time bound with a day's margin: the 7 days run from when it was posted.
  const comments = store.comments.byAuthorSince(profileId, authorExternalId, now - PRIVATE_REPLY_WINDOW_MS - 24 * 3600_000).filter((c) => !c.isOwn)
  const items = privateReplyItems(store, comments.map((c) => c.id))
  return comments
    .map((comment) => ({ comment, privateReply: privateReplyState(store, comment, items.get(comment.id) ?? [], now) }))
    .filter(({ privateReply }) => !['too_old', 'not_possible', 'used'].includes(privateReply.state))
}

/** How many of a person's comments can take a private reply now: what the window texts offer, or don't. */
export function replyableCommentCount(store: InboxStore, profileId: string, authorExternalId: string, now: number): number {
  return recentCommentsBy(store, profileId, authorExternalId, now).filter(({ privateReply }) => privateReply.state === 'available').length
}

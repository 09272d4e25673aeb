// Comments in words: who wrote one, what its post is, and where its private reply stands ("possible for
// 3 more days", or why not). The rules themselves are shared with the core (shared/comment-rules.ts).
import type { CommentAuthor, CommentItem, Participant, PendingCommentAction, PrivateReplyState } from '../../../../shared/inbox-api.ts'
import { privateReplyTimeLeft } from '../../../../shared/comment-rules.ts'
import { INSTAGRAM, unnamedPerson } from '../../../../shared/platforms.ts'

/** "@jane", else their name, else a neutral word for the network (`platform`) the comment is on; Instagram's where not known (a search hit). */
export function authorHandle(author: CommentAuthor, platform: string = INSTAGRAM): string {
  if (author.username) return `@${author.username}`
  return author.name ?? unnamedPerson(platform)
}

/** The author as the avatar and participant helpers take a person. */
export function authorAsParticipant(author: CommentAuthor): Participant {
  return {
    externalId: author.externalId ?? author.username ?? 'unknown',
    username: author.username,
    name: author.name,
    avatarUrl: author.avatarUrl,
    isVerified: null,
    followerCount: null,
    followsYou: null,
    youFollow: null
  }
}

/** The start of a caption, on one line, for "comment on …". */
export function captionSnippet(caption: string | null, max = 60): string {
  if (!caption) return 'your post'
  // By code point: an emoji must not be cut in half.
  const characters = Array.from(caption.replace(/\s+/g, ' ').trim())
  return characters.length > max ? `${characters.slice(0, max - 1).join('')}…` : characters.join('')
}

/** Where a comment's private reply stands, as a short phrase for rows and the detail view. */
export function privateReplyText(state: PrivateReplyState, now: number): string {
  switch (state.state) {
    case 'available':
      return `Private reply ${privateReplyTimeLeft(Date.parse(state.closesAt), now).replace(/^Possible/, 'possible')}`
    case 'too_old':
      return 'Too old for a private reply'
    case 'used':
      return 'Replied privately'
    case 'queued':
      return 'Private reply waiting to send'
    case 'sending':
      return 'Sending private reply…'
    case 'failed':
      return 'Private reply not sent'
    case 'not_possible':
      return 'No private reply possible'
  }
}

const ACTION_WORDS: Record<PendingCommentAction['kind'], { doing: string; failed: string }> = {
  public_reply: { doing: 'Sending your reply…', failed: 'Your reply was not sent' },
  hide: { doing: 'Hiding…', failed: 'Not hidden' },
  unhide: { doing: 'Unhiding…', failed: 'Not unhidden' },
  like: { doing: 'Liking…', failed: 'Not liked' },
  unlike: { doing: 'Removing your like…', failed: 'Your like was not removed' }
}

/** "Hiding…" while an action waits or goes out; what did not happen (and why) once it was refused. */
export function pendingActionText(action: PendingCommentAction): string {
  const words = ACTION_WORDS[action.kind]
  if (action.state === 'failed') return action.error ? `${words.failed}: ${action.error}` : `${words.failed}.`
  return action.state === 'queued' ? `${words.doing.replace(/…$/, '')} (waiting to send)` : words.doing
}

/** What a row says about a comment besides its text, for its accessible name. */
export function commentFacts(comment: CommentItem): string[] {
  const facts: string[] = []
  if (comment.unread) facts.push('new')
  if (comment.isHidden) facts.push('hidden')
  if (comment.likeCount > 0) facts.push(`${comment.likeCount} like${comment.likeCount === 1 ? '' : 's'}`)
  if (comment.likedByYou) facts.push('liked by you')
  return facts
}

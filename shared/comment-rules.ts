// What Instagram allows on comments (POSTPROXY.md §5, §9), read by the core before anything is queued and by
// the renderer to say what is still possible: a private reply within 7 days of the comment, once per comment;
// a public reply of at most 2,200 characters. Pure, so both sides word the same rule the same way.
import { describeDuration } from './durations.ts'
import { PRIVATE_REPLY_WINDOW_MS } from './messaging-window.ts'

/** Instagram's limit on a comment's text. */
export const COMMENT_TEXT_MAX = 2200

/** The networks whose posts Postproxy reads comments from (and where a private reply works). */
export const COMMENT_PLATFORMS: readonly string[] = ['instagram', 'facebook']

export type PrivateReplyWindow = { open: true; closesAt: number } | { open: false; closedAt: number }

function toMs(timestamp: string | number): number {
  return typeof timestamp === 'number' ? timestamp : Date.parse(timestamp)
}

/** Whether a private reply to a comment posted at `postedAt` is still allowed at `now`, and until when. */
export function privateReplyWindow(postedAt: string | number, now: number): PrivateReplyWindow {
  const closesAt = toMs(postedAt) + PRIVATE_REPLY_WINDOW_MS
  return now < closesAt ? { open: true, closesAt } : { open: false, closedAt: closesAt }
}

/** "Possible for 3 more days", "Possible for 5 more hours". */
export function privateReplyTimeLeft(closesAt: number, now: number): string {
  return `Possible for ${describeDuration(closesAt - now).replace(/^(\d+) /, '$1 more ')}`
}

/** Why a private reply to this comment is refused now: it is older than 7 days. */
export function privateReplyTooOldText(postedAt: string | number, now: number): string {
  return `This comment is ${describeDuration(now - toMs(postedAt))} old. Instagram allows a private reply only within 7 days of a comment.`
}

export const PRIVATE_REPLY_USED_TEXT = 'This comment already has a private reply. Instagram allows one private reply per comment.'

export type CommentTextCheck = { ok: true } | { ok: false; message: string }

/** A public reply: not blank, at most 2,200 characters (counted as a person counts them). */
export function checkCommentText(text: string): CommentTextCheck {
  if (text.trim() === '') return { ok: false, message: 'Type a reply first.' }
  const length = Array.from(text).length
  if (length > COMMENT_TEXT_MAX) {
    return { ok: false, message: `Instagram allows at most ${COMMENT_TEXT_MAX.toLocaleString('en')} characters in a comment; this reply has ${length.toLocaleString('en')}. Shorten it.` }
  }
  return { ok: true }
}

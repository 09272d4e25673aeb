// What Instagram and Facebook allow on comments (POSTPROXY.md §5, §9), read by the core before anything is
// queued and by the renderer to say what is still possible: a private reply within 7 days of the comment,
// once per comment; a public reply of at most 2,200 characters on Instagram, 8,000 on Facebook. Pure, so
// both sides (and the simulator) word the same rule the same way, naming the comment's network.
import { describeDuration } from './durations.ts'
import { PRIVATE_REPLY_WINDOW_MS } from './messaging-window.ts'
import { INSTAGRAM, MESSENGER, networkName } from './platforms.ts'

/** Instagram's limit on a comment's text. */
export const COMMENT_TEXT_MAX = 2200
/** Facebook's limit on a comment's text (an assumption: Meta's Help Center, not Postproxy's docs). */
export const FACEBOOK_COMMENT_TEXT_MAX = 8000

/** The longest comment the network takes; Instagram's where the platform is not known. */
export function commentTextMax(platform: string | null): number {
  return platform === MESSENGER ? FACEBOOK_COMMENT_TEXT_MAX : COMMENT_TEXT_MAX
}

/** The network a comment is on, for a sentence: Instagram's name where the platform is not known. */
function commentNetwork(platform: string | null): string {
  return networkName(platform ?? INSTAGRAM)
}

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

/** Why a private reply to this comment (on `platform`) is refused now: it is older than 7 days. */
export function privateReplyTooOldText(postedAt: string | number, now: number, platform: string | null): string {
  return `This comment is ${describeDuration(now - toMs(postedAt))} old. ${commentNetwork(platform)} allows a private reply only within 7 days of a comment.`
}

export function privateReplyUsedText(platform: string | null): string {
  return `This comment already has a private reply. ${commentNetwork(platform)} allows one private reply per comment.`
}

/** Why the business can't hide its own comment there (it can delete it on the network instead). */
export function ownCommentHideText(platform: string | null): string {
  const where = commentNetwork(platform)
  return `${where} doesn't let you hide your own comments. Delete it on ${where} instead.`
}

export type CommentTextCheck = { ok: true } | { ok: false; message: string }

/** A public reply on `platform`'s post: not blank, at most its network's limit (counted as a person counts characters). */
export function checkCommentText(text: string, platform: string | null): CommentTextCheck {
  if (text.trim() === '') return { ok: false, message: 'Type a reply first.' }
  const length = Array.from(text).length
  const max = commentTextMax(platform)
  if (length > max) {
    return { ok: false, message: `${commentNetwork(platform)} allows at most ${max.toLocaleString('en')} characters in a comment; this reply has ${length.toLocaleString('en')}. Shorten it.` }
  }
  return { ok: true }
}

/** Why this is not an Instagram-scoped ID, in the creator's words; null when it is one. */
export function instagramScopedIdProblem(value: string): string | null {
  if (value === '') return 'Enter their Instagram-scoped ID.'
  if (value.length > 100) return 'An Instagram-scoped ID is at most 100 characters.'
  // Digits for real accounts; letters, `_`, `-` and `.` are accepted too (test and simulator ids).
  if (!/^[A-Za-z0-9_.-]+$/.test(value)) return 'An Instagram-scoped ID has only letters, digits, "_", "-" and "."; it is not a @username.'
  return null
}

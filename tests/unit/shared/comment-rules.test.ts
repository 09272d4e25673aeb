// Instagram's rules on comments, shared by the core (refusals before anything is queued) and the renderer.
import { describe, expect, it } from 'vitest'
import { checkCommentText, ownCommentHideText, privateReplyTimeLeft, privateReplyTooOldText, privateReplyUsedText, privateReplyWindow } from '../../../shared/comment-rules.ts'
import { explainSendFailure } from '../../../electron/inbox/views.ts'
import { OUTSIDE_WINDOW_ERROR } from '../../../shared/messaging-window.ts'

const DAY = 24 * 3600_000
const posted = Date.parse('2026-06-01T10:00:00.000Z')

describe('private reply window', () => {
  it('is open for 7 days after the comment, to the millisecond', () => {
    expect(privateReplyWindow(posted, posted + 7 * DAY - 1)).toEqual({ open: true, closesAt: posted + 7 * DAY })
    expect(privateReplyWindow(new Date(posted).toISOString(), posted + 7 * DAY)).toEqual({ open: false, closedAt: posted + 7 * DAY })
  })

  it('is said in plain words', () => {
    expect(privateReplyTimeLeft(posted + 7 * DAY, posted + 2 * DAY)).toBe('Possible for 5 more days')
    expect(privateReplyTooOldText(posted, posted + 9 * DAY + 3600_000, 'instagram')).toBe('This comment is 9 days old. Instagram allows a private reply only within 7 days of a comment.')
  })
})

describe('public reply text', () => {
  it('refuses blank and over-long replies, counting characters as people do', () => {
    expect(checkCommentText('  ', 'instagram')).toEqual({ ok: false, message: 'Type a reply first.' })
    expect(checkCommentText('🌱'.repeat(2200), 'instagram')).toEqual({ ok: true })
    expect(checkCommentText('x'.repeat(2201), 'instagram')).toEqual({ ok: false, message: 'Instagram allows at most 2,200 characters in a comment; this reply has 2,201. Shorten it.' })
  })
})

describe('comment rules on Facebook', () => {
  it('names Facebook (where the Page’s posts are) and takes its 8,000 characters', () => {
    const posted = Date.parse('2026-05-01T10:00:00.000Z')
    expect(privateReplyTooOldText(posted, posted + 9 * DAY + 3600_000, 'facebook')).toBe('This comment is 9 days old. Facebook allows a private reply only within 7 days of a comment.')
    expect(privateReplyUsedText('facebook')).toBe('This comment already has a private reply. Facebook allows one private reply per comment.')
    expect(privateReplyUsedText('instagram')).toBe('This comment already has a private reply. Instagram allows one private reply per comment.')
    expect(checkCommentText('x'.repeat(2201), 'facebook')).toEqual({ ok: true })
    expect(checkCommentText('x'.repeat(8001), 'facebook')).toEqual({ ok: false, message: 'Facebook allows at most 8,000 characters in a comment; this reply has 8,001. Shorten it.' })
    expect(ownCommentHideText('facebook')).toBe("Facebook doesn't let you hide your own comments. Delete it on Facebook instead.")
    expect(ownCommentHideText(null)).toBe("Instagram doesn't let you hide your own comments. Delete it on Instagram instead.")
  })
})

describe('a send refused for the window', () => {
  it('offers a private reply only when one of their comments can still take one', () => {
    expect(explainSendFailure(OUTSIDE_WINDOW_ERROR, 'instagram', () => 1)).toMatch(/or a private reply to their recent comment can still reach them\.$/)
    const without = explainSendFailure(OUTSIDE_WINDOW_ERROR, 'instagram', () => 0)
    expect(without).not.toMatch(/private reply/)
    expect(without).toMatch(/^Instagram refused this message because the 24-hour messaging window had closed\./)
  })

  it('names Facebook Messenger on a Messenger chat, whatever Meta said', () => {
    expect(explainSendFailure(OUTSIDE_WINDOW_ERROR, 'facebook', () => 0)).toMatch(/^Facebook Messenger refused this message because the 24-hour messaging window had closed\./)
    expect(explainSendFailure(null, 'facebook')).toBe("Facebook Messenger didn't deliver this message.")
    expect(explainSendFailure('(#100) Invalid attachment', 'facebook')).toBe("Facebook Messenger didn't deliver this message: Invalid attachment")
    expect(explainSendFailure('(#100) Invalid attachment', 'instagram')).toBe("Instagram didn't deliver this message: Invalid attachment")
  })
})

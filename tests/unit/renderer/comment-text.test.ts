// Comments in words: the days left for a private reply, why not, actions on their way or refused.
import { describe, expect, it } from 'vitest'
import type { CommentItem } from '../../../shared/inbox-api.ts'
import { loadCommentText } from './renderer-modules.ts'

const { authorHandle, captionSnippet, commentFacts, pendingActionText, privateReplyText } = await loadCommentText()

const DAY = 24 * 3600_000
const now = Date.parse('2026-06-10T12:00:00.000Z')

describe('comment wording', () => {
  it('counts the days a private reply is still possible, and says when it is not', () => {
    expect(privateReplyText({ state: 'available', closesAt: new Date(now + 3 * DAY + 3600_000).toISOString() }, now)).toBe('Private reply possible for 3 more days')
    expect(privateReplyText({ state: 'available', closesAt: new Date(now + 5 * 3600_000).toISOString() }, now)).toBe('Private reply possible for 5 more hours')
    expect(privateReplyText({ state: 'too_old', reason: 'old' }, now)).toBe('Too old for a private reply')
    expect(privateReplyText({ state: 'used', chatId: 'c', messageId: 'm' }, now)).toBe('Replied privately')
    expect(privateReplyText({ state: 'queued', localId: 'l' }, now)).toBe('Private reply waiting to send')
  })

  it('names the author by handle, and cuts a caption without splitting an emoji', () => {
    expect(authorHandle({ externalId: '1', username: 'jane', name: 'Jane', avatarUrl: null })).toBe('@jane')
    expect(authorHandle({ externalId: '1', username: null, name: null, avatarUrl: null }, 'instagram')).toBe('Instagram user')
    expect(authorHandle({ externalId: '2718281828459045', username: null, name: null, avatarUrl: null }, 'facebook')).toBe('Facebook user')
    expect(authorHandle({ externalId: '2718281828459045', username: null, name: 'Ana Souza', avatarUrl: null }, 'facebook')).toBe('Ana Souza')
    expect(captionSnippet('Spring 🌱🌱🌱 drop', 9)).toBe('Spring 🌱…')
    expect(captionSnippet(null)).toBe('your post')
  })

  it('says what an action is doing, and what did not happen and why', () => {
    expect(pendingActionText({ localId: 'l', kind: 'hide', state: 'sending', text: null, error: null, retryable: false })).toBe('Hiding…')
    expect(pendingActionText({ localId: 'l', kind: 'like', state: 'queued', text: null, error: null, retryable: false })).toBe('Liking (waiting to send)')
    expect(pendingActionText({ localId: 'l', kind: 'public_reply', state: 'failed', text: 'hi', error: 'Instagram says: no.', retryable: true })).toBe(
      'Your reply was not sent: Instagram says: no.'
    )
  })

  it('lists a row’s facts for its accessible name', () => {
    const comment = { unread: true, isHidden: true, likeCount: 1, likedByYou: true } as CommentItem
    expect(commentFacts(comment)).toEqual(['new', 'hidden', '1 like', 'liked by you'])
  })
})

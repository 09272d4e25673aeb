// The words and shapes of interactive DMs in the renderer: taps, referrals, quotes, which message an
// action is for, the composer's draft parts as sendText takes them, and which message R and L act on.
import { describe, expect, it } from 'vitest'
import { checkInteractiveSend } from '../../../shared/interactive-rules.ts'
import type { ThreadMessage } from '../../../shared/inbox-api.ts'
import { loadInteractiveDraft, loadInteractiveText, loadMessageShortcuts } from './interactive-modules.ts'

const text = await loadInteractiveText()
const draft = await loadInteractiveDraft()
const shortcuts = await loadMessageShortcuts()

function message(id: string, fields: Partial<ThreadMessage> = {}): ThreadMessage {
  return {
    id, localId: null, chatId: 'c', direction: 'inbound', body: `text of ${id}`, status: 'received', error: null, retryable: false,
    attachments: [], lovedByYou: false, participantReactions: [], storyReply: null, isStoryMention: false, isDeleted: false,
    isUnsupported: false, externalId: `mid.${id}`, editedAt: null, replyTo: null, quickReplies: null, buttons: null, card: null,
    tappedAction: null, privateReplyTo: null, at: '2026-05-31T14:02:00.000Z', cursor: id, ...fields
  }
}

describe('interactive text', () => {
  it('names a tap by what was tapped', () => {
    expect(text.tapText({ kind: 'quick_reply', payload: 'TRACK', title: 'Track order' })).toBe('Tapped «Track order»')
    expect(text.tapText({ kind: 'postback', payload: 'GET_STARTED', title: null })).toBe('Tapped «GET_STARTED»')
  })

  it('says where a referral came from', () => {
    expect(text.referralText({ ref: 'spring-drop', source: 'ADS', type: 'OPEN_THREAD' })).toBe('from ad spring-drop')
    expect(text.referralText({ ref: 'spring_drop', source: 'SHORTLINK', type: 'OPEN_THREAD' })).toBe('from link spring_drop')
    expect(text.referralText({ ref: null, source: 'ADS', type: null })).toBe('from ADS')
  })

  it('names the quoted author and an unavailable original', () => {
    const quote = { externalId: 'mid.1', state: 'loaded', messageId: 'm1', direction: 'outbound', preview: 'Hi' } as const
    expect(text.quoteAuthor(quote, '@jane')).toBe('You')
    expect(text.quoteAuthor({ ...quote, direction: 'inbound' }, '@jane')).toBe('@jane')
    expect(text.quoteUnavailableText({ ...quote, state: 'removed' })).toBe('Original message removed')
    expect(text.quoteUnavailableText({ ...quote, state: 'not_loaded' })).toBe('Original message not loaded')
  })

  it('names which message an action is for, by its first words or its kind and time', () => {
    expect(text.messageTarget(message('a', { body: 'Do you ship internationally or only in the US?' }))).toBe('“Do you ship…”')
    const photo = message('b', { body: null, attachments: [{ id: 'x', type: 'image', url: null, mime: null, cached: false }] })
    expect(text.messageTarget(photo)).toMatch(/^the photo from \d{1,2}:\d{2}/)
  })
})

describe('the composer draft parts', () => {
  it('derives payloads left empty, keeps given ones, and sends only what is there', () => {
    const parts = draft.emptyParts()
    expect(draft.hasParts(parts)).toBe(false)
    expect(draft.toSendParts(parts)).toEqual({ quickReplies: null, buttons: null, card: null })
    parts.quickReplies.push({ title: 'Saturday 10am', payload: '' }, { title: 'Sunday', payload: 'SUN' })
    expect(draft.toSendParts(parts).quickReplies).toEqual([
      { title: 'Saturday 10am', payload: 'SATURDAY_10AM' },
      { title: 'Sunday', payload: 'SUN' }
    ])
    expect(draft.derivePayload('Café – déjà vu!')).toBe('CAFE_DEJA_VU')
  })

  it('turns buttons and the card into the wire shape the rules accept', () => {
    const parts = draft.emptyParts()
    parts.buttons.push({ type: 'web_url', title: 'Details', value: ' https://example.com/w ' }, { type: 'postback', title: 'Book me', value: '' })
    parts.card = { subtitle: 'Saturday 10am', link: 'https://example.com/w' }
    const sent = draft.toSendParts(parts)
    expect(sent).toEqual({
      quickReplies: null,
      buttons: [{ type: 'web_url', title: 'Details', url: 'https://example.com/w' }, { type: 'postback', title: 'Book me', payload: 'BOOK_ME' }],
      card: { subtitle: 'Saturday 10am', default_action: { type: 'web_url', url: 'https://example.com/w' } }
    })
    expect(checkInteractiveSend({ platform: 'instagram', body: 'Booked', hasMedia: false, ...sent }).ok).toBe(true)
  })

  it("takes a saved reply's quick replies or buttons as the message's own, and sends them back unchanged", () => {
    const quickReplies = [{ content_type: 'text', title: 'Small', payload: 'SIZE_S' }, { title: 'Large', payload: 'SIZE_L' }]
    const chips = draft.draftPartsOf({ quickReplies, buttons: null })
    expect(chips).toEqual({ quickReplies: [{ title: 'Small', payload: 'SIZE_S' }, { title: 'Large', payload: 'SIZE_L' }], buttons: [], card: { subtitle: '', link: '' } })
    expect(draft.toSendParts(chips)).toEqual({ quickReplies: [{ title: 'Small', payload: 'SIZE_S' }, { title: 'Large', payload: 'SIZE_L' }], buttons: null, card: null })

    const buttons = [{ type: 'web_url', title: 'Book', url: 'https://example.com/book' }, { type: 'postback', title: 'Call me', payload: 'CALL' }]
    const card = draft.draftPartsOf({ quickReplies: null, buttons })
    expect(card.buttons).toEqual([{ type: 'web_url', title: 'Book', value: 'https://example.com/book' }, { type: 'postback', title: 'Call me', value: 'CALL' }])
    expect(draft.toSendParts(card)).toEqual({ quickReplies: null, buttons, card: null })
  })
})

describe('which message R and L act on', () => {
  const thread = [message('1'), message('2', { direction: 'outbound' }), message('3'), message('4', { direction: 'outbound', externalId: null })]
  const rowOf = (id: string) => ({ closest: () => ({ dataset: { messageRow: id } }) })

  it('the focused message, else their newest one', () => {
    expect(shortcuts.messageToReplyTo(thread, rowOf('2'))?.id).toBe('2')
    expect(shortcuts.messageToReplyTo(thread, null)?.id).toBe('3')
    expect(shortcuts.messageToLove(thread, null)?.id).toBe('3')
    expect(shortcuts.messageToLove(thread, rowOf('1'))?.id).toBe('1')
    expect(shortcuts.messageToLove(thread, rowOf('2'))).toBeNull() // the creator's own message
    expect(shortcuts.messageToReplyTo([message('9', { isDeleted: true })], null)).toBeNull()
  })
})

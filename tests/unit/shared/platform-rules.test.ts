// The rules that differ per platform (Instagram vs Facebook Messenger): text and media limits, and what
// the business may react with. Instagram's answers are exactly what they were before the platform was
// a parameter (rules.test.ts keeps testing the defaults); every sentence names the platform.
import { describe, expect, it } from 'vitest'
import {
  checkMedia,
  checkMessageText,
  describeAllowedMedia,
  MAX_MEDIA_BYTES,
  MEDIA_RULES,
  mediaRuleFor,
  mediaRulesFor,
  MESSENGER_TEXT_MAX_CHARACTERS,
  sniffMediaType,
  TEXT_MAX_BYTES
} from '../../../shared/media-rules.ts'
import { platformName } from '../../../shared/platforms.ts'
import { checkBusinessReaction, isSingleEmoji, MESSENGER_REACTION_EMOJI, reactionNameForEmoji } from '../../../shared/reaction-rules.ts'

const MB = 1024 * 1024

describe('platformName', () => {
  it('names the DM platforms as a person does, anything else by its id', () => {
    expect(platformName('instagram')).toBe('Instagram')
    expect(platformName('facebook')).toBe('Facebook Messenger')
    expect(platformName('tiktok')).toBe('tiktok')
  })
})

describe('message text per platform', () => {
  it('Instagram (the default) counts UTF-8 bytes; Messenger counts characters up to 2000', () => {
    const accented = 'é'.repeat(600) // 600 characters, 1200 bytes
    expect(checkMessageText(accented).ok).toBe(false)
    expect(checkMessageText(accented, 'instagram')).toEqual(checkMessageText(accented))
    expect(checkMessageText(accented, 'facebook')).toEqual({ ok: true })
    expect(checkMessageText('a'.repeat(MESSENGER_TEXT_MAX_CHARACTERS), 'facebook')).toEqual({ ok: true })
    expect(checkMessageText('❤'.repeat(MESSENGER_TEXT_MAX_CHARACTERS + 1), 'facebook')).toEqual({
      ok: false,
      message: 'Messages can be at most 2000 characters on Facebook Messenger; this one is 2001 characters. Shorten it or split it into two messages.'
    })
    expect(checkMessageText('  ', 'facebook').ok).toBe(false)
  })

  it('keeps Instagram’s sentence, naming Instagram', () => {
    const result = checkMessageText('a'.repeat(TEXT_MAX_BYTES + 1), 'instagram')
    expect(!result.ok && result.message).toBe(
      `Messages can be at most ${TEXT_MAX_BYTES} bytes on Instagram; this one is ${TEXT_MAX_BYTES + 1} bytes. Shorten it or split it into two messages.`
    )
  })
})

describe('media per platform', () => {
  it('Instagram’s rules are the default and unchanged', () => {
    expect(mediaRulesFor()).toBe(MEDIA_RULES)
    expect(mediaRulesFor('instagram')).toBe(MEDIA_RULES)
    expect(checkMedia('image/png', 9 * MB, 'instagram')).toEqual(checkMedia('image/png', 9 * MB))
    expect(describeAllowedMedia('instagram')).toBe(describeAllowedMedia())
    expect(MAX_MEDIA_BYTES).toBe(25 * MB)
  })

  it('Messenger sends any other file as a file, up to 25 MB; Instagram refuses it naming Instagram', () => {
    expect(checkMedia(null, 1000, 'facebook')).toEqual({ ok: true, kind: 'file', mime: 'application/octet-stream' })
    expect(checkMedia('application/zip', 25 * MB, 'facebook')).toEqual({ ok: true, kind: 'file', mime: 'application/zip' })
    expect(checkMedia(null, 25 * MB + 1, 'facebook')).toEqual({ ok: false, message: 'Files can be at most 25 MB on Facebook Messenger; this one is 25.1 MB.' })
    const instagram = checkMedia(null, 1000, 'instagram')
    expect(!instagram.ok && instagram.message).toMatch(/^This file type can't be sent on Instagram\. You can send images/)
  })

  it('Messenger takes MP3 audio; Instagram does not', () => {
    expect(checkMedia('audio/mpeg', 3 * MB, 'facebook')).toEqual({ ok: true, kind: 'audio', mime: 'audio/mpeg' })
    expect(mediaRuleFor('audio/mpeg', 'facebook')?.kind).toBe('audio')
    expect(mediaRuleFor('audio/mpeg')).toBeUndefined()
    const instagram = checkMedia('audio/mpeg', 3 * MB)
    expect(!instagram.ok && instagram.message).toMatch(/^This file type \(audio\/mpeg\) can't be sent on Instagram\./)
  })

  it('names Messenger in the limits it shares with Instagram (images 8 MB, videos 25 MB)', () => {
    expect(checkMedia('image/jpeg', 9 * MB, 'facebook')).toEqual({ ok: false, message: 'Images can be at most 8 MB on Facebook Messenger; this one is 9 MB.' })
    expect(checkMedia('video/mp4', 25 * MB, 'facebook')).toEqual({ ok: true, kind: 'video', mime: 'video/mp4' })
    expect(describeAllowedMedia('facebook')).toBe(
      'images (PNG, JPEG, GIF, up to 8 MB); videos (MP4, OGG, AVI, MOV, WebM, up to 25 MB); audio files (AAC, M4A, WAV, MP3, up to 25 MB); files (any type, up to 25 MB)'
    )
  })

  it('a platform without rules of its own gets Instagram’s, as before', () => {
    expect(mediaRulesFor('telegram')).toBe(MEDIA_RULES)
    const telegram = checkMedia('image/png', 9 * MB, 'telegram')
    expect(!telegram.ok && telegram.message).toBe('Images can be at most 8 MB on Instagram; this one is 9 MB.')
  })

  it('sniffs MP3 by its ID3 tag or an MPEG layer III frame, not AAC’s or JPEG’s', () => {
    const bytes = (...parts: (string | number)[]) =>
      new Uint8Array(parts.flatMap((part) => (typeof part === 'string' ? [...part].map((c) => c.charCodeAt(0)) : [part])))
    expect(sniffMediaType(bytes('ID3', 4, 0, 0))).toBe('audio/mpeg')
    expect(sniffMediaType(bytes(0xff, 0xfb, 0x90, 0x64))).toBe('audio/mpeg')
    expect(sniffMediaType(bytes(0xff, 0xf1, 0x50, 0x80))).toBe('audio/aac')
    expect(sniffMediaType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg')
  })
})

describe('the business’s reaction', () => {
  it('on Instagram only love (the default), as ❤️', () => {
    expect(checkBusinessReaction({ platform: 'instagram' })).toEqual({ ok: true, value: { reaction: 'love', emoji: '❤️' } })
    expect(checkBusinessReaction({ platform: 'instagram', reaction: 'like' })).toEqual({
      ok: false,
      errors: ['Reaction must be "love" on Instagram, the only reaction it supports; "like" is not.']
    })
    expect(checkBusinessReaction({ platform: 'instagram', reaction: '' })).toEqual({ ok: false, errors: ['Reaction must be text, such as "love".'] })
  })

  it('on Messenger a named reaction, translated to its emoji, or any single emoji, which wins', () => {
    for (const [name, emoji] of Object.entries(MESSENGER_REACTION_EMOJI)) {
      expect(checkBusinessReaction({ platform: 'facebook', reaction: name })).toEqual({ ok: true, value: { reaction: name, emoji } })
    }
    expect(checkBusinessReaction({ platform: 'facebook' })).toEqual({ ok: true, value: { reaction: 'love', emoji: '❤️' } })
    expect(checkBusinessReaction({ platform: 'facebook', reaction: 'love', emoji: '👍' })).toEqual({ ok: true, value: { reaction: 'like', emoji: '👍' } })
    expect(checkBusinessReaction({ platform: 'facebook', emoji: '🎉' })).toEqual({ ok: true, value: { reaction: 'other', emoji: '🎉' } })
    expect(checkBusinessReaction({ platform: 'facebook', emoji: '👍🏽' })).toEqual({ ok: true, value: { reaction: 'other', emoji: '👍🏽' } })
  })

  it('on Messenger refuses an unknown name and anything but one emoji, naming Messenger', () => {
    expect(checkBusinessReaction({ platform: 'facebook', reaction: 'haha' })).toEqual({
      ok: false,
      errors: ['Reaction must be one of love, like, dislike, smile, wow, sad, angry on Facebook Messenger, or give any emoji in "emoji"; "haha" is not.']
    })
    expect(checkBusinessReaction({ platform: 'facebook', emoji: 'ok' })).toEqual({ ok: false, errors: ['Emoji must be one emoji, such as "👍", on Facebook Messenger.'] })
    expect(checkBusinessReaction({ platform: 'facebook', emoji: '👍👍' }).ok).toBe(false)
  })

  it('elsewhere is not possible, naming the platform', () => {
    expect(checkBusinessReaction({ platform: 'telegram', reaction: 'love' })).toEqual({
      ok: false,
      errors: ['Reacting to a message is possible on Instagram and Facebook Messenger only, not on Telegram.']
    })
  })

  it('names a participant’s emoji as Meta does on each platform', () => {
    expect(reactionNameForEmoji('❤️', 'instagram')).toBe('love')
    expect(reactionNameForEmoji('👍', 'instagram')).toBe('other')
    expect(reactionNameForEmoji('👍', 'facebook')).toBe('like')
    expect(reactionNameForEmoji('😮', 'facebook')).toBe('wow')
    expect(reactionNameForEmoji('🎉', 'facebook')).toBe('other')
  })

  it('knows one emoji from text', () => {
    for (const emoji of ['❤️', '👍', '👍🏽', '👩‍🍳', '🇸🇪', '😆']) expect(isSingleEmoji(emoji), emoji).toBe(true)
    for (const text of ['', 'ok', '👍👍', '👍 ', 'love']) expect(isSingleEmoji(text), text).toBe(false)
  })
})

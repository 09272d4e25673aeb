// Facebook Messenger's rules, over real HTTP, on the multi-profile world's Facebook Page: the same 24 h
// window and 7-day HUMAN_AGENT tag, PSIDs, Messenger's reactions (named or any emoji), its media and
// text limits where they differ from Instagram's, no Instagram participant signals, no ice breakers,
// story replies, story mentions or unsends, interactive messages as Messenger takes them, and errors
// that name the platform.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { OUTSIDE_WINDOW_ERROR } from '../../../shared/messaging-window.ts'
import { ChatSchema, MessageSchema, ProfileListSchema, ReactionEventDataSchema, type Message } from '../../../shared/postproxy.ts'
import { dataUri, expectValidationError, fixtures, parses, recordEmitted, SimClient, startTestSimulator, type TestSimulator } from './helpers.ts'

const HOUR_MS = 60 * 60 * 1000
const DAY_MS = 24 * HOUR_MS
const MB = 1024 * 1024
const PSID = '7123456789012345'

let t: TestSimulator
let pageId: string

async function pageOf(api: SimClient): Promise<string> {
  const { data } = parses(ProfileListSchema, (await api.get('/api/profiles')).body)
  return data.find((profile) => profile.platform === 'facebook')!.id
}

/** A Messenger chat in which the participant has just written. */
async function messengerChat(api = t.api, psid = PSID, extra: Record<string, unknown> = {}) {
  const injected = await api.post('/_sim/inbound', { profile_id: pageId, participant_external_id: psid, participant_name: 'Ann Lee', body: 'Hello!', ...extra })
  expect(injected.status).toBe(201)
  return injected.body as { chat: { id: string; external_conversation_id: string }; message: Message }
}

async function settle(messageId: string): Promise<Message> {
  t.sim.clock.advance(60_000)
  return parses(MessageSchema, (await t.api.get(`/api/messages/${messageId}`)).body)
}

beforeEach(async () => {
  t = await startTestSimulator({ multiProfile: true })
  pageId = await pageOf(t.api)
})
afterEach(async () => {
  await t.sim.close()
})

describe('participants on Messenger', () => {
  it('are known by their PSID and name: the chat has no username and Meta’s Instagram signals never appear', async () => {
    const { chat, message } = await messengerChat(t.api, PSID, {
      metadata: { is_verified_user: true, follower_count: 9000, is_user_follow_business: true, is_business_follow_user: true, tier: 'gold' }
    })
    const read = parses(ChatSchema, (await t.api.get(`/api/chats/${chat.id}`)).body)
    expect(read).toMatchObject({ platform: 'facebook', profile_id: pageId, participant_external_id: PSID, participant_username: null, participant_name: 'Ann Lee' })
    expect(read.metadata).toEqual({ tier: 'gold' })
    expect(message.external_id).toMatch(/^m_[0-9A-Za-z]{40}$/)
    expect((await t.api.get(`/api/chats/${read.external_conversation_id}`)).body.id).toBe(chat.id)
  })

  it('keep an m.me referral in the chat’s metadata, still without signals', async () => {
    const referred = await t.api.post('/_sim/referral', { profile_id: pageId, participant_external_id: PSID, ref: 'gift_guide', source: 'ADS' })
    expect(referred.status).toBe(200)
    await messengerChat()
    const chat = parses(ChatSchema, (await t.api.get(`/api/chats/${referred.body.id}`)).body)
    expect(chat.metadata?.referral).toMatchObject({ ref: 'gift_guide', source: 'ADS' })
    expect(chat.metadata?.follower_count).toBeUndefined()
  })

  it('send no story replies, story mentions or unsends: 422 naming Messenger', async () => {
    expectValidationError(
      await t.api.post('/_sim/inbound', { profile_id: pageId, participant_external_id: PSID, body: 'wow', story_reply: { id: 's1', url: 'https://cdn.example.com/s.jpg' } }),
      'Story replies and story mentions exist on Instagram only, not on Facebook Messenger.'
    )
    expectValidationError(
      await t.api.post('/_sim/inbound', { profile_id: pageId, participant_external_id: PSID, story_mention: { url: 'https://cdn.example.com/m.mp4' } }),
      'not on Facebook Messenger.'
    )
    const { message } = await messengerChat()
    expectValidationError(await t.api.post(`/_sim/messages/${message.id}/unsend`), 'Unsent messages are reported on Instagram only, not on Facebook Messenger.')
    const edited = await t.api.post(`/_sim/messages/${message.id}/edit`, { body: 'Hello again!' })
    expect(edited.status).toBe(200)
  })

  it('react with any emoji, named as Meta names it (like, wow, …, other)', async () => {
    const { chat } = await messengerChat()
    const sent = await t.api.post(`/api/chats/${chat.id}/messages`, { body: 'Hi Ann!' })
    await settle(sent.body.id)
    const emitted = recordEmitted(t.sim)
    for (const emoji of ['👍', '😮', '🎉']) await t.api.post(`/_sim/messages/${sent.body.id}/reaction`, { action: 'react', emoji })
    const names = emitted.map((event) => parses(ReactionEventDataSchema, event.data)).map((data) => [data.emoji, data.reaction])
    expect(names).toEqual([
      ['👍', 'like'],
      ['😮', 'wow'],
      ['🎉', 'other']
    ])
    const reactions = parses(MessageSchema, (await t.api.get(`/api/messages/${sent.body.id}`)).body).reactions
    expect(reactions).toEqual([expect.objectContaining({ sender_external_id: PSID, emoji: '🎉', reaction: 'other' })])
  })
})

describe('the messaging window on Messenger', () => {
  it('allows free-form sends within 24 h of the participant’s last message; later ones fail as Meta refuses them', async () => {
    const { chat } = await messengerChat()
    const inside = await t.api.post(`/api/chats/${chat.id}/messages`, { body: 'Right away' })
    expect(inside.status).toBe(202)
    expect(await settle(inside.body.id)).toMatchObject({ status: 'published' })
    t.sim.clock.advance(DAY_MS)
    const outside = await t.api.post(`/api/chats/${chat.id}/messages`, { body: 'A day later' })
    expect(outside.status).toBe(202)
    const failed = await settle(outside.body.id)
    expect(failed).toMatchObject({ status: 'failed', error_message: OUTSIDE_WINDOW_ERROR })
    expect(failed.error_details).toMatchObject({ platform_error_code: 10, platform_error_subcode: 2018278 })
  })

  it('allows a HUMAN_AGENT reply for 7 days, not after', async () => {
    const { chat } = await messengerChat()
    t.sim.clock.advance(6 * DAY_MS)
    const agent = await t.api.post(`/api/chats/${chat.id}/messages`, { body: 'Sorry for the wait', tag: 'HUMAN_AGENT' })
    expect(await settle(agent.body.id)).toMatchObject({ status: 'published', tag: 'HUMAN_AGENT' })
    t.sim.clock.advance(DAY_MS)
    const late = await t.api.post(`/api/chats/${chat.id}/messages`, { body: 'Still there?', tag: 'HUMAN_AGENT' })
    expect(await settle(late.body.id)).toMatchObject({ status: 'failed', error_message: OUTSIDE_WINDOW_ERROR })
  })

  it('in strict mode answers 422 at once, naming Facebook Messenger', async () => {
    const strict = await startTestSimulator({ multiProfile: true, strictWindow: true })
    try {
      const strictPage = await pageOf(strict.api)
      const created = await strict.api.post(`/api/profiles/${strictPage}/chats`, { participant_external_id: PSID })
      expectValidationError(
        await strict.api.post(`/api/chats/${created.body.id}/messages`, { body: 'Hello?' }),
        `${OUTSIDE_WINDOW_ERROR}: Facebook Messenger allows replies only within 24 hours of the participant's last message (7 days with the HUMAN_AGENT tag).`
      )
    } finally {
      await strict.sim.close()
    }
  })
})

describe('the business’s reactions on Messenger', () => {
  it('take Messenger’s named reactions as emoji, any emoji in "emoji", love by default; a second replaces the first', async () => {
    const { message } = await messengerChat()
    const react = async (body?: unknown) => parses(MessageSchema, (await t.api.post(`/api/messages/${message.id}/react`, body)).body)
    const page = parses(ProfileListSchema, (await t.api.get('/api/profiles')).body).data.find((profile) => profile.id === pageId)!
    expect((await react()).reactions).toEqual([expect.objectContaining({ sender_external_id: page.external_id, emoji: '❤️', reaction: 'love' })])
    expect((await react({ reaction: 'like' })).reactions).toEqual([expect.objectContaining({ emoji: '👍', reaction: 'like' })])
    expect((await react({ reaction: 'wow', emoji: '🎉' })).reactions).toEqual([expect.objectContaining({ emoji: '🎉', reaction: 'other' })])
    expect((await react({ emoji: '😢' })).reactions).toEqual([expect.objectContaining({ emoji: '😢', reaction: 'sad' })])
    const unreacted = await t.api.delete(`/api/messages/${message.id}/unreact`)
    expect(parses(MessageSchema, unreacted.body).reactions).toEqual([])
  })

  it('refuse an unknown name or something that is not one emoji, naming Messenger; Instagram keeps love only', async () => {
    const { message } = await messengerChat()
    expectValidationError(await t.api.post(`/api/messages/${message.id}/react`, { reaction: 'haha' }), /^Reaction must be one of love, like, dislike, smile, wow, sad, angry on Facebook Messenger/)
    expectValidationError(await t.api.post(`/api/messages/${message.id}/react`, { emoji: 'thumbs up' }), 'Emoji must be one emoji, such as "👍", on Facebook Messenger.')
    const instagram = await t.api.post('/_sim/inbound', { participant_external_id: 'igsid_1', body: 'Hi' })
    expectValidationError(
      await t.api.post(`/api/messages/${instagram.body.message.id}/react`, { reaction: 'like' }),
      'Reaction must be "love" on Instagram, the only reaction it supports; "like" is not.'
    )
  })

  it('are not possible on platforms without reactions, naming the platform', async () => {
    const telegram = t.sim.createAccount({ platform: 'telegram' })
    const api = new SimClient(t.sim.url, telegram.apiKey)
    const injected = await api.post('/_sim/inbound', { participant_external_id: '42', body: 'hi' })
    const sentence = 'Reacting to a message is possible on Instagram and Facebook Messenger only, not on Telegram.'
    expectValidationError(await api.post(`/api/messages/${injected.body.message.id}/react`, { reaction: 'love' }), sentence)
    expectValidationError(await api.delete(`/api/messages/${injected.body.message.id}/unreact`), sentence)
  })
})

describe('sending on Messenger', () => {
  it('counts text in characters up to 2000 (Instagram: 1000 bytes), naming the platform', async () => {
    const { chat } = await messengerChat()
    const accented = 'é'.repeat(1500)
    expect((await t.api.post(`/api/chats/${chat.id}/messages`, { body: accented })).status).toBe(202)
    expectValidationError(
      await t.api.post(`/api/chats/${chat.id}/messages`, { body: 'a'.repeat(2001) }),
      'Body is too long: Messages can be at most 2000 characters on Facebook Messenger; this one is 2001 characters.'
    )
    const instagram = await t.api.post('/_sim/inbound', { participant_external_id: 'igsid_1', body: 'Hi' })
    expectValidationError(await t.api.post(`/api/chats/${instagram.body.chat.id}/messages`, { body: accented }), 'bytes on Instagram')
  })

  it('sends any file as a file and MP3 audio (Instagram refuses both), within Messenger’s 25 MB', async () => {
    const { chat } = await messengerChat()
    const file = await t.api.post(`/api/chats/${chat.id}/messages`, { media: [dataUri('text/plain', fixtures.text(500))] })
    expect(file.status).toBe(202)
    expect(parses(MessageSchema, file.body).attachments).toEqual([expect.objectContaining({ type: 'file', status: 'processed' })])
    const served = await fetch(file.body.attachments[0].url)
    expect(served.headers.get('content-type')).toBe('application/octet-stream')
    const mp3 = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(400, 0x20)])
    const audio = await t.api.post(`/api/chats/${chat.id}/messages`, { media: [dataUri('audio/mpeg', mp3)] })
    expect(audio.status).toBe(202)
    expect(audio.body.attachments[0].type).toBe('audio')

    const instagram = await t.api.post('/_sim/inbound', { participant_external_id: 'igsid_1', body: 'Hi' })
    expectValidationError(await t.api.post(`/api/chats/${instagram.body.chat.id}/messages`, { media: [dataUri('audio/mpeg', mp3)] }), /^Media: This file type \(audio\/mpeg\) can't be sent on Instagram\./)
  })

  it('keeps Meta’s 8 MB for images, naming Messenger', async () => {
    const { chat } = await messengerChat()
    const big = fixtures.png(8 * MB + 1)
    const form = new FormData()
    form.append('media[]', new Blob([new Uint8Array(big)]), 'big.png')
    expectValidationError(
      await t.api.request('POST', `/api/chats/${chat.id}/messages`, { body: form }),
      'Media: Images can be at most 8 MB on Facebook Messenger; this one is 8.1 MB.'
    )
  })

  it('takes quick replies with media or with buttons (Instagram: plain text only)', async () => {
    const { chat } = await messengerChat()
    const quickReplies = [{ title: 'Yes', payload: 'YES' }]
    const withMedia = await t.api.post(`/api/chats/${chat.id}/messages`, { media: ['https://cdn.example.com/mug.jpg'], quick_replies: quickReplies })
    expect(withMedia.status).toBe(202)
    expect(withMedia.body.quick_replies).toEqual([{ content_type: 'text', title: 'Yes', payload: 'YES' }])
    const withButtons = await t.api.post(`/api/chats/${chat.id}/messages`, {
      body: 'Book?',
      quick_replies: quickReplies,
      buttons: [{ type: 'postback', title: 'Book', payload: 'BOOK' }]
    })
    expect(withButtons.status).toBe(202)
  })

  it('publishes with a Messenger message id and answers it quoted', async () => {
    const { chat, message } = await messengerChat()
    const reply = await t.api.post(`/api/chats/${chat.id}/messages`, { body: 'Quoting you', reply_to_external_id: message.external_id })
    expect(reply.status).toBe(202)
    const published = await settle(reply.body.id)
    expect(published.external_id).toMatch(/^m_/)
    expect(published.reply_to_external_id).toBe(message.external_id)
    expectValidationError(
      await t.api.post(`/api/chats/${chat.id}/messages`, { body: 'x', reply_to_external_id: 42 }),
      'reply_to_external_id must be the external_id (m_…) of a message in this chat.'
    )
  })
})

describe('what Messenger does not have', () => {
  it('has no ice breakers: every method answers 422 naming Facebook Messenger', async () => {
    const path = `/api/profiles/${pageId}/ice_breakers`
    const sentence = 'Managing ice breakers is possible on Instagram only, not on Facebook Messenger.'
    expectValidationError(await t.api.get(path), sentence)
    expectValidationError(await t.api.request('PUT', path, { json: { ice_breakers: [{ question: 'Hours?', payload: 'HOURS' }] } }), sentence)
    expectValidationError(await t.api.delete(path), sentence)
    expectValidationError(
      await t.api.post('/_sim/taps', { profile_id: pageId, participant_external_id: PSID, ice_breaker: 0 }),
      'Tapping an ice breaker is possible on Instagram only, not on Facebook Messenger.'
    )
  })
})

describe('comments and private replies on the Page', () => {
  it('reply privately by Messenger to a commenter (by PSID), once, with the Facebook comment id', async () => {
    const post = (await t.api.post('/_sim/posts', { profile_id: pageId, caption: 'Seconds sale' })).body
    const comment = (await t.api.post('/_sim/comments', { profile_id: pageId, post_id: post.id, participant_external_id: PSID, participant_name: 'Ann Lee', text: 'Blue ones?' })).body
    const path = `/api/posts/${post.id}/comments/${comment.external_id}/private_reply?profile_id=${pageId}`
    expectValidationError(await t.api.post(path, { text: 'x'.repeat(2001) }), 'Text is too long: Messages can be at most 2000 characters on Facebook Messenger')
    const sent = await t.api.post(path, { text: 'Two left, want one?' })
    expect(sent.status).toBe(202)
    expect(sent.body.external_comment_id).toBe(comment.external_id)
    const chat = parses(ChatSchema, (await t.api.get(`/api/chats/${sent.body.chat_id}`)).body)
    expect(chat).toMatchObject({ platform: 'facebook', participant_external_id: PSID })
    expectValidationError(await t.api.post(path, { text: 'Again' }), 'This comment already has a private reply; Facebook Messenger allows one per comment.')
    const old = (await t.api.post('/_sim/comments', { profile_id: pageId, post_id: post.id, participant_external_id: '7000000000000009', text: 'Hi', created_at: new Date(t.sim.clock.now() - 8 * DAY_MS).toISOString() })).body
    expectValidationError(await t.api.post(`/api/posts/${post.id}/comments/${old.id}/private_reply?profile_id=${pageId}`, { text: 'Late' }), 'only within 7 days')
  })

  it('answer in public up to Facebook’s 8,000 characters, naming Facebook', async () => {
    const post = (await t.api.post('/_sim/posts', { profile_id: pageId })).body
    expect((await t.api.post(`/api/posts/${post.id}/comments?profile_id=${pageId}`, { text: 'x'.repeat(3000) })).status).toBe(201)
    expectValidationError(
      await t.api.post(`/api/posts/${post.id}/comments?profile_id=${pageId}`, { text: 'x'.repeat(8001) }),
      'Text is too long: Facebook allows at most 8,000 characters in a comment (this one has 8,001).'
    )
  })
})

// The /_sim/ control API: participants' actions (inbound text, media, story reply, story mention,
// reactions, receipts, unsend, edit, referral, comments), the clock, reset, accounts and ground
// truth; each action's webhook event; and one inbound message delivered, signed, to a loopback receiver.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  ChatPageSchema,
  ChatSchema,
  MessagePageSchema,
  MessageSchema,
  ReactionEventDataSchema,
  ReferralEventDataSchema,
  WebhookEnvelopeSchema,
  WebhookSchema,
  envelopeMessage
} from '../../../shared/postproxy.ts'
import {
  chatWithInbound,
  dataUri,
  expectNotFound,
  expectValidationError,
  fixtures,
  parses,
  SimClient,
  startTestSimulator,
  TEST_PUBLISH_DELAY_MS,
  WebhookReceiver,
  type TestSimulator
} from './helpers.ts'

let t: TestSimulator
let events: { type: string; data: Record<string, unknown> }[]

beforeEach(async () => {
  t = await startTestSimulator()
  events = []
  const emit = t.sim.webhooks.emit.bind(t.sim.webhooks)
  t.sim.webhooks.emit = (account, type, data) => {
    events.push({ type, data: structuredClone(data) })
    emit(account, type, data)
  }
})
afterEach(async () => {
  await t.sim.close()
})

async function publishedOutbound(chatId: string) {
  const accepted = await t.api.post(`/api/chats/${chatId}/messages`, { body: 'our reply' })
  t.sim.clock.advance(TEST_PUBLISH_DELAY_MS)
  events.length = 0
  return parses(MessageSchema, (await t.api.get(`/api/messages/${accepted.body.id}`)).body)
}

describe('inbound injection', () => {
  it('creates the chat for a new participant, opens the window, and emits message.received', async () => {
    const response = await t.api.post('/_sim/inbound', {
      participant_external_id: 'igsid_jane',
      participant_username: 'jane_doe',
      participant_name: 'Jane Doe',
      metadata: { is_verified_user: true, follower_count: 48200 },
      body: 'Do you ship internationally?'
    })
    expect(response.status).toBe(201)
    const message = parses(MessageSchema, response.body.message)
    const chat = parses(ChatSchema, response.body.chat)
    expect(message).toMatchObject({ direction: 'inbound', status: 'received', body: 'Do you ship internationally?', chat_id: chat.id })
    expect(message.external_id).toMatch(/^mid\./)
    expect(chat).toMatchObject({ participant_username: 'jane_doe', participant_name: 'Jane Doe', last_inbound_at: message.external_posted_at })
    expect(chat.metadata).toMatchObject({ is_verified_user: true, follower_count: 48200, is_user_follow_business: false })
    expect(events).toEqual([{ type: 'message.received', data: { message: response.body.message } }])

    // The next message lands in the same chat and keeps the signals.
    const again = await t.api.post('/_sim/inbound', { participant_external_id: 'igsid_jane', body: 'Also, to Sweden?' })
    expect(again.body.chat.id).toBe(chat.id)
    expect(again.body.chat.metadata.follower_count).toBe(48200)
    expect((await t.api.get(`/api/profiles/${t.sim.profileId}/chats`)).body.total).toBe(1)
  })

  it('carries media: uploaded bytes are mirrored and served, URLs are kept', async () => {
    const png = fixtures.png(640)
    const uploaded = await t.api.post('/_sim/inbound', { participant_external_id: 'igsid_m', media: { data_uri: dataUri('image/png', png) } })
    const [attachment] = parses(MessageSchema, uploaded.body.message).attachments!
    expect(attachment).toMatchObject({ type: 'image', status: 'processed' })
    const served = await fetch(attachment.url!)
    expect(served.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true)

    const linked = await t.api.post('/_sim/inbound', {
      participant_external_id: 'igsid_m',
      body: 'look',
      media: { url: 'https://cdn.example.com/clip.mp4' }
    })
    expect(linked.body.message.attachments).toEqual([expect.objectContaining({ type: 'video', url: 'https://cdn.example.com/clip.mp4' })])
    expect(linked.body.message.body).toBe('look')
  })

  it('injects a story reply and a story mention (asset mirrored)', async () => {
    const reply = await t.api.post('/_sim/inbound', {
      participant_external_id: 'igsid_story',
      body: 'That glaze!!',
      story_reply: { id: 'story_123', url: 'https://cdn.example.com/story.jpg' }
    })
    expect(parses(MessageSchema, reply.body.message).platform_data).toEqual({ story_reply: { id: 'story_123', url: 'https://cdn.example.com/story.jpg' } })

    const asset = fixtures.mp4(2048)
    const mention = await t.api.post('/_sim/inbound', { participant_external_id: 'igsid_story', story_mention: { data_uri: dataUri('video/mp4', asset) } })
    const [attachment] = parses(MessageSchema, mention.body.message).attachments!
    expect(attachment.type).toBe('story_mention')
    expect(attachment.url).toMatch(new RegExp(`^${t.sim.url}/media/`))
    expect((await fetch(attachment.url!)).headers.get('content-type')).toBe('video/mp4')
  })

  it('refuses an injection with no content or no participant', async () => {
    expectValidationError(await t.api.post('/_sim/inbound', { participant_external_id: 'igsid_x' }), /needs a body/)
    expectValidationError(await t.api.post('/_sim/inbound', { body: 'hi' }), /Participant external id/)
    expectValidationError(await t.api.post('/_sim/inbound', { participant_external_id: 'x', media: { data_uri: 'data:,x' } }), /data_uri/)
    expectValidationError(await t.api.post('/_sim/inbound', { participant_external_id: 'x', media: { url: 'not a url' } }), /http\(s\) URL/)
    expectValidationError(await t.api.post('/_sim/inbound', { participant_external_id: 'x', media: ['a'] }), /must be an object/)
    expectNotFound(await t.api.post('/_sim/inbound', { participant_external_id: 'x', body: 'hi', profile_id: 'prof_nope' }))
  })
})

describe('participant actions', () => {
  it('user reaction and unreaction emit reaction.received with the message', async () => {
    const { message } = await chatWithInbound(t.api, 'igsid_r')
    events.length = 0
    const reacted = await t.api.post(`/_sim/messages/${message.id}/reaction`, { action: 'react' })
    expect(reacted.status).toBe(200)
    expect(parses(MessageSchema, reacted.body).reactions).toEqual([
      { sender_external_id: 'igsid_r', emoji: '❤️', reaction: 'love', at: expect.any(String) }
    ])
    const unreacted = await t.api.post(`/_sim/messages/${message.id}/reaction`, { action: 'unreact' })
    expect(unreacted.body.reactions).toEqual([])

    expect(events.map((event) => event.type)).toEqual(['reaction.received', 'reaction.received'])
    const [react, unreact] = events.map((event) => parses(ReactionEventDataSchema, event.data))
    expect(react).toMatchObject({ sender_external_id: 'igsid_r', action: 'react', reaction: 'love', emoji: '❤️' })
    expect(unreact).toMatchObject({ action: 'unreact', reaction: null })
    expect(parses(MessageSchema, events[0].data.message).id).toBe(message.id)
    expect(react.occurred_at).toBe(reacted.body.reactions[0].at)

    const other = await t.api.post(`/_sim/messages/${message.id}/reaction`, { action: 'react', emoji: '😂' })
    expect(other.body.reactions[0]).toMatchObject({ emoji: '😂', reaction: 'other' })
    expectValidationError(await t.api.post(`/_sim/messages/${message.id}/reaction`, { action: 'poke' }), /Action must be/)
  })

  it('delivery and read receipts set the timestamps and emit message.delivered / message.read', async () => {
    const { chat } = await chatWithInbound(t.api)
    const outbound = await publishedOutbound(chat.id)
    t.sim.clock.advance(1000)
    const delivered = parses(MessageSchema, (await t.api.post(`/_sim/messages/${outbound.id}/delivered`)).body)
    expect(delivered.external_delivered_at).toBeTruthy()
    expect(delivered.external_read_at).toBeNull()
    t.sim.clock.advance(1000)
    const read = parses(MessageSchema, (await t.api.post(`/_sim/messages/${outbound.external_id}/read`)).body)
    expect(Date.parse(read.external_read_at!)).toBeGreaterThan(Date.parse(read.external_delivered_at!))
    expect(read.external_delivered_at).toBe(delivered.external_delivered_at)
    expect(events.map((event) => event.type)).toEqual(['message.delivered', 'message.read'])
    expect((events[1].data.message as { external_read_at: string }).external_read_at).toBe(read.external_read_at)
  })

  it('refuses receipts for inbound or unpublished messages', async () => {
    const { chat, message } = await chatWithInbound(t.api)
    expectValidationError(await t.api.post(`/_sim/messages/${message.id}/read`), /Only published outbound messages/)
    const pending = await t.api.post(`/api/chats/${chat.id}/messages`, { body: 'pending' })
    expectValidationError(await t.api.post(`/_sim/messages/${pending.body.id}/delivered`), /pending/)
  })

  it('unsend sets external_deleted_at and emits message.deleted; edit sets the body and emits message.edited', async () => {
    const { chat, message } = await chatWithInbound(t.api, 'igsid_u', 'typo mesage')
    events.length = 0
    const edited = parses(MessageSchema, (await t.api.post(`/_sim/messages/${message.id}/edit`, { body: 'typo message' })).body)
    expect(edited).toMatchObject({ body: 'typo message', external_edited_at: expect.any(String) })
    const unsent = parses(MessageSchema, (await t.api.post(`/_sim/messages/${message.id}/unsend`)).body)
    expect(unsent.external_deleted_at).toBeTruthy()
    expect(events.map((event) => event.type)).toEqual(['message.edited', 'message.deleted'])
    expect((events[1].data.message as { external_deleted_at: string }).external_deleted_at).toBe(unsent.external_deleted_at)

    const outbound = await publishedOutbound(chat.id)
    expectValidationError(await t.api.post(`/_sim/messages/${outbound.id}/unsend`), /inbound/)
    expectValidationError(await t.api.post(`/_sim/messages/${message.id}/edit`, { body: '' }), "Body can't be blank")
    expectNotFound(await t.api.post('/_sim/messages/msg_nope/unsend'))
  })

  it('a referral updates the chat metadata and emits referral.received', async () => {
    const { chat } = await chatWithInbound(t.api, 'igsid_ref')
    events.length = 0
    const response = await t.api.post('/_sim/referral', { participant_external_id: 'igsid_ref', ref: 'spring-drop', source: 'ADS', type: 'OPEN_THREAD' })
    const updated = parses(ChatSchema, response.body)
    expect(updated.id).toBe(chat.id)
    expect(updated.metadata?.referral).toMatchObject({ ref: 'spring-drop', source: 'ADS', type: 'OPEN_THREAD' })
    expect(updated.metadata?.last_referral_at).toBe(updated.metadata?.referral?.received_at)
    expect(updated.metadata?.follower_count).toBe(0) // earlier signals kept
    expect(events.map((event) => event.type)).toEqual(['referral.received'])
    const data = parses(ReferralEventDataSchema, events[0].data)
    expect(data.chat?.id).toBe(chat.id)
    expect(data.referral?.ref).toBe('spring-drop')
    expect(parses(ChatSchema, (await t.api.get(`/api/chats/${chat.id}`)).body).metadata?.referral?.ref).toBe('spring-drop')
  })

  it('creates comments for private replies, validating them', async () => {
    const created = await t.api.post('/_sim/comments', { participant_external_id: 'igsid_c', text: 'Love it', post_id: 'post_1' })
    expect(created.body).toMatchObject({ post_id: 'post_1', profile_id: t.sim.profileId, participant_external_id: 'igsid_c', text: 'Love it' })
    expect(created.body.id).toMatch(/^cmt_/)
    expectValidationError(await t.api.post('/_sim/comments', { participant_external_id: 'igsid_c', text: '' }), "Text can't be blank")
    const state = (await t.api.get('/_sim/state')).body
    expect(state.comments).toEqual([expect.objectContaining({ id: created.body.id, reply_message_id: null })])
  })
})

describe('clock, reset, accounts, ground truth', () => {
  it('advances the simulated clock and settles what became due', async () => {
    const { chat } = await chatWithInbound(t.api)
    const before = (await t.api.get('/_sim/clock')).body
    const pending = await t.api.post(`/api/chats/${chat.id}/messages`, { body: 'tick' })
    const after = await t.api.post('/_sim/clock/advance', { ms: TEST_PUBLISH_DELAY_MS })
    expect(after.body.offset_ms).toBe(before.offset_ms + TEST_PUBLISH_DELAY_MS)
    expect(Date.parse(after.body.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(TEST_PUBLISH_DELAY_MS)
    expect((await t.api.get(`/api/messages/${pending.body.id}`)).body.status).toBe('published')
    expectValidationError(await t.api.post('/_sim/clock/advance', { ms: -5 }), /only moves forward/)
  })

  it('resets to a scenario, keeping the key and the profile id', async () => {
    await chatWithInbound(t.api)
    const reset = await t.api.post('/_sim/reset', { scenario: 'empty' })
    expect(reset.status).toBe(200)
    expect(reset.body.counts).toMatchObject({ chats: 0, messages: 0 })
    expect(reset.body.profiles.map((profile: { id: string }) => profile.id)).toEqual([t.sim.profileId])
    expect((await t.api.get(`/api/profiles/${t.sim.profileId}/chats`)).body.total).toBe(0)
    expectValidationError(await t.api.post('/_sim/reset', { scenario: 'chaos' }), /Scenario must be/)
  })

  it('loads a large scale scenario in bulk, with every lookup index in place afterwards', async () => {
    const reset = await t.api.post('/_sim/reset', { chats: 500, messages_per_chat: 100, seed: 5 })
    expect(reset.body.counts).toMatchObject({ chats: 500, messages: 50_000 })
    const indexes = t.sim.state.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages'")
      .all()
      .map((row) => (row as { name: string }).name)
    expect(indexes).toEqual(expect.arrayContaining(['messages_by_time', 'messages_by_external_id', 'messages_unsettled']))
    const [chat] = parses(ChatPageSchema, (await t.api.get(`/api/profiles/${t.sim.profileId}/chats?per_page=1`)).body).data
    const messages = parses(MessagePageSchema, (await t.api.get(`/api/chats/${chat.id}/messages`)).body)
    expect(messages.total).toBe(100)
    const withNativeId = messages.data.find((message) => message.external_id)!
    expect((await t.api.get(`/api/messages/${withNativeId.external_id}`)).body.id).toBe(withNativeId.id)
    expectValidationError(await t.api.post('/_sim/reset', { chats: 100_000, messages_per_chat: 100 }), /at most 2,000,000 messages/)
  })

  it('creates accounts with their own key', async () => {
    const created = await t.api.post('/_sim/accounts', {})
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ account: expect.stringMatching(/^acct_/), api_key: expect.any(String), profile_id: expect.stringMatching(/^prof_/) })
    const other = new SimClient(t.sim.url, created.body.api_key)
    expect((await other.get('/_sim/state')).body.account).toBe(created.body.account)
  })

  it('dumps the state and a chat’s ground truth', async () => {
    const { chat, message } = await chatWithInbound(t.api)
    const state = (await t.api.get('/_sim/state')).body
    expect(state).toMatchObject({ account: t.sim.account, counts: { profiles: 1, chats: 1, messages: 1 }, rate_limit: null })
    expect(state.chats.map((c: { id: string }) => c.id)).toEqual([chat.id])
    const truth = (await t.api.get(`/_sim/chats/${chat.id}`)).body
    expect(truth.chat.id).toBe(chat.id)
    expect(truth.messages.map((m: { id: string }) => m.id)).toEqual([message.id])
  })

  it('exposes the same operations programmatically (SimControl)', async () => {
    const message = t.sim.control.injectInbound(t.sim.account, t.sim.profileId, { participant_external_id: 'igsid_p', body: 'from a persona' })
    const [chat] = t.sim.control.listChats(t.sim.account, t.sim.profileId)
    expect(chat.id).toBe(message.chat_id)
    expect(t.sim.control.listMessages(t.sim.account, chat.id, 5).map((m) => m.id)).toEqual([message.id])
    expect(t.sim.control.userReaction(t.sim.account, message.id, 'react').reactions).toHaveLength(1)
    expect(() => t.sim.control.markRead(t.sim.account, message.id)).toThrow(/Only published outbound/)
  })
})

describe('webhook delivery end to end', () => {
  it('delivers an injected inbound message to a loopback receiver, signed as POSTPROXY.md §6 says', async () => {
    const receiver = new WebhookReceiver()
    await receiver.start()
    try {
      const created = await t.api.post('/api/webhooks', { url: receiver.url, events: ['message.received'], description: 'test receiver' })
      expect(created.status).toBe(201)
      const webhook = parses(WebhookSchema, created.body)
      expect(webhook.secret).toMatch(/^whsec_/)

      const injected = await t.api.post('/_sim/inbound', { participant_external_id: 'igsid_hook', body: 'ping' })
      await receiver.waitFor(1)
      const [delivery] = receiver.received
      expect(delivery.headers['content-type']).toBe('application/json')
      expect(delivery.headers['user-agent']).toBe('Postproxy-Webhooks/1.0')
      expect(delivery.headers['x-postproxy-event']).toBe('message.received')
      expect(delivery.headers['x-postproxy-delivery']).toBeTruthy()

      const signature = String(delivery.headers['x-postproxy-signature'])
      const parts = Object.fromEntries(signature.split(',').map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)]))
      expect(parts.v1).toMatch(/^[0-9a-f]{64}$/)
      const expected = createHmac('sha256', webhook.secret!).update(`${parts.t}.${delivery.rawBody}`).digest()
      expect(timingSafeEqual(expected, Buffer.from(parts.v1, 'hex'))).toBe(true)

      const envelope = parses(WebhookEnvelopeSchema, JSON.parse(delivery.rawBody))
      expect(envelope.type).toBe('message.received')
      expect(envelopeMessage(envelope)?.id).toBe(injected.body.message.id)
      expect(envelope.data.message).toEqual(envelope.data.object)

      // Only subscribed events travel: a reaction is not delivered to this webhook.
      await t.api.post(`/_sim/messages/${injected.body.message.id}/reaction`, { action: 'react' })
      await t.sim.webhooks.idle()
      expect(receiver.received).toHaveLength(1)
    } finally {
      await receiver.close()
    }
  })
})

// Taps (POSTPROXY.md §9) through the control API's POST /_sim/taps: a quick reply, a postback button
// or an ice breaker becomes an inbound message whose body is the title and whose tapped_action is
// {kind, payload, title}; message.received carries it; the messaging window opens. A web_url button
// sends nothing; quick replies are gone once answered; ice breakers are for a first conversation.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ChatSchema, MessageSchema, type Message } from '../../../shared/postproxy.ts'
import { HOUR_MS, isWithinWindow } from '../../../shared/messaging-window.ts'
import { chatWithInbound, expectNotFound, expectValidationError, parses, recordEmitted, SimClient, startTestSimulator, TEST_PUBLISH_DELAY_MS, type TestSimulator } from './helpers.ts'

let t: TestSimulator
let chatId: string
let emitted: { type: string; data: Record<string, unknown> }[]

beforeEach(async () => {
  t = await startTestSimulator()
  emitted = recordEmitted(t.sim)
  chatId = (await chatWithInbound(t.api, 'igsid_tapper')).chat.id
})
afterEach(async () => {
  await t.sim.close()
})

/** Sends, then lets it publish (a participant can only tap what reached them). */
async function published(json: Record<string, unknown>): Promise<Message> {
  const pending = parses(MessageSchema, (await t.api.post(`/api/chats/${chatId}/messages`, json)).body)
  t.sim.clock.advance(TEST_PUBLISH_DELAY_MS)
  return parses(MessageSchema, (await t.api.get(`/api/messages/${pending.id}`)).body)
}

const tap = (json: Record<string, unknown>) => t.api.post('/_sim/taps', json)

function tapped(response: { status: number; body: { message: unknown; chat: unknown } }) {
  expect(response.status).toBe(201)
  return { message: parses(MessageSchema, response.body.message), chat: parses(ChatSchema, response.body.chat) }
}

describe('tapping a quick reply', () => {
  it('is an inbound message with the title as body and tapped_action, on message.received, opening the window', async () => {
    const sent = await published({ body: 'Which session?', quick_replies: [{ title: 'Saturday', payload: 'SAT' }, { title: 'Sunday', payload: 'SUN' }] })
    t.sim.clock.advance(30 * HOUR_MS) // the window has closed meanwhile
    const before = parses(ChatSchema, (await t.api.get(`/api/chats/${chatId}`)).body)
    expect(isWithinWindow(before.last_inbound_at, t.sim.clock.now())).toBe(false)
    emitted.length = 0

    const { message, chat } = tapped(await tap({ message_id: sent.id, quick_reply: 1 }))
    expect(message).toMatchObject({
      chat_id: chatId,
      direction: 'inbound',
      status: 'received',
      body: 'Sunday',
      tapped_action: { kind: 'quick_reply', payload: 'SUN', title: 'Sunday' },
      quick_replies: null
    })
    expect(isWithinWindow(chat.last_inbound_at, t.sim.clock.now())).toBe(true)
    expect(chat.last_inbound_at).toBe(message.external_posted_at)
    expect(emitted.map((e) => e.type)).toEqual(['message.received'])
    expect((emitted[0].data.message as Message).tapped_action).toEqual({ kind: 'quick_reply', payload: 'SUN', title: 'Sunday' })
    expect(parses(MessageSchema, (await t.api.get(`/api/messages/${message.id}`)).body).tapped_action).toEqual(message.tapped_action)

    // The window being open again, a free-form send publishes.
    const reply = await published({ body: 'See you Sunday!' })
    expect(reply.status).toBe('published')
  })

  it('is gone once the participant has tapped or written since', async () => {
    const sent = await published({ body: 'Pick', quick_replies: [{ title: 'A', payload: 'A' }, { title: 'B', payload: 'B' }] })
    tapped(await tap({ message_id: sent.external_id, quick_reply: 0 }))
    expectValidationError(await tap({ message_id: sent.id, quick_reply: 1 }), 'The quick replies of this message are gone')
    const later = await published({ body: 'Pick again', quick_replies: [{ title: 'C', payload: 'C' }] })
    await t.api.post('/_sim/inbound', { participant_external_id: 'igsid_tapper', body: 'typed instead' })
    expectValidationError(await tap({ message_id: later.id, quick_reply: 0 }), 'The quick replies of this message are gone')
  })

  it('refuses an index the message does not have, and a message that never reached the participant', async () => {
    const sent = await published({ body: 'Pick', quick_replies: [{ title: 'A', payload: 'A' }] })
    expectValidationError(await tap({ message_id: sent.id, quick_reply: 1 }), 'quick_reply 1 does not exist: this message has 1 quick reply.')
    expectValidationError(await tap({ message_id: sent.id, quick_reply: -1 }), /quick_reply must be a whole number/)
    const pending = (await t.api.post(`/api/chats/${chatId}/messages`, { body: 'x', quick_replies: [{ title: 'A', payload: 'A' }] })).body
    expectValidationError(await tap({ message_id: pending.id, quick_reply: 0 }), 'this message is outbound and pending')
    expectNotFound(await tap({ message_id: 'msg_nope', quick_reply: 0 }))
  })
})

describe('tapping a button', () => {
  it('a postback button sends its payload (as often as it is tapped)', async () => {
    const sent = await published({
      body: 'Booked!',
      buttons: [{ type: 'web_url', title: 'Details', url: 'https://clayandtide.example' }, { type: 'postback', title: 'Bring a friend', payload: 'FRIEND' }]
    })
    for (let i = 0; i < 2; i++) {
      const { message } = tapped(await tap({ message_id: sent.id, button: 1 }))
      expect(message).toMatchObject({ body: 'Bring a friend', tapped_action: { kind: 'postback', payload: 'FRIEND', title: 'Bring a friend' } })
    }
  })

  it('a web_url button opens a browser and sends nothing: tapping it is refused', async () => {
    const sent = await published({ body: 'Booked!', buttons: [{ type: 'web_url', title: 'Details', url: 'https://clayandtide.example/w' }] })
    emitted.length = 0
    expectValidationError(
      await tap({ message_id: sent.id, button: 0 }),
      'buttons[0] is a web_url button: tapping it opens https://clayandtide.example/w in a browser and sends nothing to the business.'
    )
    expect(emitted).toEqual([])
    expectValidationError(await tap({ message_id: sent.id, button: 3 }), 'button 3 does not exist: this message has 1 button.')
    expectValidationError(await tap({ message_id: sent.id }), /Name what is tapped/)
  })
})

describe('tapping an ice breaker', () => {
  const breakers = [
    { question: 'Do you ship internationally?', payload: 'ICE_SHIPPING' },
    { question: 'When is the next drop?', payload: 'ICE_DROP' }
  ]

  it('opens a new chat with a postback carrying the ice breaker’s payload', async () => {
    await t.api.request('PUT', `/api/profiles/${t.sim.profileId}/ice_breakers`, { json: { ice_breakers: breakers } })
    const { message, chat } = tapped(await tap({ participant_external_id: 'igsid_new', participant_username: 'newbie', ice_breaker: 1 }))
    expect(chat).toMatchObject({ participant_external_id: 'igsid_new', participant_username: 'newbie' })
    expect(message).toMatchObject({ body: 'When is the next drop?', tapped_action: { kind: 'postback', payload: 'ICE_DROP', title: 'When is the next drop?' } })
    expect(isWithinWindow(chat.last_inbound_at, t.sim.clock.now())).toBe(true)
    // A pre-created chat (no message yet) still gets the ice breakers.
    await t.api.post(`/api/profiles/${t.sim.profileId}/chats`, { participant_external_id: 'igsid_precreated' })
    tapped(await tap({ participant_external_id: 'igsid_precreated', ice_breaker: 0 }))
  })

  it('uses the profile’s current ice breakers, offered only to someone without a conversation', async () => {
    expectValidationError(await tap({ participant_external_id: 'igsid_new', ice_breaker: 0 }), 'The profile has no ice breakers')
    await t.api.request('PUT', `/api/profiles/${t.sim.profileId}/ice_breakers`, { json: { ice_breakers: breakers } })
    expectValidationError(await tap({ participant_external_id: 'igsid_new', ice_breaker: 2 }), 'ice_breaker 2 does not exist: the profile has 2 ice breakers.')
    expectValidationError(await tap({ participant_external_id: 'igsid_tapper', ice_breaker: 0 }), /offered only to someone opening a chat with the business for the first time/)
    expectValidationError(await tap({ participant_external_id: '', ice_breaker: 0 }), "Participant external id can't be blank.")
  })
})

describe('a free-form tap', () => {
  it('takes kind, payload and title as given', async () => {
    const { message } = tapped(await tap({ participant_external_id: 'igsid_tapper', kind: 'postback', payload: 'GET_STARTED', title: 'Get started' }))
    expect(message).toMatchObject({ chat_id: chatId, body: 'Get started', tapped_action: { kind: 'postback', payload: 'GET_STARTED', title: 'Get started' } })
  })

  it('checks kind (per platform), payload and title', async () => {
    const response = await tap({ participant_external_id: 'igsid_tapper', kind: 'callback_query' })
    expect(response.body.errors).toEqual(['Kind must be quick_reply or postback on this platform.', "Payload can't be blank.", "Title can't be blank: it becomes the message's body."])
    const telegram = t.sim.createAccount({ platform: 'telegram' })
    const telegramApi = new SimClient(t.sim.url, telegram.apiKey)
    const telegramTap = await telegramApi.post('/_sim/taps', { participant_external_id: 'tg_1', kind: 'callback_query', payload: 'YES', title: 'Yes' })
    expect(telegramTap.status).toBe(201)
    expect(telegramTap.body.message.tapped_action).toEqual({ kind: 'callback_query', payload: 'YES', title: 'Yes' })
  })
})

// Interactive sends (POSTPROXY.md §9) over real HTTP: every rule for quick_replies, buttons and card
// (the sentences of shared/interactive-rules.ts, naming field and index), the echo on every read and
// webhook (null when absent), reply_to_external_id (same chat; JSON and multipart), the JSON-only
// rule for interactive params, and Telegram's reply_markup.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MessagePageSchema, MessageSchema, type Message } from '../../../shared/postproxy.ts'
import {
  chatOnPlatform,
  chatWithInbound,
  expectValidationError,
  fixtures,
  parses,
  recordEmitted,
  SimClient,
  startTestSimulator,
  TEST_PUBLISH_DELAY_MS,
  type ApiResponse,
  type TestSimulator
} from './helpers.ts'

let t: TestSimulator
let chatId: string
let inbound: { id: string; external_id: string }
let emitted: { type: string; data: Record<string, unknown> }[]

beforeEach(async () => {
  t = await startTestSimulator()
  emitted = recordEmitted(t.sim)
  const chat = await chatWithInbound(t.api)
  chatId = chat.chat.id
  inbound = chat.message
})
afterEach(async () => {
  await t.sim.close()
})

const send = (json: Record<string, unknown>, api = t.api, chat = chatId) => api.post(`/api/chats/${chat}/messages`, json)
const qr = (title: string, payload = title.toUpperCase()) => ({ title, payload })
const postback = (title: string, payload = title.toUpperCase()) => ({ type: 'postback', title, payload })
const link = (title: string, url = 'https://clayandtide.example/shop') => ({ type: 'web_url', title, url })

function expectOnly422(response: ApiResponse, errors: string[]): void {
  expectValidationError(response, errors[0])
  expect(response.body.errors).toEqual(errors)
}

/** A chat on another platform, with a message from its participant. */
async function chatOn(platform: string): Promise<{ api: SimClient; chatId: string }> {
  const { api, chat } = await chatOnPlatform(t.sim, platform)
  return { api, chatId: chat.id }
}

describe('quick_replies', () => {
  it('accepts up to 13 on a plain-text message and echoes them with content_type "text"', async () => {
    const replies = Array.from({ length: 13 }, (_, i) => qr(`Option ${i}`))
    const response = await send({ body: 'Pick one', quick_replies: replies })
    expect(response.status).toBe(202)
    const message = parses(MessageSchema, response.body)
    expect(message.quick_replies).toEqual(replies.map((r) => ({ content_type: 'text', ...r })))
    expect(message).toMatchObject({ buttons: null, card: null, tapped_action: null })
  })

  it.each([
    ['not a list', { quick_replies: 'yes' }, ['quick_replies must be a list.']],
    ['more than 13', { quick_replies: Array.from({ length: 14 }, (_, i) => qr(`o${i}`)) }, ['quick_replies can have at most 13 items; this message has 14.']],
    ['an item that is not an object', { quick_replies: [qr('a'), 'b'] }, ['quick_replies[1] must be an object.']],
    ['a content_type other than text', { quick_replies: [{ content_type: 'location', title: 'a', payload: 'b' }] }, ['quick_replies[0].content_type must be "text".']],
    ['a blank title', { quick_replies: [qr('ok'), { title: ' ', payload: 'x' }] }, ["quick_replies[1].title can't be blank."]],
    ['a title over 20 characters', { quick_replies: [qr('x'.repeat(21))] }, ['quick_replies[0].title must be at most 20 characters (it has 21).']],
    ['a missing payload', { quick_replies: [{ title: 'a' }] }, ["quick_replies[0].payload can't be blank."]],
    ['a payload over 1000 characters', { quick_replies: [qr('a', 'p'.repeat(1001))] }, ['quick_replies[0].payload must be at most 1000 characters (it has 1001).']]
  ])('refuses %s, naming the field and index', async (_label, fields, errors) => {
    expectOnly422(await send({ body: 'Pick one', ...fields }), errors)
  })

  it('counts characters as a person does (an emoji is one)', async () => {
    expect((await send({ body: 'Pick', quick_replies: [qr('🏺'.repeat(20))] })).status).toBe(202)
  })

  it('on Instagram only on a plain-text message: not with media, not with buttons', async () => {
    const rule = 'quick_replies can be sent only on a plain-text message on Instagram (not with media or buttons).'
    expectValidationError(await send({ media: ['https://cdn.example.com/a.jpg'], quick_replies: [qr('a')] }), rule)
    expectOnly422(await send({ body: 'Pick', quick_replies: [qr('a')], buttons: [postback('b')] }), [rule])
  })

  it('with buttons on Facebook Messenger, where Meta allows it', async () => {
    const facebook = await chatOn('facebook')
    const response = await send({ body: 'Pick', quick_replies: [qr('a')], buttons: [postback('b')] }, facebook.api, facebook.chatId)
    expect(response.status).toBe(202)
    expect(response.body.quick_replies).toHaveLength(1)
  })
})

describe('buttons and card', () => {
  it('accepts up to 3 buttons and a card, echoing them in the generic-template shape', async () => {
    const response = await send({
      body: 'You are booked for Saturday',
      buttons: [link('Details'), postback('Bring a friend', 'ADD_FRIEND'), link('Map', 'https://maps.example/studio')],
      card: { subtitle: 'Saturday 2–4pm', image_url: 'https://cdn.example.com/workshop.jpg', default_action: { type: 'web_url', url: 'https://clayandtide.example' } }
    })
    expect(response.status).toBe(202)
    const message = parses(MessageSchema, response.body)
    expect(message.buttons).toEqual([
      { type: 'web_url', title: 'Details', url: 'https://clayandtide.example/shop', payload: null },
      { type: 'postback', title: 'Bring a friend', url: null, payload: 'ADD_FRIEND' },
      { type: 'web_url', title: 'Map', url: 'https://maps.example/studio', payload: null }
    ])
    expect(message.card).toEqual({
      subtitle: 'Saturday 2–4pm',
      image_url: 'https://cdn.example.com/workshop.jpg',
      default_action: { type: 'web_url', url: 'https://clayandtide.example' }
    })
    expect(message.quick_replies).toBeNull()
    const minimal = parses(MessageSchema, (await send({ body: 'Tap below', buttons: [postback('Yes')], card: {} })).body)
    expect(minimal.card).toEqual({ subtitle: null, image_url: null, default_action: null })
  })

  it.each([
    ['not a list', { buttons: {} }, ['buttons must be a list.']],
    ['more than 3', { buttons: [postback('a'), postback('b'), postback('c'), postback('d')] }, ['buttons can have at most 3 items; this message has 4.']],
    ['an item that is not an object', { buttons: [7] }, ['buttons[0] must be an object.']],
    ['an unknown type', { buttons: [{ type: 'phone_number', title: 'Call', payload: '+1' }] }, ['buttons[0].type must be "web_url" or "postback".']],
    ['a blank title', { buttons: [{ type: 'postback', title: '', payload: 'x' }] }, ["buttons[0].title can't be blank."]],
    ['a web_url without https', { buttons: [postback('ok'), link('Shop', 'http://clayandtide.example')] }, ['buttons[1].url must be an https:// URL']],
    ['a web_url without a url', { buttons: [{ type: 'web_url', title: 'Shop' }] }, ['buttons[0].url must be an https:// URL']],
    ['a postback without a payload', { buttons: [{ type: 'postback', title: 'Yes' }] }, ["buttons[0].payload can't be blank."]],
    ['a body over 80 characters', { body: 'b'.repeat(81), buttons: [postback('ok')] }, ['body must be at most 80 characters when buttons are present (it has 81).']],
    ['a card that is not an object', { buttons: [postback('ok')], card: 'big' }, ['card must be an object with subtitle, image_url or default_action.']],
    ['a card subtitle that is not text', { buttons: [postback('ok')], card: { subtitle: 5 } }, ['card.subtitle must be text.']],
    ['a card subtitle over 80', { buttons: [postback('ok')], card: { subtitle: 's'.repeat(81) } }, ['card.subtitle must be at most 80 characters (it has 81).']],
    ['a card image_url without https', { buttons: [postback('ok')], card: { image_url: 'http://cdn.example.com/a.jpg' } }, ['card.image_url must be an https:// URL']],
    ['a default_action that is not an object', { buttons: [postback('ok')], card: { default_action: 'go' } }, ['card.default_action must be an object with type "web_url" and a url.']],
    ['a default_action of another type', { buttons: [postback('ok')], card: { default_action: { type: 'postback', url: 'https://a.example' } } }, ['card.default_action.type must be "web_url".']],
    ['a default_action url without https', { buttons: [postback('ok')], card: { default_action: { type: 'web_url', url: 'ftp://a' } } }, ['card.default_action.url must be an https:// URL']],
    ['a card without buttons', { card: { subtitle: 'alone' } }, ['card requires buttons.']]
  ])('refuses %s, naming the field and index', async (_label, fields, errors) => {
    expectOnly422(await send({ body: 'Tap below', ...fields }), errors)
  })

  it('never with media', async () => {
    expectValidationError(await send({ media: ['https://cdn.example.com/a.jpg'], buttons: [postback('ok')] }), "buttons can't be combined with media; send the file as its own message.")
  })

  it('lists every problem at once', async () => {
    const response = await send({ body: 'Pick', quick_replies: [qr('ok'), { title: '', payload: 'x' }], buttons: [link('Shop', 'http://x')] })
    expect(response.body.errors).toEqual([
      "quick_replies[1].title can't be blank.",
      'buttons[0].url must be an https:// URL',
      'quick_replies can be sent only on a plain-text message on Instagram (not with media or buttons).'
    ])
    expect(response.body.message).toContain('buttons[0].url must be an https:// URL.')
  })
})

describe('platforms without interactive messages', () => {
  it.each([
    ['telegram', 'Telegram'],
    ['bluesky', 'Bluesky']
  ])('refuses quick_replies, buttons and card on %s with a 422 naming the platform', async (platform, name) => {
    const other = await chatOn(platform)
    const response = await send({ body: 'Pick', quick_replies: [qr('a')], buttons: [postback('b')], card: {} }, other.api, other.chatId)
    expectOnly422(response, [`quick_replies, buttons, card can be sent on Instagram and Facebook Messenger only; this chat is on ${name}.`])
  })
})

describe('the echo', () => {
  it('is on every read and on the message.* webhooks; null (not []) when absent', async () => {
    const plain = parses(MessageSchema, (await send({ body: 'Hello' })).body)
    expect(plain).toMatchObject({ quick_replies: null, buttons: null, card: null, tapped_action: null, reply_markup: null, reply_to_external_id: null })
    const rich = parses(MessageSchema, (await send({ body: 'Pick', quick_replies: [qr('Yes')] })).body)

    t.sim.clock.advance(TEST_PUBLISH_DELAY_MS)
    const read = parses(MessageSchema, (await t.api.get(`/api/messages/${rich.id}`)).body)
    expect(read.quick_replies).toEqual([{ content_type: 'text', title: 'Yes', payload: 'YES' }])
    expect(read.status).toBe('published')
    const byMid = parses(MessageSchema, (await t.api.get(`/api/messages/${read.external_id}`)).body)
    expect(byMid.quick_replies).toEqual(read.quick_replies)
    const page = parses(MessagePageSchema, (await t.api.get(`/api/chats/${chatId}/messages`)).body)
    expect(page.data.find((m) => m.id === rich.id)!.quick_replies).toEqual(read.quick_replies)
    expect(page.data.find((m) => m.id === plain.id)!.quick_replies).toBeNull()
    expect(page.data.find((m) => m.id === inbound.id)).toMatchObject({ quick_replies: null, buttons: null, card: null, tapped_action: null })

    const sent = emitted.filter((e) => e.type === 'message.sent').map((e) => e.data.message as Message)
    expect(sent.find((m) => m.id === rich.id)!.quick_replies).toEqual(read.quick_replies)
    expect(sent.find((m) => m.id === plain.id)).toMatchObject({ quick_replies: null, buttons: null, card: null })
  })
})

describe('reply_to_external_id', () => {
  it('answers a message of the same chat, echoed on the message', async () => {
    const message = parses(MessageSchema, (await send({ body: 'Yes, we do!', reply_to_external_id: inbound.external_id })).body)
    expect(message.reply_to_external_id).toBe(inbound.external_id)
    expect(parses(MessageSchema, (await t.api.get(`/api/messages/${message.id}`)).body).reply_to_external_id).toBe(inbound.external_id)
  })

  it('refuses an unknown id, a message of another chat, or a hashid, naming the field', async () => {
    const other = await chatWithInbound(t.api, 'igsid_other')
    for (const id of ['mid.nope', other.message.external_id, inbound.id]) {
      expectOnly422(await send({ body: 'hi', reply_to_external_id: id }), [`reply_to_external_id ${id} is not the external_id of a message in this chat.`])
    }
    expectOnly422(await send({ body: 'hi', reply_to_external_id: 42 }), ['reply_to_external_id must be the external_id (mid.…) of a message in this chat.'])
  })

  it('is accepted on the multipart path too', async () => {
    const form = (replyTo: string) => {
      const data = new FormData()
      data.append('reply_to_external_id', replyTo)
      data.append('media[]', new Blob([fixtures.png(300)], { type: 'image/png' }), 'photo.png')
      return data
    }
    const ok = await t.api.request('POST', `/api/chats/${chatId}/messages`, { body: form(inbound.external_id) })
    expect(ok.status).toBe(202)
    expect(parses(MessageSchema, ok.body).reply_to_external_id).toBe(inbound.external_id)
    expectValidationError(await t.api.request('POST', `/api/chats/${chatId}/messages`, { body: form('mid.nope') }), 'reply_to_external_id mid.nope is not')
  })
})

describe('the JSON path only', () => {
  it('refuses quick_replies, buttons, card and reply_markup in a multipart upload, naming the field', async () => {
    const data = new FormData()
    data.append('body', 'Pick')
    data.append('quick_replies[][title]', 'Yes')
    data.append('quick_replies[][payload]', 'YES')
    data.append('buttons', '[]')
    const response = await t.api.request('POST', `/api/chats/${chatId}/messages`, { body: data })
    expectOnly422(response, [
      'quick_replies can be sent in a JSON body only, not in a multipart upload; give the file as a public URL in "media" instead.',
      'buttons can be sent in a JSON body only, not in a multipart upload; give the file as a public URL in "media" instead.'
    ])
  })
})

describe('reply_markup', () => {
  it('is Telegram’s: a 422 naming the platform on Instagram', async () => {
    expectOnly422(await send({ body: 'Pick', reply_markup: { inline_keyboard: [] } }), [
      'reply_markup is possible on Telegram only, not on Instagram. Use quick_replies or buttons there.'
    ])
  })

  it('is kept as given on Telegram', async () => {
    const telegram = await chatOn('telegram')
    const markup = { inline_keyboard: [[{ text: 'Yes', callback_data: 'YES' }]] }
    const response = await send({ body: 'Pick', reply_markup: markup }, telegram.api, telegram.chatId)
    expect(response.status).toBe(202)
    expect(parses(MessageSchema, response.body).reply_markup).toEqual(markup)
  })
})

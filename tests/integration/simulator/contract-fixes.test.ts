// Fixes an outside client found, and the calls that do not exist on Instagram (POSTPROXY.md §9), over
// real HTTP: multipart `media[][]` parts; a human `message` on every 4xx; one business identity for
// reactions; Webhook.updated_at and WebhookDelivery.created_at; every SDK event type subscribable;
// archive (Bluesky only), edit (Telegram only) as 422s naming the platform, never 404s.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { POSTPROXY_EVENT_TYPES, ChatSchema, ErrorBodySchema, MessageSchema, WebhookSchema, pageSchema, WebhookDeliverySchema, type Message } from '../../../shared/postproxy.ts'
import {
  chatOnPlatform,
  chatWithInbound,
  expectNotFound,
  expectValidationError,
  fixtures,
  parses,
  rawRequest,
  SimClient,
  startTestSimulator,
  TEST_PUBLISH_DELAY_MS,
  WebhookReceiver,
  type TestSimulator
} from './helpers.ts'

let t: TestSimulator

beforeEach(async () => {
  t = await startTestSimulator()
})
afterEach(async () => {
  await t.sim.close()
})

describe('multipart media parts', () => {
  const upload = (chatId: string, names: string[]) => {
    const form = new FormData()
    for (const [i, name] of names.entries()) form.append(name, new Blob([fixtures.png(300)], { type: 'image/png' }), `photo-${i}.png`)
    return t.api.request('POST', `/api/chats/${chatId}/messages`, { body: form })
  }

  it('counts media[][] parts (the Ruby SDK’s spelling for several files): two are "at most one item", not "blank"', async () => {
    const { chat } = await chatWithInbound(t.api)
    const two = await upload(chat.id, ['media[][]', 'media[][]'])
    expectValidationError(two, 'Media can have at most one item; this request has 2.')
    expect(two.body.errors.join(' ')).not.toContain('blank')
    const mixed = await upload(chat.id, ['media[]', 'media'])
    expectValidationError(mixed, 'Media can have at most one item; this request has 2.')
  })

  it('reads media[], media[][] and media alike for one file', async () => {
    const { chat } = await chatWithInbound(t.api)
    for (const name of ['media[]', 'media[][]', 'media']) {
      const response = await upload(chat.id, [name])
      expect(response.status, name).toBe(202)
      expect(parses(MessageSchema, response.body).attachments).toHaveLength(1)
    }
  })
})

describe('a human message on every 4xx', () => {
  const expectMessage = (body: unknown, status: number) => {
    const parsed = parses(ErrorBodySchema, body)
    expect(typeof parsed.message, `status ${status}`).toBe('string')
    expect(parsed.message!.length).toBeGreaterThan(10)
    return parsed
  }

  it('400, 401, 404, 415 and 422 carry `message` beside `error` / `errors`', async () => {
    const badRequest = await t.api.get(`/api/profiles/${t.sim.profileId}/chats?before=soon`)
    expect(badRequest.status).toBe(400)
    expect(expectMessage(badRequest.body, 400).error).toBe('Bad Request')

    const unauthorized = await new SimClient(t.sim.url, 'sk_wrong').get('/api/profiles')
    expect(unauthorized.status).toBe(401)
    expect(expectMessage(unauthorized.body, 401).error).toBe('Unauthorized')

    const notFound = await t.api.get('/api/chats/chat_nope')
    expect(notFound.status).toBe(404)
    expect(expectMessage(notFound.body, 404).error).toBe('Not found')

    const unsupported = await rawRequest(t.sim.url, 'POST', '/api/webhooks', { authorization: `Bearer ${t.sim.apiKey}`, 'content-type': 'text/xml' }, '<x/>')
    expect(unsupported.status).toBe(415)
    expectMessage(JSON.parse(unsupported.body), 415)

    const invalid = await t.api.post('/api/webhooks', { url: 'ftp://nope', events: [] })
    expect(invalid.status).toBe(422)
    const parsed = expectMessage(invalid.body, 422)
    // `message` reads the `errors` as one paragraph.
    expect(parsed.message).toBe(parsed.errors!.join(' '))
  })

  it('409 (Idempotency-Key in flight) and 429 (rate limit) carry `message` beside `error`', async () => {
    const { chat } = await chatWithInbound(t.api)
    await t.api.post('/_sim/faults', { kind: 'stall', count: 1 })
    const first = t.api.post(`/api/chats/${chat.id}/messages`, { body: 'slow' }, { 'idempotency-key': 'k' })
    await t.sim.faults.whenStalled()
    const conflict = await t.api.post(`/api/chats/${chat.id}/messages`, { body: 'slow' }, { 'idempotency-key': 'k' })
    expect(conflict.status).toBe(409)
    expect(expectMessage(conflict.body, 409).error).toBe(conflict.body.message)
    await t.api.post('/_sim/faults/release')
    expect((await first).status).toBe(202)

    await t.api.post('/_sim/rate-limit', { limit: 1, window_ms: 30_000 })
    await t.api.get('/api/profiles')
    const limited = await t.api.get('/api/profiles')
    expect(limited.status).toBe(429)
    expect(expectMessage(limited.body, 429)).toEqual({ error: 'Rate limit exceeded', message: 'Too many requests for this API key; try again in 30 seconds.' })
  })
})

describe('one business identity for reactions', () => {
  it('unreact removes a seeded ❤️ of the business, and react never adds a second', async () => {
    const demo = await startTestSimulator({ scenario: 'demo', seed: 5 })
    try {
      const state = (await demo.api.get('/_sim/state')).body as { chats: { id: string; participant_external_id: string }[] }
      let target: { message: Message; participant: string } | null = null
      for (const chat of state.chats) {
        const { messages } = (await demo.api.get(`/_sim/chats/${chat.id}`)).body as { messages: Message[] }
        const loved = messages.find((m) => m.direction === 'inbound' && (m.reactions ?? []).some((r) => r.sender_external_id !== chat.participant_external_id))
        if (loved) {
          target = { message: loved, participant: chat.participant_external_id }
          break
        }
      }
      expect(target).not.toBeNull()
      const { message } = target!
      const business = message.reactions!.find((r) => r.sender_external_id !== target!.participant)!.sender_external_id
      expect((await demo.api.get(`/api/profiles/${demo.sim.profileId}`)).body.external_id).toBe(business)

      const reacted = parses(MessageSchema, (await demo.api.post(`/api/messages/${message.id}/react`)).body)
      expect(reacted.reactions!.filter((r) => r.sender_external_id === business)).toHaveLength(1)
      const unreacted = parses(MessageSchema, (await demo.api.delete(`/api/messages/${message.id}/unreact`)).body)
      expect(unreacted.reactions!.filter((r) => r.sender_external_id === business)).toEqual([])
    } finally {
      await demo.sim.close()
    }
  })
})

describe('webhook timestamps and subscriptions', () => {
  it('Webhook.updated_at moves on PATCH (simulated clock); each WebhookDelivery has created_at', async () => {
    const receiver = new WebhookReceiver()
    await receiver.start()
    try {
      const created = parses(WebhookSchema, (await t.api.post('/api/webhooks', { url: receiver.url, events: ['message.received'] })).body)
      expect(created.updated_at).toBe(created.created_at)
      t.sim.clock.advance(3_600_000)
      const patched = parses(WebhookSchema, (await t.api.patch(`/api/webhooks/${created.id}`, { description: 'inbox' })).body)
      expect(patched.created_at).toBe(created.created_at)
      expect(Date.parse(patched.updated_at!) - Date.parse(created.created_at!)).toBeGreaterThanOrEqual(3_600_000)
      expect(parses(WebhookSchema, (await t.api.get(`/api/webhooks/${created.id}`)).body).updated_at).toBe(patched.updated_at)

      await chatWithInbound(t.api)
      await receiver.waitFor(1)
      await t.sim.webhooks.idle()
      const deliveries = parses(pageSchema(WebhookDeliverySchema), (await t.api.get(`/api/webhooks/${created.id}/deliveries`)).body)
      expect(deliveries.data).toHaveLength(1)
      expect(deliveries.data[0].created_at).toEqual(expect.any(String))
      expect(Date.parse(deliveries.data[0].created_at!)).toBeGreaterThanOrEqual(Date.parse(deliveries.data[0].attempted_at))
    } finally {
      await receiver.close()
    }
  })

  it('accepts every event type of the SDKs’ list and "*"; refuses a misspelt DM event; tolerates new actions of other families', async () => {
    const all = await t.api.post('/api/webhooks', { url: 'https://example.com/hooks', events: [...POSTPROXY_EVENT_TYPES] })
    expect(all.status).toBe(201)
    expect(all.body.events).toEqual([...POSTPROXY_EVENT_TYPES])
    for (const name of ['media.failed', 'profile_comment.created', 'comment.created', 'post.imported', 'platform_post.insights', 'profile.stats', '*']) {
      expect((await t.api.post('/api/webhooks', { url: 'https://example.com/hooks', events: [name] })).status, name).toBe(201)
    }
    for (const name of ['comment.hidden', 'post.deleted', 'media.processed']) {
      expect((await t.api.post('/api/webhooks', { url: 'https://example.com/hooks', events: [name] })).status, name).toBe(201)
    }
    expectValidationError(await t.api.post('/api/webhooks', { url: 'https://example.com/hooks', events: ['message.recieved'] }), /unknown event "message.recieved"/)
    expectValidationError(await t.api.post('/api/webhooks', { url: 'https://example.com/hooks', events: ['reaction.sent'] }), /unknown event "reaction.sent"/)
  })
})

describe('not on Instagram: 422 naming the platform, never 404', () => {
  const chatOn = (platform: string) => chatOnPlatform(t.sim, platform)

  it('archive is Bluesky’s: POST / DELETE answer 422 on Instagram and Facebook, 404 for an unknown chat', async () => {
    const { chat } = await chatWithInbound(t.api)
    expect(parses(ChatSchema, (await t.api.get(`/api/chats/${chat.id}`)).body).archived).toBeNull()
    const sentence = 'Archiving a chat on the server is possible on Bluesky only, not on Instagram. Keep the archive in the inbox itself.'
    expectValidationError(await t.api.post(`/api/chats/${chat.id}/archive`), sentence)
    expectValidationError(await t.api.delete(`/api/chats/${chat.id}/archive`), sentence)
    const facebook = await chatOn('facebook')
    expectValidationError(await facebook.api.post(`/api/chats/${facebook.chat.id}/archive`), 'not on Facebook Messenger.')
    expectNotFound(await t.api.post('/api/chats/chat_nope/archive'))
  })

  it('archive on Bluesky sets and clears `archived`', async () => {
    const bluesky = await chatOn('bluesky')
    expect(parses(ChatSchema, (await bluesky.api.get(`/api/chats/${bluesky.chat.id}`)).body).archived).toBe(false)
    const archived = await bluesky.api.post(`/api/chats/${bluesky.chat.id}/archive`)
    expect(archived.status).toBe(200)
    expect(parses(ChatSchema, archived.body).archived).toBe(true)
    expect((await bluesky.api.get(`/api/chats/${bluesky.chat.id}`)).body.archived).toBe(true)
    expect(parses(ChatSchema, (await bluesky.api.delete(`/api/chats/${bluesky.chat.id}/archive`)).body).archived).toBe(false)
  })

  it('PATCH /api/messages/:id (edit) is Telegram’s: 422 on Instagram, 404 for an unknown message', async () => {
    const { message } = await chatWithInbound(t.api)
    expectValidationError(await t.api.patch(`/api/messages/${message.id}`, { body: 'edited' }), 'Editing a sent message is possible on Telegram only, not on Instagram. Send a new message instead.')
    expectNotFound(await t.api.patch('/api/messages/msg_nope', { body: 'edited' }))
  })

  it('edits a published message on Telegram', async () => {
    const telegram = await chatOn('telegram')
    const sent = (await telegram.api.post(`/api/chats/${telegram.chat.id}/messages`, { body: 'Typo hre' })).body
    expectValidationError(await telegram.api.patch(`/api/messages/${sent.id}`, { body: 'Typo here' }), 'this one is outbound and pending')
    t.sim.clock.advance(TEST_PUBLISH_DELAY_MS)
    const edited = await telegram.api.patch(`/api/messages/${sent.id}`, { body: 'Typo here' })
    expect(edited.status).toBe(200)
    expect(parses(MessageSchema, edited.body)).toMatchObject({ body: 'Typo here', external_edited_at: expect.any(String) })
    expectValidationError(await telegram.api.patch(`/api/messages/${sent.id}`, {}), 'Give a new body or reply_markup')
    expectValidationError(await telegram.api.patch(`/api/messages/${telegram.message.id}`, { body: 'theirs' }), "Only the business's published messages can be edited")
  })
})

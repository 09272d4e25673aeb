// The business's reactions (love only on Instagram, a second react replaces, unreact, no webhook)
// and private replies to comments (7 days, once per comment, outside the window, creates the chat).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HOUR_MS } from '../../../shared/messaging-window.ts'
import { ChatSchema, MessageSchema } from '../../../shared/postproxy.ts'
import { chatWithInbound, expectNotFound, expectValidationError, parses, startTestSimulator, TEST_PUBLISH_DELAY_MS, type TestSimulator } from './helpers.ts'

let t: TestSimulator
let emitted: string[]

beforeEach(async () => {
  t = await startTestSimulator()
  emitted = []
  const emit = t.sim.webhooks.emit.bind(t.sim.webhooks)
  t.sim.webhooks.emit = (account, type, data) => {
    emitted.push(type)
    emit(account, type, data)
  }
})
afterEach(async () => {
  await t.sim.close()
})

describe('react / unreact', () => {
  it('reacts with love by default, replaces on a second react, and unreacts; no webhook for any of it', async () => {
    const { message } = await chatWithInbound(t.api)
    emitted.length = 0

    const first = await t.api.post(`/api/messages/${message.id}/react`)
    expect(first.status).toBe(200)
    const reacted = parses(MessageSchema, first.body)
    expect(reacted.reactions).toEqual([{ sender_external_id: expect.any(String), emoji: '❤️', reaction: 'love', at: expect.any(String) }])

    t.sim.clock.advance(5000)
    const second = parses(MessageSchema, (await t.api.post(`/api/messages/${message.external_id}/react`, { reaction: 'love' })).body)
    expect(second.reactions).toHaveLength(1)
    expect(Date.parse(second.reactions![0].at!)).toBeGreaterThan(Date.parse(reacted.reactions![0].at!))

    const removed = await t.api.delete(`/api/messages/${message.id}/unreact`)
    expect(removed.status).toBe(200)
    expect(parses(MessageSchema, removed.body).reactions).toEqual([])
    expect((await t.api.get(`/api/messages/${message.id}`)).body.reactions).toEqual([])
    expect(emitted).toEqual([])
  })

  it('keeps the participant’s own reaction when the business reacts and unreacts', async () => {
    const { message } = await chatWithInbound(t.api, 'igsid_both')
    await t.api.post(`/_sim/messages/${message.id}/reaction`, { action: 'react' })
    await t.api.post(`/api/messages/${message.id}/react`)
    const both = (await t.api.get(`/api/messages/${message.id}`)).body
    expect(both.reactions.map((r: { sender_external_id: string }) => r.sender_external_id)).toContain('igsid_both')
    expect(both.reactions).toHaveLength(2)
    const after = (await t.api.delete(`/api/messages/${message.id}/unreact`)).body
    expect(after.reactions).toEqual([expect.objectContaining({ sender_external_id: 'igsid_both' })])
  })

  it('refuses any reaction but love on Instagram', async () => {
    const { message } = await chatWithInbound(t.api)
    expectValidationError(await t.api.post(`/api/messages/${message.id}/react`, { reaction: 'haha' }), /Reaction must be "love"/)
    expect((await t.api.get(`/api/messages/${message.id}`)).body.reactions).toEqual([])
  })

  it('refuses to react to an unsent or not-yet-sent message', async () => {
    const { chat, message } = await chatWithInbound(t.api)
    await t.api.post(`/_sim/messages/${message.id}/unsend`)
    expectValidationError(await t.api.post(`/api/messages/${message.id}/react`), /unsent/)
    const pending = (await t.api.post(`/api/chats/${chat.id}/messages`, { body: 'hi' })).body
    expectValidationError(await t.api.post(`/api/messages/${pending.id}/react`), /pending/)
  })

  it('answers 404 for an unknown message', async () => {
    expectNotFound(await t.api.post('/api/messages/msg_nope/react'))
    expectNotFound(await t.api.delete('/api/messages/msg_nope/unreact'))
  })
})

describe('private replies', () => {
  async function comment(overrides: Record<string, unknown> = {}) {
    const created = await t.api.post('/_sim/comments', {
      participant_external_id: 'igsid_commenter',
      participant_username: 'commenter',
      text: 'How much is the blue mug?',
      ...overrides
    })
    expect(created.status).toBe(201)
    return created.body as { id: string; external_id: string; post_id: string; created_at: string }
  }
  const replyPath = (c: { id: string; post_id: string }, profileId = t.sim.profileId) =>
    `/api/posts/${c.post_id}/comments/${c.id}/private_reply?profile_id=${profileId}`

  it('creates the chat and a pending message with external_comment_id, and publishes it outside any window', async () => {
    const c = await comment()
    const response = await t.api.post(replyPath(c), { text: 'It is $32 — shall I hold one for you?' })
    expect(response.status).toBe(202)
    const message = parses(MessageSchema, response.body)
    // external_comment_id is Instagram's id of the comment, not the hashid.
    expect(message).toMatchObject({ status: 'pending', direction: 'outbound', external_comment_id: c.external_id, body: 'It is $32 — shall I hold one for you?' })
    expect(c.external_id).toMatch(/^\d{17}$/)

    const chat = parses(ChatSchema, (await t.api.get(`/api/chats/${message.chat_id}`)).body)
    expect(chat).toMatchObject({ participant_external_id: 'igsid_commenter', participant_username: 'commenter', last_inbound_at: null })

    t.sim.clock.advance(TEST_PUBLISH_DELAY_MS)
    const published = parses(MessageSchema, (await t.api.get(`/api/messages/${message.id}`)).body)
    expect(published.status).toBe('published')
    expect(emitted).toContain('message.sent')
  })

  it('reuses the commenter’s existing chat', async () => {
    const { chat } = await chatWithInbound(t.api, 'igsid_commenter')
    const c = await comment()
    const message = (await t.api.post(replyPath(c), { text: 'Thanks!' })).body
    expect(message.chat_id).toBe(chat.id)
  })

  it('allows one reply per comment', async () => {
    const c = await comment()
    expect((await t.api.post(replyPath(c), { text: 'first' })).status).toBe(202)
    expectValidationError(await t.api.post(replyPath(c), { text: 'second' }), /one per comment/)
  })

  it('allows 7 days after the comment and no more', async () => {
    const early = await comment()
    const late = await comment()
    t.sim.clock.advance(7 * 24 * HOUR_MS - 60_000)
    expect((await t.api.post(replyPath(early), { text: 'still in time' })).status).toBe(202)
    t.sim.clock.advance(2 * 60_000)
    expectValidationError(await t.api.post(replyPath(late), { text: 'too late' }), /within 7 days of the comment; this comment is 7 days old/)
  })

  it('validates the text and the target', async () => {
    const c = await comment()
    expectValidationError(await t.api.post(replyPath(c), { text: '' }), "Text can't be blank")
    expectValidationError(await t.api.post(replyPath(c), { text: 'x'.repeat(1001) }), /Text is too long/)
    expectNotFound(await t.api.post(`/api/posts/post_other/comments/${c.id}/private_reply?profile_id=${t.sim.profileId}`, { text: 'hi' }))
    expectNotFound(await t.api.post(replyPath({ id: 'cmt_nope', post_id: c.post_id }), { text: 'hi' }))
    expectNotFound(await t.api.post(replyPath(c, 'prof_other'), { text: 'hi' }))
    const missingProfile = await t.api.post(`/api/posts/${c.post_id}/comments/${c.id}/private_reply`, { text: 'hi' })
    expect(missingProfile.status).toBe(400)
    expect(missingProfile.body.message).toContain('profile_id')
  })
})

// Lists (POSTPROXY.md §2): the pagination envelope, per_page default and clamp, zero-based pages,
// sort orders, exclusive before/after; chats find-or-create and lookups; message filters.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ChatPageSchema, ChatSchema, MessagePageSchema } from '../../../shared/postproxy.ts'
import { parses, startTestSimulator, type TestSimulator } from './helpers.ts'

let t: TestSimulator

beforeEach(async () => {
  t = await startTestSimulator()
})
afterEach(async () => {
  await t.sim.close()
})

/** `count` chats, each with one inbound message one simulated second after the previous. */
async function seedChats(count: number): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const injected = await t.api.post('/_sim/inbound', { participant_external_id: `igsid_${i}`, body: `message ${i}` })
    ids.push(injected.body.chat.id)
    t.sim.clock.advance(1000)
  }
  return ids
}

const chatsPath = () => `/api/profiles/${t.sim.profileId}/chats`

describe('chat list', () => {
  it('pages 20 at a time by default, newest activity first, zero-based', async () => {
    const created = await seedChats(25)
    const newestFirst = [...created].reverse()

    const first = parses(ChatPageSchema, (await t.api.get(chatsPath())).body)
    expect(first).toMatchObject({ total: 25, page: 0, per_page: 20 })
    expect(first.data.map((chat) => chat.id)).toEqual(newestFirst.slice(0, 20))
    const times = first.data.map((chat) => Date.parse(chat.last_message_at!))
    expect(times).toEqual([...times].sort((a, b) => b - a))

    const second = parses(ChatPageSchema, (await t.api.get(`${chatsPath()}?page=1`)).body)
    expect(second).toMatchObject({ total: 25, page: 1, per_page: 20 })
    expect(second.data.map((chat) => chat.id)).toEqual(newestFirst.slice(20))

    const beyond = parses(ChatPageSchema, (await t.api.get(`${chatsPath()}?page=7`)).body)
    expect(beyond).toMatchObject({ total: 25, page: 7, data: [] })
  })

  it('clamps per_page to 100 and falls back on unreadable paging values', async () => {
    await seedChats(3)
    expect((await t.api.get(`${chatsPath()}?per_page=1000`)).body.per_page).toBe(100)
    expect((await t.api.get(`${chatsPath()}?per_page=0`)).body.per_page).toBe(1)
    expect((await t.api.get(`${chatsPath()}?per_page=abc`)).body.per_page).toBe(20)
    expect((await t.api.get(`${chatsPath()}?page=-3`)).body.page).toBe(0)
    const two = parses(ChatPageSchema, (await t.api.get(`${chatsPath()}?per_page=2&page=1`)).body)
    expect(two).toMatchObject({ total: 3, page: 1, per_page: 2 })
    expect(two.data).toHaveLength(1)
  })

  it('filters on last_message_at with exclusive before/after', async () => {
    const created = await seedChats(10)
    const all = parses(ChatPageSchema, (await t.api.get(chatsPath())).body).data
    const pivot = all[4] // the 5th newest
    const at = encodeURIComponent(pivot.last_message_at!)

    const before = parses(ChatPageSchema, (await t.api.get(`${chatsPath()}?before=${at}`)).body)
    expect(before.total).toBe(5)
    expect(before.data.map((chat) => chat.id)).toEqual(all.slice(5).map((chat) => chat.id))

    const after = parses(ChatPageSchema, (await t.api.get(`${chatsPath()}?after=${at}`)).body)
    expect(after.data.map((chat) => chat.id)).toEqual(all.slice(0, 4).map((chat) => chat.id))

    const between = parses(
      ChatPageSchema,
      (await t.api.get(`${chatsPath()}?after=${encodeURIComponent(all[7].last_message_at!)}&before=${at}`)).body
    )
    expect(between.data.map((chat) => chat.id)).toEqual([all[5].id, all[6].id])
    expect(created).toContain(pivot.id)
  })

  it('answers 400 for an unreadable timestamp', async () => {
    const response = await t.api.get(`${chatsPath()}?before=yesterday`)
    expect(response.status).toBe(400)
    expect(response.body.message).toContain('before')
  })

  it('moves a chat to the top when it has new activity', async () => {
    const created = await seedChats(3)
    await t.api.post('/_sim/inbound', { participant_external_id: 'igsid_0', body: 'me again' })
    const page = parses(ChatPageSchema, (await t.api.get(chatsPath())).body)
    expect(page.data[0].id).toBe(created[0])
    expect(page.total).toBe(3)
  })
})

describe('find-or-create', () => {
  it('creates with 201, then finds with 200, without opening the messaging window', async () => {
    const created = await t.api.post(chatsPath(), {
      participant_external_id: 'igsid_new',
      participant_username: 'new_person',
      participant_name: 'New Person',
      unknown_field: 'ignored'
    })
    expect(created.status).toBe(201)
    const chat = parses(ChatSchema, created.body)
    expect(chat).toMatchObject({
      profile_id: t.sim.profileId,
      platform: 'instagram',
      participant_external_id: 'igsid_new',
      participant_username: 'new_person',
      participant_name: 'New Person',
      last_inbound_at: null,
      last_outbound_at: null,
      last_message_at: null
    })
    expect(chat.id).toMatch(/^chat_/)

    const again = await t.api.post(chatsPath(), { participant_external_id: 'igsid_new' })
    expect(again.status).toBe(200)
    expect(parses(ChatSchema, again.body)).toEqual(chat)

    const listed = parses(ChatPageSchema, (await t.api.get(chatsPath())).body)
    expect(listed.data.map((c) => c.id)).toEqual([chat.id])
  })

  it('finds the chat a participant opened by writing', async () => {
    const injected = await t.api.post('/_sim/inbound', { participant_external_id: 'igsid_w', body: 'hello' })
    const found = await t.api.post(chatsPath(), { participant_external_id: 'igsid_w' })
    expect(found.status).toBe(200)
    expect(found.body.id).toBe(injected.body.chat.id)
    expect(found.body.last_inbound_at).toBe(injected.body.message.external_posted_at)
  })
})

describe('chat lookup', () => {
  it('gets a chat by hashid and by external_conversation_id', async () => {
    const injected = await t.api.post('/_sim/inbound', { participant_external_id: 'igsid_l', body: 'hello' })
    const { id, external_conversation_id: conversationId } = injected.body.chat
    expect(conversationId).toBeTruthy()
    const byId = parses(ChatSchema, (await t.api.get(`/api/chats/${id}`)).body)
    const byConversation = parses(ChatSchema, (await t.api.get(`/api/chats/${encodeURIComponent(conversationId)}`)).body)
    expect(byConversation).toEqual(byId)
    expect(byId.metadata).toMatchObject({ is_verified_user: false, follower_count: 0 })
  })
})

describe('message list', () => {
  it('is newest first (pending by creation), paginated, and filters by direction and status', async () => {
    const injected = await t.api.post('/_sim/inbound', { participant_external_id: 'igsid_m', body: 'first' })
    const chatId = injected.body.chat.id
    t.sim.clock.advance(1000)
    const published = (await t.api.post(`/api/chats/${chatId}/messages`, { body: 'reply one' })).body
    t.sim.clock.advance(60_000) // publishes "reply one"
    const pending = (await t.api.post(`/api/chats/${chatId}/messages`, { body: 'reply two' })).body
    t.sim.clock.advance(1000)
    const second = (await t.api.post('/_sim/inbound', { participant_external_id: 'igsid_m', body: 'second' })).body.message

    const page = parses(MessagePageSchema, (await t.api.get(`/api/chats/${chatId}/messages`)).body)
    expect(page).toMatchObject({ total: 4, page: 0, per_page: 20 })
    expect(page.data.map((message) => message.id)).toEqual([second.id, pending.id, published.id, injected.body.message.id])
    expect(page.data.map((message) => message.status)).toEqual(['received', 'pending', 'published', 'received'])

    const inbound = parses(MessagePageSchema, (await t.api.get(`/api/chats/${chatId}/messages?direction=inbound`)).body)
    expect(inbound.data.map((message) => message.body)).toEqual(['second', 'first'])
    expect(inbound.total).toBe(2)
    const pendingOnly = parses(MessagePageSchema, (await t.api.get(`/api/chats/${chatId}/messages?status=pending`)).body)
    expect(pendingOnly.data.map((message) => message.id)).toEqual([pending.id])
    const combined = parses(
      MessagePageSchema,
      (await t.api.get(`/api/chats/${chatId}/messages?direction=outbound&status=published`)).body
    )
    expect(combined.data.map((message) => message.id)).toEqual([published.id])

    const paged = parses(MessagePageSchema, (await t.api.get(`/api/chats/${chatId}/messages?per_page=3&page=1`)).body)
    expect(paged.data.map((message) => message.id)).toEqual([injected.body.message.id])
  })

  it('answers 400 for an unknown filter value', async () => {
    const injected = await t.api.post('/_sim/inbound', { participant_external_id: 'igsid_f', body: 'hi' })
    const response = await t.api.get(`/api/chats/${injected.body.chat.id}/messages?direction=sideways`)
    expect(response.status).toBe(400)
    expect(response.body.message).toContain('direction')
  })
})

// Every object the demo scenario serves, read through the Postproxy API, parses with the shared
// schemas, and the lists agree with the ground truth (sort orders, totals, native-id lookups).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isWithinWindow } from '../../../shared/messaging-window.ts'
import { ChatPageSchema, ChatSchema, MessagePageSchema, MessageSchema, ProfileListSchema, type Chat } from '../../../shared/postproxy.ts'
import { parses, startTestSimulator, type TestSimulator } from './helpers.ts'

let t: TestSimulator
let chats: Chat[] = []

beforeAll(async () => {
  t = await startTestSimulator({ scenario: 'demo', seed: 3 })
  const first = parses(ChatPageSchema, (await t.api.get(`/api/profiles/${t.sim.profileId}/chats?per_page=100`)).body)
  chats = first.data
  expect(first.total).toBe(chats.length)
})
afterAll(async () => {
  await t.sim.close()
})

describe('the demo inbox through the API', () => {
  it('has one profile and a believable number of chats, newest activity first', async () => {
    expect(parses(ProfileListSchema, (await t.api.get('/api/profiles')).body).data).toHaveLength(1)
    expect(chats.length).toBeGreaterThanOrEqual(30)
    const activity = chats.map((chat) => Date.parse(chat.last_message_at ?? chat.created_at))
    expect(activity).toEqual([...activity].sort((a, b) => b - a))
    // Some chats are inside the window, some outside.
    const open = chats.filter((chat) => isWithinWindow(chat.last_inbound_at, t.sim.clock.now()))
    expect(open.length).toBeGreaterThan(0)
    expect(open.length).toBeLessThan(chats.length)
  })

  it('serves every chat and every message in the shared shapes, and finds each by its native id', async () => {
    let messageCount = 0
    for (const chat of chats) {
      expect(parses(ChatSchema, (await t.api.get(`/api/chats/${chat.id}`)).body)).toEqual(chat)
      if (chat.external_conversation_id) {
        expect((await t.api.get(`/api/chats/${encodeURIComponent(chat.external_conversation_id)}`)).body.id).toBe(chat.id)
      }
      const page = parses(MessagePageSchema, (await t.api.get(`/api/chats/${chat.id}/messages?per_page=100`)).body)
      const truth = (await t.api.get(`/_sim/chats/${chat.id}`)).body.messages as { id: string }[]
      expect(page.data.map((message) => message.id)).toEqual(truth.map((message) => message.id))
      const order = page.data.map((message) => Date.parse(message.external_posted_at ?? message.created_at))
      expect(order).toEqual([...order].sort((a, b) => b - a))
      for (const message of page.data) {
        messageCount++
        if (message.external_id) {
          const byNativeId = parses(MessageSchema, (await t.api.get(`/api/messages/${encodeURIComponent(message.external_id)}`)).body)
          expect(byNativeId.id).toBe(message.id)
        }
        for (const attachment of message.attachments ?? []) {
          if (attachment.url?.startsWith(t.sim.url)) expect((await fetch(attachment.url, { method: 'HEAD' })).status).toBe(200)
        }
      }
    }
    expect(messageCount).toBeGreaterThan(chats.length)
  })
})

// Every object the demo scenario serves, read through the Postproxy API, parses with the shared
// schemas, and the lists agree with the ground truth (sort orders, totals, native-id lookups).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isWithinWindow } from '../../../shared/messaging-window.ts'
import { ChatPageSchema, ChatSchema, MessagePageSchema, MessageSchema, pageSchema, ProfileListSchema, type Chat } from '../../../shared/postproxy.ts'
import { BulkCommentSchema, CommentSchema, PostSchema } from '../../../shared/postproxy-comments.ts'
import { IceBreakersResponseSchema } from '../../../shared/postproxy-interactive.ts'
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

describe('the demo’s posts, comments and interactive messages through the API (contract v2)', () => {
  it('serves every post and every comment in the shared shapes; the per-post lists and the feed agree', async () => {
    const posts = parses(pageSchema(PostSchema), (await t.api.get('/api/posts?per_page=100')).body).data
    const feed = parses(pageSchema(BulkCommentSchema), (await t.api.get('/api/comments?per_page=100')).body)
    expect(feed.total).toBe(feed.data.length)
    const created = feed.data.map((comment) => Date.parse(comment.created_at))
    expect(created).toEqual([...created].sort((a, b) => b - a))
    let seen = 0
    for (const post of posts) {
      expect(parses(PostSchema, (await t.api.get(`/api/posts/${post.id}`)).body)).toEqual(post)
      const page = parses(pageSchema(CommentSchema), (await t.api.get(`/api/posts/${post.id}/comments?profile_id=${t.sim.profileId}&per_page=100`)).body)
      for (const comment of page.data) {
        seen += 1 + comment.replies!.length
        expect(comment.parent_external_id).toBeNull()
        for (const reply of comment.replies!) expect(reply.parent_external_id).toBe(comment.external_id)
        const one = parses(CommentSchema, (await t.api.get(`/api/posts/${post.id}/comments/${comment.external_id}?profile_id=${t.sim.profileId}`)).body)
        expect(one).toEqual(comment)
      }
    }
    expect(seen).toBe(feed.total)
    const { ice_breakers } = parses(IceBreakersResponseSchema, (await t.api.get(`/api/profiles/${t.sim.profileId}/ice_breakers`)).body)
    expect(ice_breakers.length).toBeGreaterThan(0)
  })

  it('shows quick replies, buttons and taps on messages read through the API', async () => {
    let interactive = 0
    let taps = 0
    for (const chat of chats) {
      const page = parses(MessagePageSchema, (await t.api.get(`/api/chats/${chat.id}/messages?per_page=100`)).body)
      for (const message of page.data) {
        expect(message).toHaveProperty('quick_replies')
        if (message.quick_replies || message.buttons) interactive++
        if (message.tapped_action) taps++
      }
    }
    expect(interactive).toBeGreaterThanOrEqual(2)
    expect(taps).toBeGreaterThanOrEqual(3)
  })
})

import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ChatSchema, MessageSchema, ProfileSchema, type Chat, type Message } from '../../../shared/postproxy.ts'
import { messagingWindow, PRIVATE_REPLY_WINDOW_MS } from '../../../shared/messaging-window.ts'
import { sniffMediaType } from '../../../shared/media-rules.ts'
import { buildDemoScenario } from '../../../simulator/scenarios/index.ts'
import { collectingSink, fixedClock, NOW, type Collected } from './collecting-sink.ts'

const OPTIONS = { account: 'acct_demo', profileId: 'prof_demo', clock: fixedClock, seed: 7 }
const DAY = 24 * 60 * 60 * 1000

function demo(seed = OPTIONS.seed): Collected {
  const collected = collectingSink()
  buildDemoScenario(collected.sink, { ...OPTIONS, seed })
  return collected
}

const byChat = (c: Collected): Map<string, Message[]> => {
  const map = new Map<string, Message[]>(c.chats.map((chat) => [chat.id, []]))
  for (const message of c.messages) map.get(message.chat_id)!.push(message)
  return map
}

const newest = (values: (string | null | undefined)[]): string | null =>
  values.filter((v): v is string => typeof v === 'string').reduce<string | null>((a, b) => (a === null || Date.parse(b) > Date.parse(a) ? b : a), null)

describe('the demo scenario', () => {
  const c = demo()
  const messagesByChat = byChat(c)
  const chatOf = (message: Message): Chat => c.chats.find((chat) => chat.id === message.chat_id)!

  it('writes the creator profile first, then each chat before its messages', () => {
    expect(c.calls.find((call) => call.kind !== 'media')).toEqual({ kind: 'profile', id: 'prof_demo' })
    expect(c.profiles).toHaveLength(1)
    const profile = ProfileSchema.parse(c.profiles[0])
    expect(profile).toMatchObject({ id: 'prof_demo', platform: 'instagram', status: 'active' })
    expect(profile.name).toMatch(/\w/)
    const seen = new Set<string>()
    for (const call of c.calls) {
      if (call.kind === 'chat') seen.add(call.id)
      if (call.kind === 'message') expect(seen.has(c.messages.find((m) => m.id === call.id)!.chat_id)).toBe(true)
    }
  })

  it('is a believable inbox of about 40 chats, every object valid by the shared schemas', () => {
    expect(c.chats.length).toBeGreaterThanOrEqual(35)
    expect(c.chats.length).toBeLessThanOrEqual(45)
    for (const chat of c.chats) expect(ChatSchema.parse(chat)).toEqual(chat)
    for (const message of c.messages) expect(MessageSchema.parse(message)).toEqual(message)
    for (const chat of c.chats) {
      expect(chat.profile_id).toBe('prof_demo')
      expect(chat.platform).toBe('instagram')
      const count = messagesByChat.get(chat.id)!.length
      if (chat.last_inbound_at === null) continue
      expect(count).toBeGreaterThanOrEqual(3)
      expect(count).toBeLessThanOrEqual(30)
    }
    const counts = [...messagesByChat.values()].map((m) => m.length)
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(25)
    expect(new Set(c.chats.map((chat) => chat.participant_username)).size).toBe(c.chats.length)
    const directions = new Set(c.messages.map((m) => m.direction))
    expect(directions).toEqual(new Set(['inbound', 'outbound']))
  })

  it('uses unique, well-formed ids', () => {
    const ids = [...c.chats.map((x) => x.id), ...c.messages.map((m) => m.id), ...c.messages.flatMap((m) => (m.attachments ?? []).map((a) => a.id))]
    expect(new Set(ids).size).toBe(ids.length)
    for (const chat of c.chats) {
      expect(chat.id).toMatch(/^chat_[a-z0-9]+$/)
      expect(chat.participant_external_id).toMatch(/^igsid_\d+$/)
    }
    expect(new Set(c.chats.map((chat) => chat.participant_external_id)).size).toBe(c.chats.length)
    for (const message of c.messages) {
      expect(message.id).toMatch(/^msg_[a-z0-9]+$/)
      if (message.status !== 'failed') expect(message.external_id).toMatch(/^mid\.[a-z0-9]+$/)
      for (const attachment of message.attachments ?? []) expect(attachment.id).toMatch(/^att_[a-z0-9]+$/)
    }
    const mids = c.messages.map((m) => m.external_id).filter(Boolean)
    expect(new Set(mids).size).toBe(mids.length)
  })

  it("keeps each chat's last_* fields consistent with its messages, and everything in the past", () => {
    for (const chat of c.chats) {
      const messages = messagesByChat.get(chat.id)!
      const inbound = newest(messages.filter((m) => m.direction === 'inbound').map((m) => m.external_posted_at))
      const outbound = newest(messages.filter((m) => m.direction === 'outbound').map((m) => m.external_posted_at))
      expect(chat.last_inbound_at).toBe(inbound)
      expect(chat.last_outbound_at).toBe(outbound)
      expect(chat.last_message_at).toBe(newest([inbound, outbound]))
      for (const message of messages) {
        expect(Date.parse(chat.created_at)).toBeLessThanOrEqual(Date.parse(message.created_at))
        for (const stamp of [message.created_at, message.external_posted_at, message.external_delivered_at, message.external_read_at, message.external_deleted_at, message.external_edited_at]) {
          if (stamp) expect(Date.parse(stamp)).toBeLessThan(NOW)
        }
      }
      expect(Date.parse(chat.created_at)).toBeLessThan(NOW)
    }
  })

  it('puts chats in every messaging-window state', () => {
    const states = c.chats.map((chat) => messagingWindow(chat.last_inbound_at, NOW).state)
    const count = (state: string) => states.filter((s) => s === state).length
    expect(count('open')).toBeGreaterThanOrEqual(8)
    expect(count('closing_soon')).toBeGreaterThanOrEqual(2)
    expect(count('human_agent_only')).toBeGreaterThanOrEqual(3)
    expect(count('closed')).toBeGreaterThanOrEqual(3)
    const preCreated = c.chats.filter((chat) => chat.last_inbound_at === null)
    expect(preCreated.length).toBeGreaterThanOrEqual(1)
    for (const chat of preCreated) expect(messagesByChat.get(chat.id)!.filter((m) => m.direction === 'inbound')).toEqual([])
  })

  it('carries participant signals: verified accounts, big followings, follow flags, and none for a couple', () => {
    const withSignals = c.chats.filter((chat) => chat.metadata)
    expect(withSignals.filter((chat) => chat.metadata!.is_verified_user).length).toBeGreaterThanOrEqual(2)
    expect(withSignals.some((chat) => (chat.metadata!.follower_count ?? 0) >= 1_000_000)).toBe(true)
    expect(withSignals.some((chat) => (chat.metadata!.follower_count ?? 0) < 1000)).toBe(true)
    for (const flag of ['is_user_follow_business', 'is_business_follow_user'] as const) {
      expect(new Set(withSignals.map((chat) => chat.metadata![flag]))).toEqual(new Set([true, false]))
    }
    expect(c.chats.filter((chat) => chat.metadata === null).length).toBeGreaterThanOrEqual(2)
    const referred = c.chats.filter((chat) => chat.metadata?.referral)
    expect(referred.length).toBeGreaterThanOrEqual(1)
    expect(referred[0].metadata!.referral).toMatchObject({ ref: expect.any(String), source: 'SHORTLINK', type: 'OPEN_THREAD' })
    expect(referred[0].metadata!.last_referral_at).toBe(referred[0].metadata!.referral!.received_at)
  })

  it('has story replies and story mentions backed by mirrored media', () => {
    const replies = c.messages.filter((m) => m.platform_data?.story_reply)
    expect(replies.length).toBeGreaterThanOrEqual(2)
    for (const reply of replies) {
      expect(reply.direction).toBe('inbound')
      expect(reply.platform_data!.story_reply!.id).toMatch(/\w/)
      expect(sniffMediaType(c.mediaAt(reply.platform_data!.story_reply!.url)!.bytes)).toBe('image/png')
    }
    const mentions = c.messages.filter((m) => m.attachments?.some((a) => a.type === 'story_mention'))
    expect(mentions.length).toBeGreaterThanOrEqual(2)
    for (const mention of mentions) {
      expect(mention.direction).toBe('inbound')
      expect(sniffMediaType(c.mediaAt(mention.attachments![0].url)!.bytes)).toBe('image/png')
    }
  })

  it('has inbound and outbound images, all real, distinct PNGs, and outbound media without text', () => {
    const images = c.messages.filter((m) => m.attachments?.some((a) => a.type === 'image'))
    const inbound = images.filter((m) => m.direction === 'inbound')
    const outbound = images.filter((m) => m.direction === 'outbound')
    expect(inbound.length).toBeGreaterThanOrEqual(2)
    expect(outbound.length).toBeGreaterThanOrEqual(2)
    for (const message of outbound) expect(message.body).toBeNull()
    for (const message of c.messages) {
      for (const attachment of message.attachments ?? []) {
        const media = c.mediaAt(attachment.url)
        expect(media, `media behind ${attachment.url}`).toBeDefined()
        expect(media!.mime).toBe('image/png')
        expect(sniffMediaType(media!.bytes)).toBe('image/png')
        expect(attachment.status).toBe('processed')
      }
    }
    const digests = new Set([...c.media.values()].map((m) => createHash('sha256').update(m.bytes).digest('hex')))
    expect(digests.size).toBeGreaterThanOrEqual(c.media.size - 2)
    const avatars = c.chats.map((chat) => chat.participant_avatar_url).filter(Boolean)
    expect(avatars.length).toBeGreaterThan(10)
    for (const url of avatars) expect(sniffMediaType(c.mediaAt(url)!.bytes)).toBe('image/png')
    expect(c.chats.some((chat) => chat.participant_avatar_url === null)).toBe(true)
  })

  it('shows Instagram behaviours: unsend, edits, reactions both ways, receipts, a failed send, HUMAN_AGENT, unsupported', () => {
    const unsent = c.messages.filter((m) => m.external_deleted_at)
    expect(unsent.length).toBeGreaterThanOrEqual(1)
    for (const m of unsent) {
      expect(m.direction).toBe('inbound')
      expect(Date.parse(m.external_deleted_at!)).toBeGreaterThan(Date.parse(m.external_posted_at!))
    }
    expect(c.messages.some((m) => m.external_edited_at)).toBe(true)
    expect(c.messages.some((m) => m.is_unsupported)).toBe(true)

    const userLoves = c.messages.filter((m) => m.direction === 'outbound' && m.reactions?.some((r) => r.sender_external_id === chatOf(m).participant_external_id))
    const businessLoves = c.messages.filter((m) => m.direction === 'inbound' && (m.reactions?.length ?? 0) > 0)
    expect(userLoves.length).toBeGreaterThanOrEqual(3)
    expect(businessLoves.length).toBeGreaterThanOrEqual(3)
    for (const m of [...userLoves, ...businessLoves]) {
      expect(m.reactions).toHaveLength(1)
      expect(m.reactions![0]).toMatchObject({ reaction: 'love', emoji: '❤️' })
      expect(Date.parse(m.reactions![0].at!)).toBeGreaterThanOrEqual(Date.parse(m.external_posted_at!))
    }
    for (const m of businessLoves) expect(m.reactions![0].sender_external_id).not.toBe(chatOf(m).participant_external_id)

    const published = c.messages.filter((m) => m.direction === 'outbound' && m.status === 'published')
    expect(published.every((m) => m.external_delivered_at && Date.parse(m.external_delivered_at) >= Date.parse(m.external_posted_at!))).toBe(true)
    const read = published.filter((m) => m.external_read_at)
    expect(read.length).toBeGreaterThan(published.length / 2)
    expect(read.length).toBeLessThan(published.length)
    for (const m of read) expect(Date.parse(m.external_read_at!)).toBeGreaterThanOrEqual(Date.parse(m.external_delivered_at!))

    const failed = c.messages.filter((m) => m.status === 'failed')
    expect(failed.length).toBeGreaterThanOrEqual(1)
    for (const m of failed) {
      expect(m.direction).toBe('outbound')
      expect(m.error_message).toMatch(/window/)
      expect(m.external_id).toBeNull()
      expect(m.external_posted_at).toBeNull()
    }
    const humanAgent = c.messages.filter((m) => m.tag === 'HUMAN_AGENT')
    expect(humanAgent.length).toBeGreaterThanOrEqual(1)
    expect(humanAgent[0].status).toBe('published')
    expect(c.messages.some((m) => m.reply_to_external_id && c.messages.some((o) => o.external_id === m.reply_to_external_id))).toBe(true)
  })

  it('leaves comments for private replies, some still within 7 days and some older', () => {
    expect(c.comments.length).toBeGreaterThanOrEqual(10)
    const ages = c.comments.map((comment) => NOW - Date.parse(comment.posted_at))
    expect(ages.filter((age) => age > 0 && age < PRIVATE_REPLY_WINDOW_MS).length).toBeGreaterThanOrEqual(5)
    expect(ages.filter((age) => age > PRIVATE_REPLY_WINDOW_MS).length).toBeGreaterThanOrEqual(2)
    for (const comment of c.comments) {
      expect(comment).toMatchObject({ profile_id: 'prof_demo', platform: 'instagram', id: expect.stringMatching(/^cmt_/), post_id: expect.stringMatching(/^post_/) })
      expect(comment.external_id).toMatch(/^\d{17}$/)
      expect(comment.author_external_id).toMatch(/^(igsid_\d+|17841\d{10})$/)
      expect(comment.body.length).toBeGreaterThan(0)
      expect(Date.parse(comment.created_at)).toBeGreaterThanOrEqual(Date.parse(comment.posted_at))
      expect(Date.parse(comment.created_at)).toBeLessThan(NOW)
    }
  })

  it('has a handful of posts spread over the last weeks, each with its picture and permalink', () => {
    expect(c.posts.length).toBeGreaterThanOrEqual(4)
    expect(c.posts.length).toBeLessThanOrEqual(8)
    const ages = c.posts.map((post) => NOW - Date.parse(post.created_at))
    expect(Math.min(...ages)).toBeLessThan(2 * DAY)
    expect(Math.max(...ages)).toBeGreaterThan(14 * DAY)
    for (const post of c.posts) {
      expect(post).toMatchObject({ profile_id: 'prof_demo', platform: 'instagram', id: expect.stringMatching(/^post_/) })
      expect(post.external_id).toMatch(/^179\d{14}$/)
      expect(post.permalink).toMatch(/^https:\/\/www\.instagram\.com\/p\/[a-z0-9]{11}\/$/)
      expect(post.caption!.length).toBeGreaterThan(10)
      expect(sniffMediaType(c.mediaAt(post.media[0].url)!.bytes)).toBe('image/png')
    }
    expect(new Set(c.posts.map((post) => post.permalink)).size).toBe(c.posts.length)
  })

  it('has comments from people with a chat and from people who never wrote, with replies, likes and a hidden one', () => {
    const participants = new Set(c.chats.map((chat) => chat.participant_external_id))
    const top = c.comments.filter((comment) => comment.parent_external_id === null)
    const replies = c.comments.filter((comment) => comment.parent_external_id !== null)
    expect(top.filter((comment) => participants.has(comment.author_external_id)).length).toBeGreaterThanOrEqual(2)
    expect(top.filter((comment) => !participants.has(comment.author_external_id) && !comment.from_business).length).toBeGreaterThanOrEqual(4)
    expect(replies.length).toBeGreaterThanOrEqual(3)
    expect(replies.some((reply) => reply.from_business)).toBe(true)
    expect(replies.some((reply) => !reply.from_business)).toBe(true)
    expect(c.comments.some((comment) => comment.liked_by_business)).toBe(true)
    expect(c.comments.some((comment) => comment.is_hidden)).toBe(true)
    const byExternalId = new Map(c.comments.map((comment) => [comment.external_id, comment]))
    expect(byExternalId.size).toBe(c.comments.length)
    for (const comment of c.comments) {
      const post = c.posts.find((p) => p.id === comment.post_id)!
      expect(Date.parse(comment.posted_at)).toBeGreaterThan(Date.parse(post.created_at))
      expect(comment.permalink).toBe(`${post.permalink}c/${comment.external_id}/`)
      if (comment.parent_external_id) {
        const parent = byExternalId.get(comment.parent_external_id)!
        expect(parent.parent_external_id).toBeNull()
        expect(parent.post_id).toBe(comment.post_id)
        expect(Date.parse(comment.posted_at)).toBeGreaterThan(Date.parse(parent.posted_at))
      }
      if (comment.from_business) expect(comment.author_external_id).toBe(c.profiles[0].external_id)
      if (comment.liked_by_business) expect(comment.like_count).toBeGreaterThanOrEqual(1)
    }
    // Comments come after their post, replies after their parent.
    const order = c.calls.map((call) => call.id)
    for (const comment of c.comments) {
      expect(order.indexOf(comment.id)).toBeGreaterThan(order.indexOf(comment.post_id))
      if (comment.parent_external_id) expect(order.indexOf(comment.id)).toBeGreaterThan(order.indexOf(byExternalId.get(comment.parent_external_id)!.id))
    }
  })

  it('shows the interactive DMs: quick replies and their tap, a button card and its tap, reply-to pairs, an ice-breaker tap', () => {
    const withQuickReplies = c.messages.filter((m) => m.quick_replies)
    expect(withQuickReplies.length).toBeGreaterThanOrEqual(1)
    for (const m of withQuickReplies) expect(m).toMatchObject({ direction: 'outbound', status: 'published' })
    const quickTap = c.messages.find((m) => m.tapped_action?.kind === 'quick_reply')!
    const offered = withQuickReplies.find((m) => m.chat_id === quickTap.chat_id)!
    expect(offered.quick_replies!.map((r) => r.payload)).toContain(quickTap.tapped_action!.payload)
    expect(quickTap).toMatchObject({ direction: 'inbound', body: quickTap.tapped_action!.title })
    expect(Date.parse(quickTap.external_posted_at!)).toBeGreaterThan(Date.parse(offered.external_posted_at!))

    const withButtons = c.messages.find((m) => m.buttons)!
    expect(withButtons.buttons!.map((b) => b.type).sort()).toEqual(['postback', 'web_url'])
    expect(withButtons.card).toMatchObject({ subtitle: expect.any(String) })
    expect(withButtons.body!.length).toBeLessThanOrEqual(80)
    const buttonTap = c.messages.find((m) => m.tapped_action?.kind === 'postback' && m.chat_id === withButtons.chat_id)!
    expect(withButtons.buttons!.find((b) => b.type === 'postback')!.payload).toBe(buttonTap.tapped_action!.payload)

    const byExternalId = new Map(c.messages.filter((m) => m.external_id).map((m) => [m.external_id!, m]))
    const answers = c.messages.filter((m) => m.reply_to_external_id)
    const answered = (m: Message) => byExternalId.get(m.reply_to_external_id!)!
    for (const m of answers) expect(answered(m).chat_id).toBe(m.chat_id)
    expect(answers.some((m) => m.direction === 'inbound' && answered(m).direction === 'outbound')).toBe(true)
    expect(answers.some((m) => m.direction === 'outbound' && answered(m).direction === 'inbound')).toBe(true)

    const breakers = c.iceBreakers.get('prof_demo')!
    expect(breakers.length).toBeGreaterThanOrEqual(1)
    expect(breakers.length).toBeLessThanOrEqual(4)
    const iceTap = c.messages.find((m) => breakers.some((b) => b.payload === m.tapped_action?.payload))!
    expect(iceTap.tapped_action).toEqual({ kind: 'postback', payload: expect.any(String), title: breakers.find((b) => b.payload === iceTap.tapped_action!.payload)!.question })
    // It opened the conversation.
    const chatMessages = messagesByChat.get(iceTap.chat_id)!
    expect(chatMessages.reduce((first, m) => (Date.parse(m.created_at) < Date.parse(first.created_at) ? m : first)).id).toBe(iceTap.id)

    for (const m of c.messages) {
      expect(m).toHaveProperty('quick_replies')
      expect(m).toHaveProperty('tapped_action')
      if (m.direction === 'outbound') expect(m.tapped_action).toBeNull()
      else expect(m.quick_replies).toBeNull()
    }
  })

  it('is the same for the same seed and different for another', () => {
    const again = demo()
    expect(again.calls).toEqual(c.calls)
    expect(again.chats).toEqual(c.chats)
    expect(again.messages).toEqual(c.messages)
    expect(again.posts).toEqual(c.posts)
    expect(again.comments).toEqual(c.comments)
    expect([...again.iceBreakers]).toEqual([...c.iceBreakers])
    expect([...again.media.entries()]).toEqual([...c.media.entries()])

    const other = demo(8)
    expect(other.chats.map((chat) => chat.participant_username)).toEqual(c.chats.map((chat) => chat.participant_username))
    expect(other.chats.map((chat) => chat.id)).not.toEqual(c.chats.map((chat) => chat.id))
    expect(other.messages.map((m) => m.external_posted_at)).not.toEqual(c.messages.map((m) => m.external_posted_at))
  })

  it('gives another account the same inbox under ids of its own (the simulator\'s ids are global)', () => {
    const other = collectingSink()
    buildDemoScenario(other.sink, { ...OPTIONS, account: 'acct_other', profileId: 'prof_other' })
    expect(other.messages.map((m) => m.body)).toEqual(c.messages.map((m) => m.body))
    const idsOf = (x: Collected) => [
      ...x.chats.map((chat) => chat.id),
      ...x.messages.map((m) => m.id),
      ...x.media.keys(),
      ...x.posts.map((p) => p.id),
      ...x.comments.map((cm) => cm.id)
    ]
    const mine = new Set(idsOf(c))
    expect(idsOf(other).filter((id) => mine.has(id))).toEqual([])
  })

  it('places everything relative to the clock it is given', () => {
    const later = collectingSink()
    const dayMs = 24 * 60 * 60 * 1000
    buildDemoScenario(later.sink, { ...OPTIONS, clock: { now: () => NOW + dayMs } })
    expect(later.messages.map((m) => m.created_at)).toEqual(c.messages.map((m) => new Date(Date.parse(m.created_at) + dayMs).toISOString()))
  })
})

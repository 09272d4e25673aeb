import { describe, expect, it } from 'vitest'
import { ChatSchema, MessageSchema, type Chat, type Message } from '../../../shared/postproxy.ts'
import type { ScenarioSink } from '../../../simulator/contracts.ts'
import { buildEmptyScenario, buildScaleScenario } from '../../../simulator/scenarios/index.ts'
import { collectingSink, fixedClock, NOW } from './collecting-sink.ts'

const base = { account: 'acct_scale', profileId: 'prof_scale', clock: fixedClock, seed: 2024 }

describe('the scale scenario', () => {
  it('hands 10,000 x 100 messages to the sink quickly, with unique ids', () => {
    const messageIds = new Set<string>()
    const chatIds = new Set<string>()
    let profiles = 0
    let sampled = 0
    const sink: ScenarioSink = {
      profile: () => void profiles++,
      chat: (chat) => void chatIds.add(chat.id),
      message: (message) => {
        messageIds.add(message.id)
        // Parsing a million objects would time the schema, not the generator: check every 997th.
        if (messageIds.size % 997 === 0) {
          MessageSchema.parse(message)
          sampled++
        }
      },
      post: () => {
        throw new Error('the scale scenario writes no posts')
      },
      comment: () => {
        throw new Error('the scale scenario writes no comments')
      },
      iceBreakers: () => {
        throw new Error('the scale scenario sets no ice breakers')
      },
      media: () => {
        throw new Error('the scale scenario stores no media')
      }
    }
    const started = performance.now()
    const summary = buildScaleScenario(sink, { ...base, chats: 10_000, messagesPerChat: 100 })
    const seconds = (performance.now() - started) / 1000
    console.log(`scale scenario: 10,000 chats x 100 messages handed to the sink in ${seconds.toFixed(2)} s`)

    expect(profiles).toBe(1)
    expect(chatIds.size).toBe(10_000)
    expect(messageIds.size).toBe(1_000_000)
    expect(sampled).toBe(Math.floor(1_000_000 / 997))
    expect(summary).toMatchObject({ chats: 10_000, messages: 1_000_000, posts: 0, comments: 0 })
  }, 120_000)

  describe('a small inbox', () => {
    const collected = collectingSink()
    buildScaleScenario(collected.sink, { ...base, chats: 60, messagesPerChat: 25 })

    it('writes the profile, then every chat before its messages, all valid by the shared schemas', () => {
      expect(collected.calls[0]).toEqual({ kind: 'profile', id: 'prof_scale' })
      expect(collected.profiles[0]).toMatchObject({ id: 'prof_scale', platform: 'instagram', status: 'active' })
      expect(collected.chats).toHaveLength(60)
      expect(collected.messages).toHaveLength(60 * 25)
      for (const chat of collected.chats) expect(ChatSchema.parse(chat)).toEqual(chat)
      for (const message of collected.messages) expect(MessageSchema.parse(message)).toEqual(message)
      let currentChat: string | null = null
      for (const call of collected.calls.slice(1)) {
        if (call.kind === 'chat') currentChat = call.id
        else expect(collected.messages.find((m) => m.id === call.id)!.chat_id).toBe(currentChat)
      }
    })

    it("keeps each chat's last_* fields consistent with its messages", () => {
      const newest = (messages: Message[], direction: string): string | null =>
        messages
          .filter((m) => m.direction === direction)
          .map((m) => m.external_posted_at!)
          .sort()
          .at(-1) ?? null
      for (const chat of collected.chats) {
        const messages = collected.messages.filter((m) => m.chat_id === chat.id)
        expect(messages[0].direction).toBe('inbound')
        expect(chat.last_inbound_at).toBe(newest(messages, 'inbound'))
        expect(chat.last_outbound_at).toBe(newest(messages, 'outbound'))
        expect(chat.last_message_at).toBe([chat.last_inbound_at, chat.last_outbound_at].filter(Boolean).sort().at(-1))
        expect(Date.parse(chat.last_message_at!)).toBeLessThan(NOW)
      }
    })

    it('varies directions, text, people and their signals', () => {
      const outboundShare = collected.messages.filter((m) => m.direction === 'outbound').length / collected.messages.length
      expect(outboundShare).toBeGreaterThan(0.2)
      expect(outboundShare).toBeLessThan(0.8)
      expect(new Set(collected.messages.map((m) => m.body)).size).toBeGreaterThan(500)
      expect(new Set(collected.chats.map((c) => c.participant_username)).size).toBeGreaterThan(40)
      const metadata = collected.chats.map((c: Chat) => c.metadata)
      expect(new Set(metadata.map((m) => m?.follower_count)).size).toBeGreaterThan(40)
      expect(new Set(metadata.map((m) => m?.is_user_follow_business))).toEqual(new Set([true, false, undefined]))
      const outbound = collected.messages.filter((m) => m.direction === 'outbound')
      expect(outbound.every((m) => m.status === 'published' && m.external_delivered_at)).toBe(true)
    })

    it('is the same for the same seed and different for another', () => {
      const again = collectingSink()
      buildScaleScenario(again.sink, { ...base, chats: 60, messagesPerChat: 25 })
      expect(again.chats).toEqual(collected.chats)
      expect(again.messages).toEqual(collected.messages)
      const other = collectingSink()
      buildScaleScenario(other.sink, { ...base, seed: 2025, chats: 60, messagesPerChat: 25 })
      expect(other.messages.map((m) => m.id)).not.toEqual(collected.messages.map((m) => m.id))
      expect(other.messages.map((m) => m.body)).not.toEqual(collected.messages.map((m) => m.body))
    })
  })

  it('refuses counts that are not whole numbers, and accepts zero', () => {
    expect(() => buildScaleScenario(collectingSink().sink, { ...base, chats: -1, messagesPerChat: 5 })).toThrow(/number of chats/)
    expect(() => buildScaleScenario(collectingSink().sink, { ...base, chats: 2, messagesPerChat: 1.5 })).toThrow(/messages per chat/)
    const none = collectingSink()
    buildScaleScenario(none.sink, { ...base, chats: 0, messagesPerChat: 10 })
    expect([none.profiles.length, none.chats.length, none.messages.length]).toEqual([1, 0, 0])
  })
})

describe('the empty scenario', () => {
  it('writes only the profile', () => {
    const collected = collectingSink()
    const summary = buildEmptyScenario(collected.sink, base)
    expect(collected.calls).toEqual([{ kind: 'profile', id: 'prof_scale' }])
    expect(collected.profiles[0]).toMatchObject({ id: 'prof_scale', platform: 'instagram', status: 'active', avatar_url: null })
    expect(summary).toMatchObject({ chats: 0, messages: 0, comments: 0 })
  })
})

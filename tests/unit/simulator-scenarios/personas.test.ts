import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Chat, Message } from '../../../shared/postproxy.ts'
import type { CommentInput, InboundInput, PersonaOptions, SimComment, SimControl, SimPost } from '../../../simulator/contracts.ts'
import { startPersonas } from '../../../simulator/scenarios/index.ts'

const NOW = Date.parse('2026-06-01T12:00:00.000Z')

interface Call {
  op: keyof SimControl
  args: unknown[]
}

/** An in-memory SimControl that behaves like the simulator's state and records every call. */
class FakeControl implements SimControl {
  readonly calls: Call[] = []
  readonly chats: Chat[] = []
  readonly messages: Message[] = []
  readonly comments: SimComment[] = []
  readonly posts: SimPost[] = [
    {
      id: 'post_1',
      profile_id: 'prof_1',
      platform: 'instagram',
      external_id: '17900000000000001',
      caption: 'New mugs',
      media: [],
      permalink: null,
      created_at: new Date(NOW - 86_400_000).toISOString()
    }
  ]
  failing = false
  #counter = 0
  #waiters: { count: number; resolve: () => void }[] = []

  constructor() {
    for (let c = 0; c < 3; c++) {
      const chat = this.#chat(`igsid_${c}`, `person.${c}`)
      this.#message(chat, 'inbound', NOW - 3_600_000)
      this.#message(chat, 'outbound', NOW - 3_000_000, { external_delivered_at: new Date(NOW - 2_990_000).toISOString() })
      this.#message(chat, 'outbound', NOW - 2_000_000)
    }
  }

  #chat(participant: string, username: string | null): Chat {
    const chat: Chat = {
      id: `chat_${this.chats.length}`,
      profile_id: 'prof_1',
      platform: 'instagram',
      participant_external_id: participant,
      participant_username: username,
      participant_name: null,
      last_message_at: null,
      created_at: new Date(NOW - 7_200_000).toISOString()
    }
    this.chats.push(chat)
    return chat
  }

  #message(chat: Chat, direction: 'inbound' | 'outbound', at: number, extra: Partial<Message> = {}): Message {
    const message: Message = {
      id: `msg_${++this.#counter}`,
      chat_id: chat.id,
      direction,
      status: direction === 'inbound' ? 'received' : 'published',
      external_posted_at: new Date(at).toISOString(),
      reactions: [],
      created_at: new Date(at).toISOString(),
      ...extra
    }
    this.messages.push(message)
    chat.last_message_at = message.external_posted_at
    return message
  }

  #record(op: keyof SimControl, args: unknown[]): void {
    this.calls.push({ op, args })
    this.#waiters = this.#waiters.filter((waiter) => {
      if (this.calls.length < waiter.count) return true
      waiter.resolve()
      return false
    })
    if (this.failing) throw new Error(`${op} failed on purpose`)
  }

  #find(id: string): Message {
    const message = this.messages.find((m) => m.id === id)
    if (!message) throw new Error('Not found')
    return message
  }

  waitForCalls(count: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.calls.length >= count) resolve()
      else this.#waiters.push({ count, resolve })
    })
  }

  injectInbound(account: string, profileId: string, input: InboundInput): Message {
    this.#record('injectInbound', [account, profileId, input])
    const chat =
      this.chats.find((c) => c.participant_external_id === input.participant_external_id) ??
      this.#chat(input.participant_external_id, input.participant_username ?? null)
    return this.#message(chat, 'inbound', NOW, { body: input.body ?? null })
  }

  userReaction(account: string, messageId: string, action: 'react' | 'unreact', emoji?: string): Message {
    this.#record('userReaction', emoji === undefined ? [account, messageId, action] : [account, messageId, action, emoji])
    const message = this.#find(messageId)
    const sender = this.chats.find((c) => c.id === message.chat_id)!.participant_external_id
    message.reactions = action === 'react' ? [{ sender_external_id: sender, reaction: 'love', emoji: '❤️', at: null }] : []
    return message
  }

  markDelivered(account: string, messageId: string): Message {
    this.#record('markDelivered', [account, messageId])
    const message = this.#find(messageId)
    message.external_delivered_at = new Date(NOW).toISOString()
    return message
  }

  markRead(account: string, messageId: string): Message {
    this.#record('markRead', [account, messageId])
    const message = this.#find(messageId)
    message.external_read_at = new Date(NOW).toISOString()
    return message
  }

  unsend(account: string, messageId: string): Message {
    this.#record('unsend', [account, messageId])
    const message = this.#find(messageId)
    message.external_deleted_at = new Date(NOW).toISOString()
    return message
  }

  listChats(account: string, profileId: string): Chat[] {
    this.#record('listChats', [account, profileId])
    return [...this.chats]
  }

  listMessages(account: string, chatId: string, limit: number): Message[] {
    this.#record('listMessages', [account, chatId, limit])
    return this.messages.filter((m) => m.chat_id === chatId).reverse().slice(0, limit)
  }

  createComment(account: string, profileId: string, input: CommentInput): SimComment {
    this.#record('createComment', [account, profileId, input])
    const parent = this.comments.find((c) => c.id === input.parent_id)
    const comment: SimComment = {
      id: `cmt_${++this.#counter}`,
      external_id: `178${String(this.#counter).padStart(14, '0')}`,
      post_id: input.post_id ?? 'post_1',
      profile_id: profileId,
      platform: 'instagram',
      parent_external_id: parent?.external_id ?? null,
      body: input.text,
      author_external_id: input.participant_external_id,
      author_username: input.participant_username ?? null,
      author_name: input.participant_name ?? null,
      author_avatar_url: null,
      from_business: false,
      like_count: 0,
      liked_by_business: false,
      is_hidden: false,
      permalink: null,
      posted_at: new Date(NOW).toISOString(),
      created_at: new Date(NOW).toISOString()
    }
    this.comments.push(comment)
    return comment
  }

  recentPosts(account: string, profileId: string, limit: number): SimPost[] {
    this.#record('recentPosts', [account, profileId, limit])
    return this.posts.slice(0, limit)
  }

  recentComments(account: string, postId: string, limit: number): SimComment[] {
    this.#record('recentComments', [account, postId, limit])
    return this.comments.filter((c) => c.post_id === postId && c.parent_external_id === null).reverse().slice(0, limit)
  }
}

const WRITES: (keyof SimControl)[] = ['injectInbound', 'userReaction', 'markDelivered', 'markRead', 'unsend', 'createComment']

function options(control: SimControl, meanIntervalMs: number, seed = 11, platform?: string): PersonaOptions {
  return { account: 'acct_demo', profileId: 'prof_1', platform, control, clock: { now: () => NOW }, seed, meanIntervalMs }
}

const writes = (control: FakeControl): Call[] => control.calls.filter((call) => WRITES.includes(call.op))

let running: { stop(): void } | undefined
afterEach(() => {
  running?.stop()
  running = undefined
  vi.useRealTimers()
})

describe('the demo personas', () => {
  it('write, react, read, unsend and comment through the control API at short intervals', async () => {
    const control = new FakeControl()
    running = startPersonas(options(control, 2))
    // Bounded: 1500 control calls, each action making a handful.
    await Promise.race([
      control.waitForCalls(1500),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${control.calls.length} control calls within 10 s`)), 10_000))
    ])
    running.stop()

    const ops = new Set(writes(control).map((call) => call.op))
    expect(ops).toEqual(new Set(WRITES))
    for (const call of control.calls) expect(call.args[0]).toBe('acct_demo')
    const injected = writes(control).filter((call) => call.op === 'injectInbound').map((call) => call.args[2] as InboundInput)
    expect(injected.some((input) => /^igsid_\d+$/.test(input.participant_external_id) && input.metadata)).toBe(true)
    expect(injected.some((input) => input.media && 'bytes' in input.media && input.media.mime === 'image/png')).toBe(true)
    expect(injected.some((input) => input.participant_external_id === 'igsid_0' && input.body)).toBe(true)
    const reactions = writes(control).filter((call) => call.op === 'userReaction').map((call) => call.args[2])
    expect(new Set(reactions)).toEqual(new Set(['react', 'unreact']))
    // Only the studio's delivered messages get reactions and receipts.
    for (const call of writes(control).filter((c) => c.op === 'userReaction' || c.op === 'markRead')) {
      expect(control.messages.find((m) => m.id === call.args[1])!.direction).toBe('outbound')
    }
    for (const call of writes(control).filter((c) => c.op === 'unsend')) {
      expect(control.messages.find((m) => m.id === call.args[1])!.direction).toBe('inbound')
    }
    // Comments go on the studio's posts, from people in the inbox and from newcomers, some as replies.
    const comments = writes(control).filter((call) => call.op === 'createComment').map((call) => call.args[2] as CommentInput)
    expect(comments.every((input) => input.post_id === 'post_1' && input.text.length > 0)).toBe(true)
    const hasChat = (input: CommentInput) => control.chats.some((chat) => chat.participant_external_id === input.participant_external_id)
    expect(comments.some(hasChat)).toBe(true)
    expect(comments.some((input) => !hasChat(input) && /^igsid_\d{16}$/.test(input.participant_external_id))).toBe(true)
    expect(control.comments.some((comment) => comment.parent_external_id !== null)).toBe(true)
  })

  it('stop() halts them: no timer left and no action after it', () => {
    vi.useFakeTimers()
    const control = new FakeControl()
    running = startPersonas(options(control, 1000))
    expect(vi.getTimerCount()).toBe(1)
    vi.advanceTimersByTime(20_000)
    const before = control.calls.length
    expect(writes(control).length).toBeGreaterThanOrEqual(8)
    running.stop()
    expect(vi.getTimerCount()).toBe(0)
    vi.advanceTimersByTime(60_000)
    expect(control.calls.length).toBe(before)
  })

  it('keep going when control calls fail, without throwing', () => {
    vi.useFakeTimers()
    const control = new FakeControl()
    control.failing = true
    running = startPersonas(options(control, 100))
    expect(() => vi.advanceTimersByTime(5_000)).not.toThrow()
    expect(control.calls.length).toBeGreaterThanOrEqual(20)
    expect(vi.getTimerCount()).toBe(1)
  })

  it('do the same things for the same seed, and other things for another', () => {
    vi.useFakeTimers()
    const run = (seed: number): string[] => {
      const control = new FakeControl()
      const personas = startPersonas(options(control, 500, seed))
      vi.advanceTimersByTime(30_000)
      personas.stop()
      return writes(control).map((call) => `${call.op}:${call.args[1]}:${JSON.stringify(call.args[2] ?? null).slice(0, 80)}`)
    }
    const first = run(11)
    expect(first.length).toBeGreaterThan(10)
    expect(run(11)).toEqual(first)
    expect(run(12)).not.toEqual(first)
  })

  it('on a Messenger profile: newcomers by PSID without signals, no story mentions or unsends, reactions with any emoji', () => {
    vi.useFakeTimers()
    const control = new FakeControl()
    running = startPersonas(options(control, 50, 11, 'facebook'))
    vi.advanceTimersByTime(60_000)
    running.stop()
    const ops = new Set(writes(control).map((call) => call.op))
    expect(ops.has('unsend')).toBe(false)
    const injected = writes(control).filter((call) => call.op === 'injectInbound').map((call) => call.args[2] as InboundInput)
    const newcomers = injected.filter((input) => !input.participant_external_id.startsWith('igsid_'))
    expect(newcomers.length).toBeGreaterThan(0)
    for (const input of newcomers) {
      expect(input.participant_external_id).toMatch(/^[1-9]\d{15}$/)
      expect(input.participant_username ?? null).toBeNull()
    }
    expect(injected.every((input) => !input.metadata && !input.story_mention)).toBe(true)
    const emoji = writes(control).filter((call) => call.op === 'userReaction' && call.args[2] === 'react').map((call) => call.args[3])
    expect(emoji.length).toBeGreaterThan(0)
    expect(emoji.every((value) => ['👍', '❤️', '😆', '😮'].includes(value as string))).toBe(true)
    const commenters = writes(control).filter((call) => call.op === 'createComment').map((call) => call.args[2] as CommentInput)
    expect(commenters.every((input) => !/^igsid_\d{16}$/.test(input.participant_external_id))).toBe(true)
  })

  it('refuse a mean interval that is not a positive number', () => {
    expect(() => startPersonas(options(new FakeControl(), 0))).toThrow(/meanIntervalMs/)
    expect(() => startPersonas(options(new FakeControl(), Number.NaN))).toThrow(/meanIntervalMs/)
  })
})

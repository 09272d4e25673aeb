import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Chat } from '../../../shared/postproxy.ts'
import { at, makeChat, makeMessage, openTempStore, type TempStore } from './store-fixtures.ts'

let temp: TempStore
beforeEach(() => {
  temp = openTempStore()
})
afterEach(() => temp.cleanup())

describe('chat upserts', () => {
  it('is idempotent and keeps participant signals and unknown keys when a later version lacks them', () => {
    const { chats } = temp.store
    const full = {
      ...makeChat({
        id: 'chat_1', participant_name: 'Jane Doe', participant_username: 'jane_doe',
        metadata: { is_verified_user: true, follower_count: 482, is_user_follow_business: true, is_business_follow_user: false, referral: { ref: 'promo', source: 'ADS', type: 'OPEN_THREAD', received_at: at(0) }, badge_color: 'gold' }
      }),
      inbox_label: 'vip'
    } as Chat
    expect(chats.upsertChat(full).inserted).toEqual(['chat_1'])
    expect(chats.upsertChat(full)).toEqual({ inserted: [], updated: [] })

    chats.upsertChat(makeChat({ id: 'chat_1', participant_name: 'Jane D.', metadata: null }))
    const chat = chats.getChat('chat_1')?.chat as Record<string, unknown> & Chat
    expect(chat.participant_name).toBe('Jane D.')
    expect(chat.participant_username).toBe('jane_doe')
    expect(chat.metadata).toMatchObject({ is_verified_user: true, follower_count: 482, is_user_follow_business: true, is_business_follow_user: false, badge_color: 'gold' })
    expect(chat.metadata?.referral).toMatchObject({ ref: 'promo' })
    expect(chat.inbox_label).toBe('vip')
  })

  it('finds a chat by its external conversation id too', () => {
    temp.store.chats.upsertChat(makeChat({ id: 'chat_1', external_conversation_id: 't_123' }))
    expect(temp.store.chats.getChat('t_123')?.chat.id).toBe('chat_1')
  })
})

describe('the chat list', () => {
  function seedChats(count: number): void {
    const list: Chat[] = []
    for (let i = 0; i < count; i++) {
      // Pairs share last_message_at so the id tie-break matters.
      list.push(makeChat({ id: `chat_${String(i).padStart(3, '0')}`, last_message_at: at(Math.floor(i / 2)), created_at: at(-100) }))
    }
    temp.store.chats.upsertChats(list)
  }

  it('lists newest activity first with id as tie-break, and pages with a cursor without gaps or repeats', () => {
    seedChats(25)
    const ids: string[] = []
    let after = undefined
    for (let page = 0; page < 10; page++) {
      const result = temp.store.chats.listChats({ limit: 7, after })
      ids.push(...result.chats.map((item) => item.chat.id))
      if (!result.nextCursor) break
      after = result.nextCursor
    }
    const expected = Array.from({ length: 25 }, (_, i) => `chat_${String(i).padStart(3, '0')}`).reverse()
    expect(ids).toEqual(expected)
  })

  it('shows the last message as a preview and the draft', () => {
    const { chats, messages, drafts } = temp.store
    chats.upsertChat(makeChat({ id: 'chat_1' }))
    messages.upsertMessages([
      makeMessage({ id: 'm1', chat_id: 'chat_1', body: 'older', external_posted_at: at(1) }),
      makeMessage({ id: 'm2', chat_id: 'chat_1', body: null, external_posted_at: at(2), attachments: [{ id: 'a1', type: 'image', url: 'https://x/1.jpg', status: 'processed', external_id: null }] })
    ])
    drafts.set('chat_1', 'half-written reply')
    const item = chats.listChats().chats[0]
    expect(item.lastMessage).toMatchObject({ body: null, attachmentType: 'image', direction: 'inbound', deleted: false })
    expect(item.draft).toBe('half-written reply')
    messages.upsertMessage(makeMessage({ id: 'm3', chat_id: 'chat_1', body: 'unsent', external_posted_at: at(3), external_deleted_at: at(4) }))
    expect(chats.listChats().chats[0].lastMessage).toMatchObject({ body: null, deleted: true })
  })

  it('filters by unread, verified, follower count and open window, and combines filters', () => {
    const { chats, messages } = temp.store
    const now = Date.parse(at(24 * 60))
    chats.upsertChats([
      makeChat({ id: 'verified_big', metadata: { is_verified_user: true, follower_count: 50_000 }, last_inbound_at: at(23 * 60) }),
      makeChat({ id: 'small', metadata: { is_verified_user: false, follower_count: 120 }, last_inbound_at: at(-60) }),
      makeChat({ id: 'unknown_signals', metadata: null, last_inbound_at: null }),
      makeChat({ id: 'verified_small', metadata: { is_verified_user: true, follower_count: 10 }, last_inbound_at: at(2 * 60) })
    ])
    messages.upsertMessage(makeMessage({ id: 'm_small', chat_id: 'small', external_posted_at: at(-60) }))
    messages.upsertMessage(makeMessage({ id: 'm_vs', chat_id: 'verified_small', external_posted_at: at(2 * 60) }))
    chats.markRead('verified_small')

    const ids = (options: Parameters<typeof chats.listChats>[0]) => chats.listChats(options).chats.map((item) => item.chat.id).sort()
    expect(ids({ verifiedOnly: true })).toEqual(['verified_big', 'verified_small'])
    expect(ids({ minFollowers: 100 })).toEqual(['small', 'verified_big'])
    // Open window: last inbound less than 24 h before `now`.
    expect(ids({ windowOpenAt: now })).toEqual(['verified_big', 'verified_small'])
    expect(ids({ unreadOnly: true })).toEqual(['small'])
    expect(ids({ verifiedOnly: true, minFollowers: 1000, windowOpenAt: now })).toEqual(['verified_big'])
    expect(ids({ profileId: 'prof_other' })).toEqual([])
  })
})

describe('unread counts', () => {
  beforeEach(() => {
    temp.store.chats.upsertChats([makeChat({ id: 'a' }), makeChat({ id: 'b' })])
  })

  it('counts inbound messages after the read marker; outbound and unsent ones never count', () => {
    const { chats, messages } = temp.store
    messages.upsertMessages([
      makeMessage({ id: 'a1', chat_id: 'a', external_posted_at: at(1) }),
      makeMessage({ id: 'a2', chat_id: 'a', external_posted_at: at(2) }),
      makeMessage({ id: 'a3', chat_id: 'a', external_posted_at: at(3), direction: 'outbound', status: 'published' }),
      makeMessage({ id: 'a4', chat_id: 'a', external_posted_at: at(4), external_deleted_at: at(5) }),
      makeMessage({ id: 'b1', chat_id: 'b', external_posted_at: at(1) })
    ])
    expect(chats.unreadCount('a')).toBe(2)
    expect(chats.totalUnread()).toBe(3)

    expect(chats.markRead('a')).toBe(true)
    expect(chats.unreadCount('a')).toBe(0)
    expect(chats.totalUnread()).toBe(1)

    messages.upsertMessage(makeMessage({ id: 'a5', chat_id: 'a', external_posted_at: at(10) }))
    expect(chats.unreadCount('a')).toBe(1)
    // Old history arriving later (scrolling up) is not new.
    messages.upsertMessage(makeMessage({ id: 'a0', chat_id: 'a', external_posted_at: at(-10) }))
    expect(chats.unreadCount('a')).toBe(1)
    expect(chats.listChats().chats.find((item) => item.chat.id === 'a')?.unreadCount).toBe(1)
  })

  it('mark unread makes exactly the newest inbound message unread again, and at least one', () => {
    const { chats, messages } = temp.store
    messages.upsertMessages([
      makeMessage({ id: 'a1', chat_id: 'a', external_posted_at: at(1) }),
      // Same timestamp as a1: only the newest row counts.
      makeMessage({ id: 'a2', chat_id: 'a', external_posted_at: at(1) }),
      makeMessage({ id: 'a3', chat_id: 'a', external_posted_at: at(3), direction: 'outbound', status: 'published' })
    ])
    chats.markRead('a')
    expect(chats.markUnread('a')).toBe(true)
    expect(chats.unreadCount('a')).toBe(1)
    messages.upsertMessage(makeMessage({ id: 'a4', chat_id: 'a', external_posted_at: at(4) }))
    expect(chats.unreadCount('a')).toBe(2)
    chats.markRead('a')
    expect(chats.unreadCount('a')).toBe(0)

    // A chat without any inbound message still shows one unread when marked.
    chats.markUnread('b')
    expect(chats.unreadCount('b')).toBe(1)
    expect(chats.listChats({ unreadOnly: true }).chats.map((item) => item.chat.id)).toEqual(['b'])
    expect(chats.totalUnread()).toBe(1)
    chats.markRead('b')
    expect(chats.totalUnread()).toBe(0)
  })

  it('marks all chats of a profile read at once', () => {
    const { chats, messages } = temp.store
    chats.upsertChat(makeChat({ id: 'c', profile_id: 'prof_2' }))
    messages.upsertMessages(['a', 'b', 'c'].map((chatId) => makeMessage({ id: `m_${chatId}`, chat_id: chatId })))
    expect(chats.totalUnread()).toBe(3)
    chats.markAllRead('prof_1')
    expect(chats.totalUnread()).toBe(1)
    expect(chats.totalUnread()).toBe(1)
    expect(chats.unreadByProfile()).toEqual({ prof_2: 1 })
    expect(chats.markRead('missing')).toBe(false)
  })
})

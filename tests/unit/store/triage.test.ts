// Triage state in the cache: views, pins, the way a chat comes back (snooze end, a new inbound message),
// labels with the other filters, the badge, and that a sync's chat upsert never resets any of it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ChatListOptions } from '../../../electron/inbox/store/index.ts'
import { at, makeChat, makeMessage, openTempStore, type TempStore } from './store-fixtures.ts'

let temp: TempStore
beforeEach(() => {
  temp = openTempStore()
  // a (newest) … e (oldest), each with one inbound message.
  const names = ['a', 'b', 'c', 'd', 'e']
  temp.store.chats.upsertChats(names.map((id, i) => makeChat({ id, last_message_at: at(10 - i), last_inbound_at: at(10 - i) })))
  temp.store.messages.upsertMessages(names.map((id, i) => makeMessage({ id: `m_${id}`, chat_id: id, external_posted_at: at(10 - i) })))
})
afterEach(() => temp.cleanup())

const ids = (options: ChatListOptions) => temp.store.chats.listChats(options).chats.map((item) => item.chat.id)

describe('views', () => {
  it('done and snoozed chats leave the inbox for their own views; pinned chats lead the inbox', () => {
    const { triage } = temp.store
    triage.putAway(['b'], 'done', null)
    triage.putAway(['d'], 'snoozed', temp.clock.now + 3_600_000)
    triage.setPinned(['e'], true)

    expect(ids({ view: 'inbox' })).toEqual(['e', 'a', 'c'])
    expect(ids({ view: 'done' })).toEqual(['b'])
    expect(ids({ view: 'snoozed' })).toEqual(['d'])
    // Without a view, every chat by activity (what sync and search use).
    expect(ids({})).toEqual(['a', 'b', 'c', 'd', 'e'])

    const snoozed = temp.store.chats.listChats({ view: 'snoozed' }).chats[0]
    expect(snoozed.triage).toEqual({ putAway: 'snoozed', snoozedUntilMs: temp.clock.now + 3_600_000, pinned: false, returned: null })
    expect(temp.store.chats.listChats({ view: 'inbox' }).chats[0].triage.pinned).toBe(true)
  })

  it('pages through a view with its cursor, across the pinned chats, without gaps or repeats', () => {
    temp.store.triage.setPinned(['c', 'e'], true)
    const seen: string[] = []
    let after: ChatListOptions['after']
    for (let page = 0; page < 10; page++) {
      const result = temp.store.chats.listChats({ view: 'inbox', limit: 2, after })
      seen.push(...result.chats.map((item) => item.chat.id))
      if (!result.nextCursor) break
      after = result.nextCursor
    }
    expect(seen).toEqual(['c', 'e', 'a', 'b', 'd'])
  })

  it('unpinning and moving back to the inbox leave no state behind', () => {
    const { triage } = temp.store
    triage.setPinned(['a'], true)
    triage.putAway(['a'], 'done', null)
    expect(ids({ view: 'done' })).toEqual(['a'])
    triage.returnToInbox(['a'])
    // Still pinned: done and pin are separate.
    expect(ids({ view: 'inbox' })[0]).toBe('a')
    triage.setPinned(['a'], false)
    expect(triage.get('a')).toBeNull()
    expect(ids({ view: 'inbox' })).toEqual(['a', 'b', 'c', 'd', 'e'])
  })

  it('ignores unknown chats and says which ones it changed', () => {
    expect(temp.store.triage.putAway(['a', 'nope', 'a'], 'done', null)).toEqual(['a'])
  })
})

describe('coming back', () => {
  it('a snooze ends at its time: the chat returns saying so, dated when the snooze ended', () => {
    const { triage } = temp.store
    const until = temp.clock.now + 60_000
    triage.putAway(['a', 'b'], 'snoozed', until)
    triage.putAway(['c'], 'snoozed', until + 60_000)
    expect(triage.nextWakeAt()).toBe(until)
    expect(triage.wakeDue(until - 1)).toEqual([])

    expect(triage.wakeDue(until + 5_000).sort()).toEqual(['a', 'b'])
    expect(ids({ view: 'inbox' })).toEqual(['a', 'b', 'd', 'e'])
    expect(temp.store.chats.getChat('a')?.triage.returned).toEqual({ reason: 'snooze_ended', atMs: until })
    expect(triage.nextWakeAt()).toBe(until + 60_000)
  })

  it('a new inbound message brings a done or snoozed chat back, saying the person wrote again', () => {
    const { triage, messages } = temp.store
    triage.putAway(['a'], 'done', null)
    triage.putAway(['b'], 'snoozed', temp.clock.now + 86_400_000)
    temp.clock.now += 1000
    messages.upsertMessages([
      makeMessage({ id: 'm_a2', chat_id: 'a', external_posted_at: at(20) }),
      makeMessage({ id: 'm_b2', chat_id: 'b', external_posted_at: at(21) })
    ])
    expect(ids({ view: 'done' })).toEqual([])
    expect(ids({ view: 'snoozed' })).toEqual([])
    expect(temp.store.chats.getChat('b')?.triage).toEqual({ putAway: null, snoozedUntilMs: null, pinned: false, returned: { reason: 'wrote_again', atMs: temp.clock.now } })
    // The snooze that was pending is gone with it.
    expect(triage.nextWakeAt()).toBeNull()
  })

  it('older history, the creator\'s own messages and a re-stored known message do not bring it back', () => {
    const { triage, messages } = temp.store
    triage.putAway(['a'], 'done', null)
    messages.upsertMessages([
      makeMessage({ id: 'm_a_old', chat_id: 'a', external_posted_at: at(-100) }),
      makeMessage({ id: 'm_a_out', chat_id: 'a', direction: 'outbound', status: 'published', external_posted_at: at(30) }),
      makeMessage({ id: 'm_a', chat_id: 'a', external_posted_at: at(10), body: 'edited' })
    ])
    expect(ids({ view: 'done' })).toEqual(['a'])
  })

  it('the note goes once the creator has answered', () => {
    const { triage, messages } = temp.store
    triage.putAway(['a'], 'done', null)
    messages.upsertMessage(makeMessage({ id: 'm_a2', chat_id: 'a', external_posted_at: at(20) }))
    expect(triage.acknowledgeReturn('a')).toBe(true)
    expect(triage.get('a')).toBeNull()
    expect(triage.acknowledgeReturn('a')).toBe(false)
  })
})

describe('what a sync cannot undo', () => {
  it('a chat upsert with new server data keeps its triage state and labels', () => {
    const { triage, chats, labels } = temp.store
    const vip = labels.create('VIP', 'purple')
    triage.putAway(['a'], 'done', null)
    triage.setPinned(['b'], true)
    labels.assign(['a'], vip.id, true)
    chats.upsertChats([
      makeChat({ id: 'a', participant_name: 'Renamed', last_message_at: at(10), last_inbound_at: at(10), metadata: { is_verified_user: true } }),
      makeChat({ id: 'b', participant_username: 'bee', last_message_at: at(9) })
    ])
    expect(ids({ view: 'done' })).toEqual(['a'])
    expect(ids({ view: 'inbox' })[0]).toBe('b')
    expect(chats.getChat('a')?.labelIds).toEqual([vip.id])
  })
})

describe('labels', () => {
  it('filter the list, combined with a view and the other filters', () => {
    const { labels, chats, triage } = temp.store
    const vip = labels.create('VIP', 'purple')
    const wholesale = labels.create('Wholesale', 'teal')
    labels.assign(['a', 'c', 'e'], vip.id, true)
    labels.assign(['a'], wholesale.id, true)
    chats.markRead('c')
    triage.putAway(['e'], 'done', null)

    expect(ids({ view: 'inbox', labelId: vip.id })).toEqual(['a', 'c'])
    expect(ids({ view: 'inbox', labelId: vip.id, unreadOnly: true })).toEqual(['a'])
    expect(ids({ view: 'done', labelId: vip.id })).toEqual(['e'])
    expect(chats.getChat('a')?.labelIds.sort()).toEqual([vip.id, wholesale.id].sort())
    expect(labels.list().map((l) => [l.name, l.chat_count])).toEqual([['VIP', 3], ['Wholesale', 1]])

    labels.assign(['a'], vip.id, false)
    expect(ids({ view: 'inbox', labelId: vip.id })).toEqual(['c'])
    expect(labels.delete(vip.id)).toBe(true)
    expect(chats.getChat('c')?.labelIds).toEqual([])
  })

  it('keep their order and unique names regardless of case', () => {
    const { labels } = temp.store
    const a = labels.create('Collab', 'blue')
    const b = labels.create('Urgent', 'red')
    labels.reorder([b.id, a.id])
    expect(labels.list().map((l) => l.name)).toEqual(['Urgent', 'Collab'])
    expect(labels.idByName('collab')).toBe(a.id)
  })
})

describe('the badge', () => {
  it('snoozed and done chats do not count; a chat that comes back counts again', () => {
    const { chats, triage, messages } = temp.store
    expect(chats.unreadByProfile().prof_1).toBe(5)
    triage.putAway(['a'], 'done', null)
    triage.putAway(['b'], 'snoozed', temp.clock.now + 60_000)
    expect(chats.unreadByProfile().prof_1).toBe(3)
    expect(chats.totalUnread()).toBe(3)
    triage.wakeDue(temp.clock.now + 60_000)
    expect(chats.unreadByProfile().prof_1).toBe(4)
    messages.upsertMessage(makeMessage({ id: 'm_a2', chat_id: 'a', external_posted_at: at(40) }))
    expect(chats.unreadByProfile().prof_1).toBe(6)
  })
})

describe('snapshots for undo', () => {
  it('a put-away state restored after the person wrote again comes back at once, saying so', () => {
    const { triage, messages } = temp.store
    triage.putAway(['a'], 'done', null)
    const done = triage.snapshot(['a'])
    triage.returnToInbox(['a'])
    messages.upsertMessage(makeMessage({ id: 'm_a_new', chat_id: 'a', external_posted_at: at(30) }))
    triage.restore(['a'], done)
    expect(ids({ view: 'done' })).toEqual([])
    expect(temp.store.chats.getChat('a')?.triage.returned?.reason).toBe('wrote_again')
  })

  it('restore puts rows and labels back exactly, including chats that had none', () => {
    const { triage, labels } = temp.store
    const vip = labels.create('VIP', 'purple')
    triage.setPinned(['a'], true)
    labels.assign(['a'], vip.id, true)
    const chatsIds = ['a', 'b']
    const before = { rows: triage.snapshot(chatsIds), labels: labels.assignmentsOf(chatsIds) }

    triage.putAway(chatsIds, 'snoozed', temp.clock.now + 1000)
    labels.assign(chatsIds, vip.id, false)
    triage.restore(chatsIds, before.rows)
    labels.restoreAssignments(chatsIds, before.labels)

    expect(triage.snapshot(chatsIds)).toEqual(before.rows)
    expect(labels.assignmentsOf(chatsIds)).toEqual(before.labels)
    expect(ids({ view: 'inbox' })).toEqual(['a', 'b', 'c', 'd', 'e'])
  })
})

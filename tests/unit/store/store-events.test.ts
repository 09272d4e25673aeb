import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeChat, makeMessage, openTempStore, type TempStore } from './store-fixtures.ts'

let temp: TempStore
const listenerErrors: unknown[] = []
beforeEach(() => {
  listenerErrors.length = 0
  temp = openTempStore({ onListenerError: (error) => listenerErrors.push(error) })
  temp.store.chats.upsertChat(makeChat({ id: 'chat_1' }))
})
afterEach(() => temp.cleanup())

describe('change notifications', () => {
  it('tells listeners which chats and threads changed, once per commit, after the data is readable', () => {
    const store = temp.store
    const events: string[] = []
    store.on('chatsChanged', ({ chatIds }) => events.push(`chats:${chatIds.join(',')}`))
    store.on('messagesChanged', ({ chatId }) => {
      // The change is committed when the listener runs.
      events.push(`messages:${chatId}:${store.messages.threadPage(chatId).messages.length}`)
    })
    store.transaction(() => {
      store.messages.upsertMessage(makeMessage({ id: 'm1', chat_id: 'chat_1' }))
      store.messages.upsertMessage(makeMessage({ id: 'm2', chat_id: 'chat_1' }))
      expect(events).toEqual([])
    })
    expect(events).toEqual(['chats:chat_1', 'messages:chat_1:2'])
  })

  it('stays silent for writes that change nothing and for rolled back transactions', () => {
    const store = temp.store
    store.messages.upsertMessage(makeMessage({ id: 'm1', chat_id: 'chat_1' }))
    let count = 0
    store.on('messagesChanged', () => count++)
    store.on('chatsChanged', () => count++)
    store.messages.upsertMessage(makeMessage({ id: 'm1', chat_id: 'chat_1' }))
    expect(() => store.transaction(() => {
      store.chats.markUnread('chat_1')
      throw new Error('rollback')
    })).toThrow('rollback')
    expect(count).toBe(0)
  })

  it('reports outbox changes and stops after unsubscribe; a failing listener does not fail the write', () => {
    const store = temp.store
    const outboxEvents: string[][] = []
    const unsubscribe = store.on('outboxChanged', ({ localIds }) => outboxEvents.push(localIds))
    store.on('chatsChanged', () => {
      throw new Error('listener bug')
    })
    store.outbox.enqueue({ localId: 'l1', chatId: 'chat_1', idempotencyKey: 'k1', kind: 'text', body: 'hi' })
    expect(outboxEvents).toEqual([['l1']])
    expect(listenerErrors).toHaveLength(1)
    unsubscribe()
    store.outbox.markSending('l1')
    expect(outboxEvents).toEqual([['l1']])
    expect(store.outbox.get('l1')?.state).toBe('sending')
  })
})

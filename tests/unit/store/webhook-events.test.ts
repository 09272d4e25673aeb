import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeChat, makeMessage, openTempStore, type TempStore } from './store-fixtures.ts'

let temp: TempStore
beforeEach(() => {
  temp = openTempStore()
  temp.store.chats.upsertChat(makeChat({ id: 'chat_1' }))
})
afterEach(() => temp.cleanup())

function processedIds(): string[] {
  const db = new Database(temp.path, { readonly: true })
  try {
    return db.prepare('SELECT event_id FROM processed_webhook_events ORDER BY event_id').pluck().all() as string[]
  } finally {
    db.close()
  }
}

describe('applying a webhook event in one transaction', () => {
  it('applies once, records the event and the cursor, and reports a redelivery as duplicate without running it', () => {
    const store = temp.store
    let runs = 0
    const apply = () => {
      runs++
      return store.messages.upsertMessage(makeMessage({ id: 'msg_1', chat_id: 'chat_1' })).inserted.length
    }
    expect(store.applyInTransaction('evt_1', 10, apply)).toEqual({ status: 'applied', value: 1 })
    expect(store.webhookEvents.cursor()).toBe(10)
    expect(store.webhookEvents.isProcessed('evt_1')).toBe(true)

    expect(store.applyInTransaction('evt_1', 11, apply)).toEqual({ status: 'duplicate' })
    expect(runs).toBe(1)
    // The duplicate frame was consumed: the stream moves on.
    expect(store.webhookEvents.cursor()).toBe(11)
    expect(processedIds()).toEqual(['evt_1'])
  })

  it('records nothing when the change throws: no message, no event id, no cursor move, no notification', () => {
    const store = temp.store
    store.webhookEvents.advanceCursor(5)
    const notified: string[] = []
    store.on('messagesChanged', ({ chatId }) => notified.push(chatId))
    expect(() =>
      store.applyInTransaction('evt_boom', 6, () => {
        store.messages.upsertMessage(makeMessage({ id: 'msg_1', chat_id: 'chat_1' }))
        throw new Error('parse failure halfway')
      })
    ).toThrow('parse failure halfway')
    expect(store.messages.getMessage('msg_1')).toBeNull()
    expect(store.webhookEvents.isProcessed('evt_boom')).toBe(false)
    expect(store.webhookEvents.cursor()).toBe(5)
    expect(notified).toEqual([])

    // The redelivery then applies normally.
    expect(store.applyInTransaction('evt_boom', 6, () => store.messages.upsertMessage(makeMessage({ id: 'msg_1', chat_id: 'chat_1' }))).status).toBe('applied')
    expect(notified).toEqual(['chat_1'])
  })

  it('never moves the cursor backwards, and survives a restart', () => {
    const { webhookEvents } = temp.store
    expect(webhookEvents.cursor()).toBeNull()
    webhookEvents.advanceCursor(42)
    webhookEvents.advanceCursor(40)
    expect(webhookEvents.cursor()).toBe(42)
    const reopened = temp.reopen()
    expect(reopened.webhookEvents.cursor()).toBe(42)
    expect(() => reopened.webhookEvents.advanceCursor(-1)).toThrow(/invalid stream position/)
    reopened.webhookEvents.resetCursor()
    expect(reopened.webhookEvents.cursor()).toBeNull()
  })

  it('refuses an async function instead of committing half the work', () => {
    const store = temp.store
    expect(() => store.applyInTransaction('evt_async', 1, (async () => 1) as unknown as () => number)).toThrow(/synchronous/)
  })

  it('forgets processed event ids older than the retention', () => {
    const { webhookEvents } = temp.store
    temp.clock.now = 1_000
    temp.store.applyInTransaction('old', null, () => undefined)
    temp.clock.now = 5_000
    temp.store.applyInTransaction('new', null, () => undefined)
    expect(webhookEvents.pruneProcessed(2_000)).toBe(1)
    expect(processedIds()).toEqual(['new'])
  })
})

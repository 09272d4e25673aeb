import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { StoreError } from '../../../electron/inbox/store/index.ts'
import { makeChat, openTempStore, type TempStore } from './store-fixtures.ts'

let temp: TempStore
beforeEach(() => {
  temp = openTempStore()
  temp.store.chats.upsertChats([makeChat({ id: 'chat_a' }), makeChat({ id: 'chat_b' })])
})
afterEach(() => temp.cleanup())

function enqueue(localId: string, chatId: string, body = `text ${localId}`) {
  temp.clock.now += 1
  return temp.store.outbox.enqueue({ localId, chatId, idempotencyKey: `idem-${localId}`, kind: 'text', body })
}

describe('the durable outbox', () => {
  it('stores a text send with its pending message row, durably across a restart', () => {
    const { item, message } = enqueue('l1', 'chat_a', 'See you soon')
    expect(item).toMatchObject({ localId: 'l1', chatId: 'chat_a', kind: 'text', body: 'See you soon', idempotencyKey: 'idem-l1', state: 'queued', attempts: 0, media: null })
    expect(message).toMatchObject({ localId: 'l1', serverId: null })
    expect(message.message).toMatchObject({ status: 'pending', direction: 'outbound', body: 'See you soon' })
    const reopened = temp.reopen()
    expect(reopened.outbox.get('l1')?.idempotencyKey).toBe('idem-l1')
    expect(reopened.messages.getByLocalId('l1')?.message.status).toBe('pending')
  })

  it('stores a media send with its file and shows an attachment placeholder', () => {
    const { item, message } = temp.store.outbox.enqueue({
      localId: 'l_media', chatId: 'chat_a', idempotencyKey: 'idem-media', kind: 'media',
      media: { path: '/tmp/photo.jpg', mime: 'image/jpeg', size: 123_456 }, attachmentType: 'image'
    })
    expect(item).toMatchObject({ kind: 'media', body: null, media: { path: '/tmp/photo.jpg', mime: 'image/jpeg', size: 123_456 } })
    expect(message.message.attachments).toMatchObject([{ type: 'image', status: 'pending' }])
  })

  it('refuses a duplicate idempotency key and a send to an unknown chat', () => {
    enqueue('l1', 'chat_a')
    expect(() => temp.store.outbox.enqueue({ localId: 'l2', chatId: 'chat_a', idempotencyKey: 'idem-l1', kind: 'text', body: 'x' })).toThrow(StoreError)
    expect(() => temp.store.outbox.enqueue({ localId: 'l3', chatId: 'chat_missing', idempotencyKey: 'k3', kind: 'text', body: 'x' })).toThrow(/no longer available/)
    // Nothing half-written: no optimistic rows for the refused sends.
    expect(temp.store.messages.getByLocalId('l2')).toBeNull()
    expect(temp.store.messages.getByLocalId('l3')).toBeNull()
  })

  it('hands out due sends oldest first, one per chat, keeping order behind a send that waits for a retry', () => {
    const { outbox } = temp.store
    enqueue('a1', 'chat_a')
    enqueue('b1', 'chat_b')
    enqueue('a2', 'chat_a')
    expect(outbox.dueSends(temp.clock.now).map((item) => item.localId)).toEqual(['a1', 'b1'])

    expect(outbox.markSending('a1')).toBe(true)
    expect(outbox.markSending('a1')).toBe(false)
    // a2 must wait while a1 is in flight.
    expect(outbox.dueSends(temp.clock.now).map((item) => item.localId)).toEqual(['b1'])

    expect(outbox.scheduleRetry('a1', temp.clock.now + 5_000, 'network down')).toBe(true)
    expect(outbox.get('a1')).toMatchObject({ state: 'queued', attempts: 1, lastError: 'network down', idempotencyKey: 'idem-a1' })
    expect(outbox.dueSends(temp.clock.now).map((item) => item.localId)).toEqual(['b1'])
    expect(outbox.nextAttemptAt()).toBe(temp.clock.now - 1)

    temp.clock.now += 5_000
    expect(outbox.dueSends(temp.clock.now).map((item) => item.localId)).toEqual(['a1', 'b1'])
    outbox.markSending('a1')
    expect(outbox.markSent('a1', 'msg_1')).toBe(true)
    expect(outbox.get('a1')).toMatchObject({ state: 'sent', serverMessageId: 'msg_1', attempts: 2 })
    expect(outbox.dueSends(temp.clock.now).map((item) => item.localId)).toEqual(['b1', 'a2'])
    expect(outbox.dueSends(temp.clock.now, 1).map((item) => item.localId)).toEqual(['b1'])
  })

  it('a permanently failed send does not block the chat; retry puts it back in line with the same key', () => {
    const { outbox } = temp.store
    enqueue('a1', 'chat_a')
    enqueue('a2', 'chat_a')
    outbox.markSending('a1')
    expect(outbox.markFailed('a1', 'Message is longer than 1000 bytes')).toBe(true)
    expect(outbox.dueSends(temp.clock.now).map((item) => item.localId)).toEqual(['a2'])
    expect(outbox.list({ states: ['failed'] }).map((item) => item.localId)).toEqual(['a1'])
    expect(outbox.retry('a1')).toBe(true)
    expect(outbox.get('a1')).toMatchObject({ state: 'queued', lastError: null, idempotencyKey: 'idem-a1' })
    expect(outbox.dueSends(temp.clock.now).map((item) => item.localId)).toEqual(['a1'])
  })

  it('puts sends that were in flight at a crash back in the queue', () => {
    enqueue('a1', 'chat_a')
    enqueue('b1', 'chat_b')
    temp.store.outbox.markSending('a1')
    const reopened = temp.reopen()
    expect(reopened.outbox.requeueInterrupted()).toBe(1)
    expect(reopened.outbox.get('a1')).toMatchObject({ state: 'queued', attempts: 1, idempotencyKey: 'idem-a1' })
    expect(reopened.outbox.list({ chatId: 'chat_a' }).map((item) => item.localId)).toEqual(['a1'])
  })

  it('discards a queued send with its optimistic row, but not one in flight; prunes old sent items', () => {
    const { outbox, messages } = temp.store
    enqueue('a1', 'chat_a')
    enqueue('a2', 'chat_a')
    outbox.markSending('a2')
    expect(outbox.discard('a2')).toBe(false)
    expect(outbox.discard('a1')).toBe(true)
    expect(messages.getByLocalId('a1')).toBeNull()
    expect(outbox.list().map((item) => item.localId)).toEqual(['a2'])
    outbox.markSent('a2', 'msg_2')
    expect(outbox.pruneSent(temp.clock.now + 1)).toBe(1)
    expect(outbox.list()).toEqual([])
    // The message itself stays in the thread.
    expect(messages.getByLocalId('a2')).not.toBeNull()
  })
})

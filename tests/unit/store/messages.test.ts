import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Message } from '../../../shared/postproxy.ts'
import { at, makeChat, makeMessage, openTempStore, type TempStore } from './store-fixtures.ts'

let temp: TempStore
beforeEach(() => {
  temp = openTempStore()
  temp.store.chats.upsertChat(makeChat({ id: 'chat_1', participant_name: 'Jane Doe' }))
})
afterEach(() => temp.cleanup())

function countRows(table: string): number {
  const db = new Database(temp.path, { readonly: true })
  try {
    return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number
  } finally {
    db.close()
  }
}

describe('message upserts', () => {
  it('is idempotent on the Postproxy id: the same message twice is one row, and a changed version updates it', () => {
    const { messages } = temp.store
    const first = messages.upsertMessages([makeMessage({ id: 'msg_1', chat_id: 'chat_1', body: 'hi' })])
    expect(first.inserted.map((ref) => ref.id)).toEqual(['msg_1'])
    const again = messages.upsertMessages([makeMessage({ id: 'msg_1', chat_id: 'chat_1', body: 'hi' })])
    expect(again.inserted).toEqual([])
    expect(again.updated).toEqual([])
    const read = messages.upsertMessages([makeMessage({ id: 'msg_1', chat_id: 'chat_1', body: 'hi', external_read_at: at(3) })])
    expect(read.updated.map((ref) => ref.id)).toEqual(['msg_1'])
    expect(countRows('messages')).toBe(1)
    expect(messages.getMessage('msg_1')?.message.external_read_at).toBe(at(3))
  })

  it('never lets an older version undo a newer one', () => {
    const { messages } = temp.store
    const published = makeMessage({
      id: 'msg_out', chat_id: 'chat_1', direction: 'outbound', status: 'published', body: 'Yes we ship',
      external_id: 'mid.out', external_posted_at: at(5), external_delivered_at: at(6), external_read_at: at(7)
    })
    const stalePending = makeMessage({
      id: 'msg_out', chat_id: 'chat_1', direction: 'outbound', status: 'pending', body: 'Yes we ship',
      external_id: null, external_posted_at: null, external_delivered_at: null, external_read_at: null
    })
    messages.upsertMessage(published)
    expect(messages.upsertMessage(stalePending).updated).toEqual([])
    const stored = messages.getMessage('msg_out')?.message
    expect(stored?.status).toBe('published')
    expect(stored?.external_id).toBe('mid.out')
    expect(stored?.external_posted_at).toBe(at(5))
    expect(stored?.external_read_at).toBe(at(7))

    // Delivered arrives after read: the read receipt stays.
    messages.upsertMessage({ ...published, external_read_at: null })
    expect(messages.getMessage('msg_out')?.message.external_read_at).toBe(at(7))
  })

  it('never un-deletes an unsent message, and keeps the newest edit', () => {
    const { messages } = temp.store
    const original = makeMessage({ id: 'msg_1', chat_id: 'chat_1', body: 'first text' })
    messages.upsertMessage({ ...original, body: 'edited text', external_edited_at: at(2) })
    messages.upsertMessage(original)
    expect(messages.getMessage('msg_1')?.message.body).toBe('edited text')

    messages.upsertMessage({ ...original, body: 'edited text', external_edited_at: at(2), external_deleted_at: at(4) })
    messages.upsertMessage({ ...original, body: 'edited text', external_edited_at: at(2) })
    expect(messages.getMessage('msg_1')?.message.external_deleted_at).toBe(at(4))
  })

  it('keeps keys it does not know, also from an earlier version', () => {
    const { messages } = temp.store
    const withExtras = { ...makeMessage({ id: 'msg_1', chat_id: 'chat_1' }), sticker_pack: { id: 'sp_1' }, platform_data: { story_reply: { id: 's1', url: 'https://x' }, future: 1 } } as Message
    messages.upsertMessage(withExtras)
    messages.upsertMessage({ ...makeMessage({ id: 'msg_1', chat_id: 'chat_1' }), external_read_at: at(9), reply_context: 'new key' } as Message)
    const stored = messages.getMessage('msg_1')?.message as Record<string, unknown>
    expect(stored.sticker_pack).toEqual({ id: 'sp_1' })
    expect(stored.reply_context).toBe('new key')
    // platform_data is a known key: the current version's value is the truth.
    expect(stored.platform_data).toBeNull()
  })

  it('replaces reactions from the server list and keeps attachments', () => {
    const { messages } = temp.store
    const love = { sender_external_id: 'igsid_1', emoji: '❤️', reaction: 'love', at: at(1), extra_key: 'kept' }
    messages.upsertMessage(makeMessage({
      id: 'msg_1', chat_id: 'chat_1', body: null, reactions: [love],
      attachments: [{ id: 'att_1', type: 'image', url: 'https://storage/1.jpg', status: 'processed', external_id: null }]
    }))
    let stored = messages.getMessage('msg_1')?.message
    expect(stored?.reactions).toEqual([love])
    expect(stored?.attachments).toEqual([{ id: 'att_1', type: 'image', url: 'https://storage/1.jpg', status: 'processed', external_id: null }])

    messages.upsertMessage(makeMessage({ id: 'msg_1', chat_id: 'chat_1', body: null, reactions: [] }))
    stored = messages.getMessage('msg_1')?.message
    expect(stored?.reactions).toEqual([])
    expect(stored?.attachments).toHaveLength(1)
    expect(countRows('reactions')).toBe(0)

    expect(messages.replaceReactions('msg_1', [{ sender_external_id: 'biz', emoji: '❤️', reaction: 'love', at: at(2) }])).toBe(true)
    expect(messages.getMessage('msg_1')?.message.reactions).toHaveLength(1)
  })

  it('finds a message by Postproxy id or by the platform external id', () => {
    temp.store.messages.upsertMessage(makeMessage({ id: 'msg_1', chat_id: 'chat_1', external_id: 'mid.abc' }))
    expect(temp.store.messages.getMessage('mid.abc')?.serverId).toBe('msg_1')
    expect(temp.store.messages.getMessage('msg_1')?.message.external_id).toBe('mid.abc')
    expect(temp.store.messages.getMessage('nope')).toBeNull()
  })

  it('reports messages of chats it does not have yet, and files them once the chat arrives', () => {
    const { messages, chats } = temp.store
    const result = messages.upsertMessage(makeMessage({ id: 'msg_new', chat_id: 'chat_new', external_posted_at: at(30) }))
    expect(result.unknownChatIds).toEqual(['chat_new'])
    chats.upsertChat(makeChat({ id: 'chat_new', last_message_at: at(1), last_inbound_at: at(1) }))
    const item = chats.getChat('chat_new')
    expect(item?.chat.last_message_at).toBe(at(30))
    expect(item?.chat.last_inbound_at).toBe(at(30))
    expect(item?.unreadCount).toBe(1)
  })

  it('moves the chat forward when a newer message arrives before the chat is refreshed', () => {
    const { messages, chats } = temp.store
    messages.upsertMessage(makeMessage({ id: 'msg_1', chat_id: 'chat_1', external_posted_at: at(45) }))
    const chat = chats.getChat('chat_1')?.chat
    expect(chat?.last_inbound_at).toBe(at(45))
    expect(chat?.last_message_at).toBe(at(45))
    // A later chat refresh with an older server view does not move it back.
    chats.upsertChat(makeChat({ id: 'chat_1', participant_name: 'Jane Doe', last_inbound_at: at(10), last_message_at: at(10) }))
    expect(chats.getChat('chat_1')?.chat.last_inbound_at).toBe(at(45))
  })
})

describe('optimistic sends', () => {
  function enqueueText(localId: string, body: string) {
    return temp.store.outbox.enqueue({ localId, chatId: 'chat_1', idempotencyKey: `key-${localId}`, kind: 'text', body })
  }

  it('202 first, then the published version: one row from pending to published, same row id', () => {
    const { messages } = temp.store
    const { message: local } = enqueueText('local_1', 'On my way')
    expect(local.serverId).toBeNull()
    expect(local.message.status).toBe('pending')

    const accepted = makeMessage({ id: 'msg_9', chat_id: 'chat_1', direction: 'outbound', status: 'pending', body: 'On my way', external_id: null, external_posted_at: null, created_at: at(1) })
    const linked = messages.attachServerMessage('local_1', accepted)
    expect(linked?.rowId).toBe(local.rowId)
    expect(linked?.serverId).toBe('msg_9')

    messages.upsertMessage({ ...accepted, status: 'published', external_id: 'mid.9', external_posted_at: at(2) })
    const page = messages.threadPage('chat_1')
    expect(page.messages).toHaveLength(1)
    expect(page.messages[0]).toMatchObject({ rowId: local.rowId, serverId: 'msg_9', localId: 'local_1' })
    expect(page.messages[0].message.status).toBe('published')
    expect(countRows('messages')).toBe(1)
  })

  it("a media send's placeholder attachment gives way to the server's attachment", () => {
    const { messages, outbox } = temp.store
    const { message: local } = outbox.enqueue({
      localId: 'local_m',
      chatId: 'chat_1',
      idempotencyKey: 'key-local_m',
      kind: 'media',
      media: { path: '/tmp/x.png', mime: 'image/png', size: 10 },
      attachmentType: 'image'
    })
    expect(local.message.attachments).toMatchObject([{ id: 'local_m:media', type: 'image', url: null }])
    const serverAttachment = { id: 'att_9', type: 'image', url: 'https://media.example/att_9.png', status: 'processed', external_id: null }
    const accepted = makeMessage({ id: 'msg_m', chat_id: 'chat_1', direction: 'outbound', status: 'pending', body: null, external_id: null, external_posted_at: null, attachments: [serverAttachment] })
    messages.attachServerMessage('local_m', accepted)
    expect(messages.storedByRowId(local.rowId)?.message.attachments).toEqual([serverAttachment])
    expect(countRows('attachments')).toBe(1)
  })

  it('published version first (webhook raced the 202): the pending row folds into the server row', () => {
    const { messages } = temp.store
    enqueueText('local_2', 'Thanks!')
    const published = makeMessage({ id: 'msg_10', chat_id: 'chat_1', direction: 'outbound', status: 'published', body: 'Thanks!', external_id: 'mid.10', external_posted_at: at(3) })
    messages.upsertMessage(published)
    expect(countRows('messages')).toBe(2)

    // The 202 answer (pending) arrives last: it must not regress the published row.
    const linked = messages.attachServerMessage('local_2', { ...published, status: 'pending', external_id: null, external_posted_at: null })
    expect(countRows('messages')).toBe(1)
    expect(linked).toMatchObject({ serverId: 'msg_10', localId: 'local_2' })
    expect(linked?.message.status).toBe('published')
    expect(messages.getByLocalId('local_2')?.serverId).toBe('msg_10')
  })

  it('a send stopped before the API shows as failed, can be retried, and discarding removes it', () => {
    const { messages, outbox } = temp.store
    enqueueText('local_3', 'late reply')
    expect(outbox.markFailed('local_3', 'The 24-hour window closed yesterday at 10:00')).toBe(true)
    expect(messages.getByLocalId('local_3')?.message).toMatchObject({ status: 'failed', error_message: 'The 24-hour window closed yesterday at 10:00' })
    expect(outbox.retry('local_3')).toBe(true)
    expect(messages.getByLocalId('local_3')?.message.status).toBe('pending')
    expect(outbox.markFailed('local_3', 'still closed')).toBe(true)
    expect(outbox.discard('local_3')).toBe(true)
    expect(messages.getByLocalId('local_3')).toBeNull()
    expect(outbox.get('local_3')).toBeNull()
  })
})

describe('thread pages', () => {
  it('pages newest first with a cursor, through messages that share a timestamp, without gaps or repeats', () => {
    const { messages } = temp.store
    const batch: Message[] = []
    for (let i = 0; i < 23; i++) {
      // Groups of three share the same posted time: the row id breaks ties.
      batch.push(makeMessage({ id: `msg_${String(i).padStart(2, '0')}`, chat_id: 'chat_1', body: `m${i}`, external_posted_at: at(Math.floor(i / 3)) }))
    }
    // Inserted in a shuffled order, as pages and webhooks interleave.
    messages.upsertMessages([...batch].reverse().filter((_, i) => i % 2 === 0))
    messages.upsertMessages([...batch].reverse().filter((_, i) => i % 2 === 1))
    messages.upsertMessage(makeMessage({ id: 'other', chat_id: 'chat_other', external_posted_at: at(100) }))

    const seen: string[] = []
    let cursor = null
    for (let pageNo = 0; pageNo < 10; pageNo++) {
      const page = messages.threadPage('chat_1', { before: cursor, limit: 5 })
      seen.push(...page.messages.map((stored) => stored.message.id))
      cursor = page.olderCursor
      if (!cursor) break
    }
    expect(seen).toHaveLength(23)
    expect(new Set(seen).size).toBe(23)
    const sortKeys = seen.map((id) => messages.getMessage(id)!).map((stored) => [stored.sortAt, stored.rowId] as const)
    for (let i = 1; i < sortKeys.length; i++) {
      const [prevSort, prevRow] = sortKeys[i - 1]
      const [sort, row] = sortKeys[i]
      expect(prevSort > sort || (prevSort === sort && prevRow > row)).toBe(true)
    }
    expect(seen).not.toContain('other')
  })

  it('orders a pending send (no posted time) by its creation time', () => {
    const { messages, outbox } = temp.store
    messages.upsertMessage(makeMessage({ id: 'msg_old', chat_id: 'chat_1', external_posted_at: at(-60) }))
    temp.clock.now = Date.parse(at(-30))
    outbox.enqueue({ localId: 'local_1', chatId: 'chat_1', idempotencyKey: 'k1', kind: 'text', body: 'between' })
    messages.upsertMessage(makeMessage({ id: 'msg_new', chat_id: 'chat_1', external_posted_at: at(0) }))
    expect(messages.threadPage('chat_1').messages.map((stored) => stored.message.id)).toEqual(['msg_new', 'local_1', 'msg_old'])
  })
})

import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ftsPrefixQuery } from '../../../electron/inbox/store/search-query.ts'
import { at, makeChat, makeMessage, openTempStore, type TempStore } from './store-fixtures.ts'

let temp: TempStore
beforeEach(() => {
  temp = openTempStore()
  temp.store.chats.upsertChats([
    makeChat({ id: 'chat_jane', participant_name: 'Jane Doe', participant_username: 'jane_doe', last_message_at: at(5) }),
    makeChat({ id: 'chat_jose', participant_name: 'José Álvarez', participant_username: 'jose.alv', last_message_at: at(9) }),
    makeChat({ id: 'chat_shop', participant_name: 'Shipping Co', participant_username: 'shipco', last_message_at: at(1) })
  ])
  temp.store.messages.upsertMessages([
    makeMessage({ id: 'm1', chat_id: 'chat_jane', body: 'Do you ship internationally?', external_posted_at: at(1) }),
    makeMessage({ id: 'm2', chat_id: 'chat_jose', body: 'Shipping to Spain costs how much?', external_posted_at: at(3) }),
    makeMessage({ id: 'm3', chat_id: 'chat_jane', body: 'Great, thanks for the shipment!', external_posted_at: at(2), direction: 'outbound', status: 'published' }),
    makeMessage({ id: 'm4', chat_id: 'chat_jose', body: 'El café está buenísimo', external_posted_at: at(4) }),
    makeMessage({ id: 'm5', chat_id: 'chat_jane', body: 'nothing relevant', external_posted_at: at(5) })
  ])
})
afterEach(() => temp.cleanup())

const messageIds = (query: string, options = {}) => temp.store.search(query, options).messages.map((hit) => hit.messageId)

describe('search', () => {
  it('matches word prefixes, newest first, with the chat and participant', () => {
    expect(messageIds('ship')).toEqual(['m2', 'm3', 'm1'])
    const hit = temp.store.search('ship').messages[0]
    expect(hit).toMatchObject({ chatId: 'chat_jose', participantName: 'José Álvarez', direction: 'inbound' })
    expect(messageIds('ship intern')).toEqual(['m1'])
    expect(messageIds('ship', { chatId: 'chat_jane' })).toEqual(['m3', 'm1'])
  })

  it('ignores case and accents both ways', () => {
    expect(messageIds('CAFE')).toEqual(['m4'])
    expect(messageIds('buenisimo')).toEqual(['m4'])
    expect(messageIds('búenísimo')).toEqual(['m4'])
  })

  it('returns a plain-text snippet with the matched prefixes highlighted', () => {
    const hit = temp.store.search('ship intern').messages[0]
    expect(hit.snippet.text).toBe('Do you ship internationally?')
    const marked = hit.snippet.highlights.map(([start, end]) => hit.snippet.text.slice(start, end))
    expect(marked).toEqual(['ship', 'intern'])

    temp.store.messages.upsertMessage(makeMessage({ id: 'long', chat_id: 'chat_jane', external_posted_at: at(20), body: `${'filler words here '.repeat(20)}the parcel arrived ${'more filler text '.repeat(20)}` }))
    const long = temp.store.search('parcel').messages[0]
    expect(long.snippet.text.startsWith('…')).toBe(true)
    expect(long.snippet.text.endsWith('…')).toBe(true)
    expect(long.snippet.text.length).toBeLessThan(160)
    const [start, end] = long.snippet.highlights[0]
    expect(long.snippet.text.slice(start, end)).toBe('parcel')
  })

  it('highlights accented originals from an unaccented query', () => {
    const hit = temp.store.search('alv').chats[0]
    expect(hit.chat.id).toBe('chat_jose')
    const [start, end] = hit.nameHighlights[0]
    expect('José Álvarez'.slice(start, end)).toBe('Álv')
  })

  it('finds participants by name or username, most recent chat first', () => {
    expect(temp.store.search('jane').chats.map((hit) => hit.chat.id)).toEqual(['chat_jane'])
    expect(temp.store.search('jose').chats.map((hit) => hit.chat.id)).toEqual(['chat_jose'])
    expect(temp.store.search('doe').chats.map((hit) => hit.chat.id)).toEqual(['chat_jane'])
    expect(temp.store.search('ship').chats.map((hit) => hit.chat.id)).toEqual(['chat_shop'])
    // A renamed participant is found by the new name only.
    temp.store.chats.upsertChat(makeChat({ id: 'chat_shop', participant_name: 'Parcel House', participant_username: 'parcelhouse' }))
    expect(temp.store.search('ship').chats).toEqual([])
    expect(temp.store.search('parcel').chats.map((hit) => hit.chat.id)).toEqual(['chat_shop'])
  })

  it('treats FTS syntax in user input as plain text, never as an error', () => {
    const hostile = ['"', '""', 'ship"', '"ship', 'ship OR spain', 'NOT ship', 'ship AND', 'NEAR(ship spain)', 'body:ship',
      '^ship', 'ship*', '*', '(ship', 'ship)', "'; DROP TABLE messages; --", '-ship', '+', 'ship:', '{body}: ship', '\u0000']
    for (const input of hostile) {
      expect(() => temp.store.search(input), input).not.toThrow()
    }
    // OR / NOT are words to look for, not operators: nothing contains "or" + "spain" + "ship" together.
    expect(messageIds('ship OR spain')).toEqual([])
    expect(messageIds('"ship')).toEqual(['m2', 'm3', 'm1'])
    expect(messageIds('body:ship')).toEqual([])
    expect(temp.store.search('   ')).toEqual({ messages: [], chats: [] })
    expect(temp.store.search('🙂')).toEqual({ messages: [], chats: [] })
    expect(ftsPrefixQuery('a"b OR c*')).toBe('"a"* "b"* "or"* "c"*')
  })

  it('follows edits and unsends, and finds pending sends', () => {
    const { messages, outbox } = temp.store
    messages.upsertMessage(makeMessage({ id: 'm1', chat_id: 'chat_jane', body: 'Do you deliver to Canada?', external_posted_at: at(1), external_edited_at: at(6) }))
    expect(messageIds('intern')).toEqual([])
    expect(messageIds('canada')).toEqual(['m1'])
    messages.upsertMessage(makeMessage({ id: 'm2', chat_id: 'chat_jose', body: 'Shipping to Spain costs how much?', external_posted_at: at(3), external_deleted_at: at(7) }))
    expect(messageIds('spain')).toEqual([])
    outbox.enqueue({ localId: 'local_1', chatId: 'chat_jane', idempotencyKey: 'k', kind: 'text', body: 'Yes, to Canada too' })
    expect(messageIds('canada')).toEqual(['local_1', 'm1'])
  })

  it('keeps the index exactly equal to the searchable messages through every write path', () => {
    const { messages, outbox } = temp.store
    // The same message twice in one batch, the second version edited and re-timed.
    messages.upsertMessages([
      makeMessage({ id: 'dup', chat_id: 'chat_jane', body: 'first words', external_posted_at: at(30) }),
      makeMessage({ id: 'dup', chat_id: 'chat_jane', body: 'second words', external_posted_at: at(31), external_edited_at: at(32) })
    ])
    outbox.enqueue({ localId: 'l1', chatId: 'chat_jane', idempotencyKey: 'k1', kind: 'text', body: 'pending words' })
    outbox.enqueue({ localId: 'l2', chatId: 'chat_jane', idempotencyKey: 'k2', kind: 'text', body: 'discarded words' })
    outbox.enqueue({ localId: 'l3', chatId: 'chat_jane', idempotencyKey: 'k3', kind: 'text', body: 'folded words' })
    messages.attachServerMessage('l1', makeMessage({ id: 'srv1', chat_id: 'chat_jane', direction: 'outbound', status: 'published', body: 'pending words', external_posted_at: at(40) }))
    outbox.discard('l2')
    messages.upsertMessage(makeMessage({ id: 'srv3', chat_id: 'chat_jane', direction: 'outbound', status: 'published', body: 'folded words', external_posted_at: at(41) }))
    messages.attachServerMessage('l3', makeMessage({ id: 'srv3', chat_id: 'chat_jane', direction: 'outbound', status: 'pending', body: 'folded words', external_posted_at: null }))
    expect(() => temp.store.transaction(() => {
      messages.upsertMessage(makeMessage({ id: 'rolled_back', chat_id: 'chat_jane', body: 'ghost words' }))
      throw new Error('rollback')
    })).toThrow('rollback')

    const db = new Database(temp.path, { readonly: true })
    try {
      const indexed = db.prepare('SELECT rowid FROM message_search ORDER BY rowid').safeIntegers(true).pluck().all()
      const expected = db.prepare(
        'SELECT (max(sort_at, 0) / 1000) * 2147483648 + row_id AS k FROM messages WHERE body IS NOT NULL AND external_deleted_at IS NULL ORDER BY k'
      ).safeIntegers(true).pluck().all()
      expect(indexed).toEqual(expected)
    } finally {
      db.close()
    }
    expect(messageIds('words')).toEqual(['srv3', 'srv1', 'dup'])
    expect(temp.store.search('first').messages).toEqual([])
    expect(temp.store.search('ghost').messages).toEqual([])
    expect(temp.store.integrityCheck()).toEqual(['ok'])
  })
})

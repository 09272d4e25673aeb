// Drafts, settings, sync state, profiles and the media cache index.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Profile } from '../../../shared/postproxy.ts'
import { GLOBAL_SCOPE } from '../../../electron/inbox/store/index.ts'
import { makeChat, openTempStore, type TempStore } from './store-fixtures.ts'

let temp: TempStore
beforeEach(() => {
  temp = openTempStore()
  temp.store.chats.upsertChats([makeChat({ id: 'chat_1' }), makeChat({ id: 'chat_2' })])
})
afterEach(() => temp.cleanup())

describe('drafts', () => {
  it('keeps one draft per chat, clears on empty text, and survives a restart', () => {
    const { drafts } = temp.store
    expect(drafts.set('chat_1', 'Hi! About your order')).toBe(true)
    expect(drafts.set('chat_1', 'Hi! About your order')).toBe(false)
    drafts.set('chat_2', 'second')
    expect(temp.reopen().drafts.get('chat_1')).toBe('Hi! About your order')
    expect(temp.store.drafts.set('chat_1', '   ')).toBe(true)
    expect(temp.store.drafts.get('chat_1')).toBeNull()
    expect(temp.store.drafts.all().map((draft) => draft.chatId)).toEqual(['chat_2'])
  })
})

describe('settings', () => {
  it('stores JSON values and refuses anything that looks like a secret', () => {
    const { settings } = temp.store
    settings.set('notifications.enabled', true)
    settings.set('polling', { focusedMs: 15_000, hiddenMs: 120_000 })
    expect(settings.get('notifications.enabled')).toBe(true)
    expect(settings.get('polling')).toEqual({ focusedMs: 15_000, hiddenMs: 120_000 })
    expect(settings.get('never.set')).toBeUndefined()
    for (const key of ['apiKey', 'postproxy_api_key', 'webhookSecret', 'relay.deviceToken', 'password']) {
      expect(() => settings.set(key, 'x'), key).toThrow(/keychain/)
    }
    expect(Object.keys(settings.all()).sort()).toEqual(['notifications.enabled', 'polling'])
  })
})

describe('sync state', () => {
  it('keeps key/values per profile scope', () => {
    const { syncState } = temp.store
    syncState.set('prof_1', 'chats_after', '2026-01-02T10:00:00.000Z')
    syncState.set('prof_2', 'chats_after', '2026-01-01T00:00:00.000Z')
    syncState.set(GLOBAL_SCOPE, 'last_full_sync', '123')
    syncState.set('prof_1', 'chats_after', '2026-01-03T00:00:00.000Z')
    expect(syncState.get('prof_1', 'chats_after')).toBe('2026-01-03T00:00:00.000Z')
    expect(syncState.entries('prof_2')).toEqual({ chats_after: '2026-01-01T00:00:00.000Z' })
    expect(syncState.clearScope('prof_1')).toBe(1)
    expect(syncState.get('prof_1', 'chats_after')).toBeNull()
    expect(temp.reopen().syncState.get(GLOBAL_SCOPE, 'last_full_sync')).toBe('123')
  })

  it('commits a cursor together with the data of the caller transaction, or not at all', () => {
    const store = temp.store
    expect(() => store.transaction(() => {
      store.syncState.set('prof_1', 'chats_after', 'x')
      store.chats.upsertChat(makeChat({ id: 'chat_3' }))
      throw new Error('page failed to parse')
    })).toThrow()
    expect(store.syncState.get('prof_1', 'chats_after')).toBeNull()
    expect(store.chats.getChat('chat_3')).toBeNull()
  })
})

describe('profiles', () => {
  it('upserts profiles and keeps unknown keys', () => {
    const profile = { id: 'prof_1', name: 'Shop', platform: 'instagram', status: 'active', profile_group_id: null, expires_at: null, avatar_url: null, handle: '@shop' } as Profile
    temp.store.profiles.upsertProfiles([profile])
    temp.store.profiles.upsertProfiles([{ ...profile, status: 'expired', handle: undefined } as Profile])
    expect(temp.store.profiles.get('prof_1')).toMatchObject({ status: 'expired', handle: '@shop' })
    expect(temp.store.profiles.list().map((p) => p.id)).toEqual(['prof_1'])
  })
})

describe('media cache index', () => {
  function record(hash: string, size: number, keys: string[]) {
    return temp.store.mediaIndex.record({ keys, contentHash: hash, path: `/cache/${hash}`, size, mime: 'image/jpeg' })
  }

  it('maps several attachment keys to one content-addressed file', () => {
    record('h1', 100, ['att_1', 'https://storage/1.jpg'])
    expect(temp.store.mediaIndex.lookup('att_1')?.path).toBe('/cache/h1')
    expect(temp.store.mediaIndex.lookup('https://storage/1.jpg')?.contentHash).toBe('h1')
    expect(temp.store.mediaIndex.totalBytes()).toEqual({ bytes: 100, files: 1 })
  })

  it('chooses the least recently used files until the cache fits, skipping files in use', () => {
    const { mediaIndex } = temp.store
    temp.clock.now = 1_000
    record('old', 400, ['a_old'])
    temp.clock.now = 2_000
    record('mid', 300, ['a_mid'])
    temp.clock.now = 3_000
    record('new', 300, ['a_new'])
    temp.clock.now = 4_000
    // Opening "old" makes it the most recently used.
    expect(mediaIndex.open('a_old')?.lastAccessMs).toBe(4_000)
    expect(mediaIndex.lookup('a_old')?.lastAccessMs).toBe(4_000)

    expect(mediaIndex.evictionCandidates(1_000)).toEqual([])
    expect(mediaIndex.evictionCandidates(700).map((file) => file.contentHash)).toEqual(['mid'])
    expect(mediaIndex.evictionCandidates(300).map((file) => file.contentHash)).toEqual(['mid', 'new', 'old'])
    expect(mediaIndex.evictionCandidates(700, new Set(['mid'])).map((file) => file.contentHash)).toEqual(['new'])

    expect(mediaIndex.forget('mid')).toBe(true)
    expect(mediaIndex.lookup('a_mid')).toBeNull()
    expect(mediaIndex.totalBytes()).toEqual({ bytes: 700, files: 2 })
  })
})

describe('integrity', () => {
  it('reports ok after a mixed workload', () => {
    temp.store.drafts.set('chat_1', 'x')
    temp.store.outbox.enqueue({ localId: 'l', chatId: 'chat_1', idempotencyKey: 'k', kind: 'text', body: 'hi' })
    expect(temp.store.integrityCheck()).toEqual(['ok'])
  })
})

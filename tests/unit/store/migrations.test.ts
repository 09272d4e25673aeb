import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, PAGE_CACHE_KIB } from '../../../electron/inbox/store/database.ts'
import { LATEST_SCHEMA_VERSION, openStore, StoreError, type Migration } from '../../../electron/inbox/store/index.ts'
import { MIGRATIONS } from '../../../electron/inbox/store/migrations.ts'
import { makeChat, makeMessage, makeTempDir } from './store-fixtures.ts'

const dirs: string[] = []
function tempPath(): string {
  const dir = makeTempDir()
  dirs.push(dir)
  return join(dir, 'inbox.sqlite')
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

function readVersion(path: string): number {
  const db = new Database(path, { readonly: true })
  try {
    return db.pragma('user_version', { simple: true }) as number
  } finally {
    db.close()
  }
}

describe('opening and migrating the cache', () => {
  it('creates every table from scratch, sets user_version and the pragmas', () => {
    const path = tempPath()
    const store = openStore(path)
    const db = new Database(path)
    try {
      const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]).sort()
      for (const table of ['profiles', 'chats', 'messages', 'attachments', 'reactions', 'outbox', 'drafts', 'sync_state',
        'processed_webhook_events', 'tunnel_cursor', 'media_files', 'media_keys', 'settings', 'message_search', 'chat_search']) {
        expect(tables).toContain(table)
      }
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION)
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    } finally {
      db.close()
    }
    expect(store.integrityCheck()).toEqual(['ok'])
    store.close()
  })

  it('reopens an existing cache without running migrations again and keeps its data', () => {
    const path = tempPath()
    const first = openStore(path)
    first.chats.upsertChat(makeChat({ id: 'chat_1', participant_name: 'Ana' }))
    first.close()
    const second = openStore(path)
    expect(second.chats.getChat('chat_1')?.chat.participant_name).toBe('Ana')
    expect(readVersion(path)).toBe(LATEST_SCHEMA_VERSION)
    second.close()
  })

  it('refuses a database written by a newer version, with a message for the user, and leaves it byte-for-byte unchanged', () => {
    const path = tempPath()
    const store = openStore(path)
    store.chats.upsertChat(makeChat({ id: 'chat_1' }))
    store.close()
    const future = new Database(path)
    future.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`)
    future.exec('CREATE TABLE from_the_future (x)')
    future.close()
    const before = fileHash(path)
    const filesBefore = readdirSync(join(path, '..')).sort()

    let error: unknown
    try {
      openStore(path)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(StoreError)
    expect((error as StoreError).code).toBe('newer_version')
    expect((error as StoreError).userMessage).toBe('This data was written by a newer version of dmdesk. Update the app to open it.')
    expect(fileHash(path)).toBe(before)
    expect(readdirSync(join(path, '..')).sort()).toEqual(filesBefore)
    expect(readVersion(path)).toBe(LATEST_SCHEMA_VERSION + 1)
  })

  it('refuses a file that is not a database and does not change it', () => {
    const path = tempPath()
    writeFileSync(path, 'this is a text file, not SQLite '.repeat(200))
    const before = fileHash(path)
    expect(() => openStore(path)).toThrow(StoreError)
    try {
      openStore(path)
    } catch (error) {
      expect((error as StoreError).code).toBe('not_a_database')
    }
    expect(fileHash(path)).toBe(before)
  })

  it('runs each migration in one transaction: a failing one is rolled back completely and the version stays', () => {
    const path = tempPath()
    const good: Migration = { version: 1, name: 'first', up: (db) => db.exec('CREATE TABLE first_table (x)') }
    const failing: Migration = {
      version: 2,
      name: 'second',
      up: (db) => {
        db.exec('CREATE TABLE second_table (x)')
        db.exec("INSERT INTO first_table VALUES ('written by the failing migration')")
        db.exec('THIS IS NOT SQL')
      }
    }
    let error: unknown
    try {
      openDatabase(path, { migrations: [good, failing] })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(StoreError)
    expect((error as StoreError).code).toBe('migration_failed')
    expect((error as StoreError).message).toContain('migration 2 (second)')

    const db = new Database(path, { readonly: true })
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(1)
      const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all()
      expect(tables).toContain('first_table')
      expect(tables).not.toContain('second_table')
      expect(db.prepare('SELECT count(*) FROM first_table').pluck().get()).toBe(0)
    } finally {
      db.close()
    }
  })

  it('applies only the migrations a database is missing', () => {
    const path = tempPath()
    const ran: number[] = []
    const migration = (version: number): Migration => ({
      version,
      name: `m${version}`,
      up: (db) => {
        ran.push(version)
        db.exec(`CREATE TABLE t${version} (x)`)
      }
    })
    openDatabase(path, { migrations: [migration(1)] }).close()
    openDatabase(path, { migrations: [migration(1), migration(2), migration(3)] }).close()
    expect(ran).toEqual([1, 2, 3])
    expect(readVersion(path)).toBe(3)
  })

  it("upgrades a cache from before triage (outbox extras, comments): a queued send keeps its quick replies and reply-to, and chats can be put away", () => {
    const path = tempPath()
    const triageAt = MIGRATIONS.findIndex((m) => m.name === 'triage, labels and saved replies')
    expect(triageAt).toBeGreaterThan(0)
    const before = openDatabase(path, { migrations: MIGRATIONS.slice(0, triageAt) })
    const extras = { reply_to_external_id: 'mid_1', quick_replies: [{ content_type: 'text', title: 'Small', payload: 'SIZE_S' }] }
    before.connection
      .prepare(`INSERT INTO chats (id, profile_id, platform, participant_external_id, created_at, raw, activity_ms, updated_at_ms)
                VALUES ('chat_1', 'prof_1', 'instagram', 'igsid_1', '2026-01-01T00:00:00Z', '{}', 1, 1)`)
      .run()
    before.connection
      .prepare(`INSERT INTO outbox (local_id, lane, chat_id, kind, body, extras, idempotency_key, state, created_at_ms, next_attempt_at_ms, updated_at_ms)
                VALUES ('local_1', 'chat:chat_1', 'chat_1', 'text', 'Which size?', ?, 'key_1', 'queued', 1, 1, 1)`)
      .run(JSON.stringify(extras))
    before.close()
    expect(readVersion(path)).toBe(MIGRATIONS[triageAt - 1].version)

    const store = openStore(path)
    try {
      expect(readVersion(path)).toBe(LATEST_SCHEMA_VERSION)
      expect(store.outbox.get('local_1')).toMatchObject({ body: 'Which size?', state: 'queued', extras })
      expect(store.triage.putAway(['chat_1'], 'done', null)).toEqual(['chat_1'])
      expect(store.triage.get('chat_1')).toMatchObject({ put_away: 'done' })
      expect(store.integrityCheck()).toEqual(['ok'])
    } finally {
      store.close()
    }
  })

  it('configures every connection: WAL, synchronous NORMAL, foreign keys, busy timeout, a bounded page cache', () => {
    const store = openStore(tempPath())
    expect(store.connectionSettings()).toEqual({
      journalMode: 'wal',
      synchronous: 1,
      foreignKeys: true,
      busyTimeoutMs: 5000,
      schemaVersion: LATEST_SCHEMA_VERSION,
      pageCacheKib: PAGE_CACHE_KIB
    })
    store.close()
  })

  it('keeps the page cache small enough that a day open does not grow the core by tens of MB, and takes another size when asked', () => {
    expect(PAGE_CACHE_KIB).toBeLessThanOrEqual(4 * 1024)
    const store = openStore(tempPath(), { cacheSizeKib: 16 * 1024 })
    expect(store.connectionSettings().pageCacheKib).toBe(16 * 1024)
    store.close()
  })

  it('still answers from a database many times larger than its page cache', () => {
    const path = tempPath()
    const store = openStore(path, { cacheSizeKib: 1024 })
    const chat = makeChat({ id: 'chat-big' })
    store.chats.upsertChats([chat])
    const body = 'x'.repeat(2000)
    store.transaction(() => {
      for (let page = 0; page < 10; page++) {
        store.messages.upsertMessages(
          Array.from({ length: 500 }, (_, i) => {
            const sentAt = new Date(Date.UTC(2026, 0, 1, 0, 0, page * 500 + i)).toISOString()
            return makeMessage({ id: `m-${page}-${i}`, chat_id: chat.id, body: `${body} needle${page}x${i}`, external_posted_at: sentAt, created_at: sentAt })
          })
        )
      }
    })
    expect(statSync(path).size + statSync(`${path}-wal`).size).toBeGreaterThan(8 * 1024 * 1024)
    const newest = store.messages.threadPage(chat.id, { limit: 50 })
    expect(newest.messages.map((m) => m.serverId).slice(0, 2)).toEqual(['m-9-499', 'm-9-498'])
    expect(store.search('needle9x250').messages.map((hit) => hit.messageId)).toEqual(['m-9-250'])
    store.close()
  })

  it('also refuses a newer database whose version change is still only in its WAL, without touching the file', () => {
    const path = tempPath()
    openStore(path).close()
    // Another (newer) app has the file open: its version bump sits in the WAL, not yet in the main file.
    const newerApp = new Database(path)
    try {
      newerApp.pragma('wal_autocheckpoint = 0')
      newerApp.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`)
      const before = fileHash(path)
      expect(() => openStore(path)).toThrow(/newer version of dmdesk/)
      expect(fileHash(path)).toBe(before)
    } finally {
      newerApp.close()
    }
  })
})

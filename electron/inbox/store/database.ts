// Opening the SQLite file: refuse a database from the future before touching it, then set the pragmas,
// migrate, and hand out one transaction helper that flushes change notifications after commit.
import { chmodSync, closeSync, existsSync, openSync, readSync, statSync } from 'node:fs'
import Database from 'better-sqlite3'
import type BetterSqlite3 from 'better-sqlite3'
import { PRIVATE_FILE_MODE } from '../private-files.ts'
import { MIGRATIONS, newerVersionError, readSchemaVersion, runMigrations, type Migration } from './migrations.ts'
import { StoreError, storeErrorFromSqlite } from './store-error.ts'
import { PendingChanges, StoreEvents } from './store-events.ts'

export type OpenDatabaseOptions = {
  /** Replaces the built-in migrations (tests of the migration runner). */
  migrations?: readonly Migration[]
  /** The clock for every "when" the store records; tests pass a controllable one. */
  now?: () => number
  /** Where errors thrown by change listeners go (they must not fail the write that already committed). */
  onListenerError?: (error: unknown) => void
  /** SQLite page cache in KiB; PAGE_CACHE_KIB unless given. */
  cacheSizeKib?: number
}

/**
 * SQLite's page cache for the connection, KiB. It keeps every page read until it is full, for the life of the
 * process: over a day open, the core's resident memory grows by as much as this allows (#14). The day bench
 * showed it: at 32 MiB the main malloc arena, where the cache lives, grew with the file over 8 busy hours
 * (10.7 -> 18.1 MB, the file 1.5 -> 7.6 MB; a creator's real cache, hundreds of MB, would fill all 32 MiB),
 * at 2 MiB it was flat from hour 4 (10.7 -> 12.0 MB). A page not held is a read from the OS's file cache away.
 * 4 MiB, twice SQLite's default: in the core bench (1M messages, 10k chats) it kept the thread page, the chat page
 * and search as at 32 MiB, where 2 MiB made the chat page slower (1.5-1.8 ms against 1.0-1.2 ms).
 */
export const PAGE_CACHE_KIB = 4 * 1024

/**
 * Work a repository defers to the end of the outermost transaction, still inside it: e.g. indexing every
 * message a batch inserted in one statement, instead of one per message.
 */
export interface CommitHook {
  /** Runs inside the outermost transaction, just before it commits. */
  beforeCommit(): void
  /** The outermost transaction rolled back. */
  rolledBack(): void
}

export class StoreDatabase {
  readonly connection: BetterSqlite3.Database
  readonly events: StoreEvents
  readonly changes = new PendingChanges()
  readonly now: () => number
  private readonly runInTransaction: BetterSqlite3.Transaction<(fn: () => unknown) => unknown>
  private readonly commitHooks: CommitHook[] = []

  constructor(connection: BetterSqlite3.Database, options: { now: () => number; onListenerError: (error: unknown) => void }) {
    this.connection = connection
    this.now = options.now
    this.events = new StoreEvents(options.onListenerError)
    this.runInTransaction = connection.transaction((fn: () => unknown) => fn())
  }

  /**
   * Runs `fn` atomically. Nested calls become savepoints of the outer transaction; change notifications
   * go out once, after the outermost commit, and are dropped if it rolls back. `fn` must be synchronous.
   */
  transaction<T>(fn: () => T): T {
    const outermost = !this.connection.inTransaction
    let result: T
    try {
      result = this.runInTransaction(() => {
        const value = requireSynchronous(fn())
        if (outermost) for (const hook of this.commitHooks) hook.beforeCommit()
        return value
      }) as T
    } catch (error) {
      if (outermost) {
        this.changes.discard()
        for (const hook of this.commitHooks) hook.rolledBack()
      }
      throw storeErrorFromSqlite(error)
    }
    if (outermost) this.changes.flush(this.events)
    return result
  }

  addCommitHook(hook: CommitHook): void {
    this.commitHooks.push(hook)
  }

  close(): void {
    if (this.connection.open) this.connection.close()
  }
}

/**
 * better-sqlite3 commits when the function returns; a Promise would mean the work after its first `await`
 * runs outside the transaction. Throwing here (inside it) rolls everything back instead.
 */
export function requireSynchronous<T>(result: T): T {
  if (typeof (result as { then?: unknown } | null)?.then === 'function') {
    throw new TypeError('Store transactions must be synchronous; the function returned a Promise')
  }
  return result
}

/**
 * Opens (creating if needed) and migrates the cache at `path`. Throws a StoreError with a message for the
 * user when the file is from a newer app version (left byte-for-byte untouched), damaged, or unwritable.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): StoreDatabase {
  const migrations = options.migrations ?? MIGRATIONS
  const known = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version
  if (existsSync(path)) refuseIfFromTheFuture(path, known)

  let connection: BetterSqlite3.Database
  try {
    restrictToOwner(path)
    connection = new Database(path)
  } catch (error) {
    throw storeErrorFromSqlite(error)
  }
  try {
    // Checked again on the writable connection before the first write: WAL mode is itself a write.
    const version = readSchemaVersion(connection)
    if (version > known) throw newerVersionError(version, known)
    // First, so that switching to WAL below waits for another process instead of failing at once.
    connection.pragma('busy_timeout = 5000')
    connection.pragma('journal_mode = WAL')
    // In WAL mode NORMAL loses at most the last commits on power loss, never consistency.
    connection.pragma('synchronous = NORMAL')
    connection.pragma('foreign_keys = ON')
    connection.pragma('temp_store = MEMORY')
    connection.pragma(`cache_size = -${Math.max(1024, Math.floor(options.cacheSizeKib ?? PAGE_CACHE_KIB))}`)
    runMigrations(connection, migrations)
  } catch (error) {
    connection.close()
    throw storeErrorFromSqlite(error)
  }
  return new StoreDatabase(connection, {
    now: options.now ?? Date.now,
    onListenerError: options.onListenerError ?? ((error) => console.error('dmdesk store: a change listener failed', error))
  })
}

/**
 * The cache holds DMs: its file is this user's only, created so before SQLite opens it (SQLite gives the -wal
 * and -shm files the database file's mode), and narrowed, with those, when an earlier version left them open.
 */
function restrictToOwner(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', PRIVATE_FILE_MODE))
  if (process.platform === 'win32') return
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE)
  }
}

/**
 * Reads the version without letting SQLite touch the file: even a read-only connection to a WAL database
 * creates -wal/-shm files, and a newer app's database must be left exactly as it was.
 */
function refuseIfFromTheFuture(path: string, known: number): void {
  const version = headerSchemaVersion(path) ?? walAwareSchemaVersion(path)
  if (version !== null && version > known) throw newerVersionError(version, known)
}

const SQLITE_MAGIC = 'SQLite format 3\u0000'
const HEADER_BYTES = 100
const USER_VERSION_OFFSET = 60

/** user_version from the file header, when the header is the whole truth (no pending WAL); null otherwise. */
function headerSchemaVersion(path: string): number | null {
  const walPath = `${path}-wal`
  if (existsSync(walPath) && statSync(walPath).size > 0) return null
  const header = Buffer.alloc(HEADER_BYTES)
  let read: number
  const fd = openSync(path, 'r')
  try {
    read = readSync(fd, header, 0, HEADER_BYTES, 0)
  } finally {
    closeSync(fd)
  }
  // SQLite treats an empty file as a new database.
  if (read === 0) return 0
  if (read < HEADER_BYTES || header.toString('latin1', 0, SQLITE_MAGIC.length) !== SQLITE_MAGIC) {
    throw new StoreError(
      'not_a_database',
      "dmdesk's saved data is damaged and could not be read. Your messages are still with Postproxy; the app can download them again.",
      { detail: `${path} is not an SQLite database` }
    )
  }
  return header.readUInt32BE(USER_VERSION_OFFSET)
}

/** A WAL with content may hold a newer header page: ask SQLite, read-only (the WAL files exist already). */
function walAwareSchemaVersion(path: string): number | null {
  let probe: BetterSqlite3.Database | undefined
  try {
    probe = new Database(path, { readonly: true, fileMustExist: true })
    return readSchemaVersion(probe)
  } catch (error) {
    const mapped = storeErrorFromSqlite(error)
    if (mapped instanceof StoreError && mapped.code === 'not_a_database') throw mapped
    // Anything else is decided by the writable open, which checks the version again before writing.
    return null
  } finally {
    probe?.close()
  }
}

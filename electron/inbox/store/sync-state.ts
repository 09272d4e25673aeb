// Sync bookkeeping as key/value pairs per scope (a profile id, or GLOBAL_SCOPE): `after=` cursors, the time
// of the last full reconciliation... Values are strings; callers own their format.
import type BetterSqlite3 from 'better-sqlite3'
import type { StoreDatabase } from './database.ts'

export const GLOBAL_SCOPE = ''

export class SyncStateRepository {
  private readonly db: StoreDatabase
  private readonly selectOne: BetterSqlite3.Statement<[string, string], { value: string }>
  private readonly upsert: BetterSqlite3.Statement
  private readonly remove: BetterSqlite3.Statement

  constructor(db: StoreDatabase) {
    this.db = db
    const c = db.connection
    this.selectOne = c.prepare('SELECT value FROM sync_state WHERE scope = ? AND key = ?')
    this.upsert = c.prepare(
      `INSERT INTO sync_state (scope, key, value, updated_at_ms) VALUES (@scope, @key, @value, @now)
       ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value, updated_at_ms = excluded.updated_at_ms`
    )
    this.remove = c.prepare('DELETE FROM sync_state WHERE scope = ? AND key = ?')
  }

  get(scope: string, key: string): string | null {
    return this.selectOne.get(scope, key)?.value ?? null
  }

  /** Joins the caller's transaction when there is one (a cursor must commit with the data it covers). */
  set(scope: string, key: string, value: string): void {
    this.db.transaction(() => this.upsert.run({ scope, key, value, now: this.db.now() }))
  }

  delete(scope: string, key: string): boolean {
    return this.db.transaction(() => this.remove.run(scope, key).changes > 0)
  }

  /** Everything stored for one scope, e.g. to reset a profile's sync. */
  entries(scope: string): Record<string, string> {
    const rows = this.db.connection.prepare('SELECT key, value FROM sync_state WHERE scope = ? ORDER BY key').all(scope) as {
      key: string
      value: string
    }[]
    return Object.fromEntries(rows.map((row) => [row.key, row.value]))
  }

  clearScope(scope: string): number {
    return this.db.transaction(() => this.db.connection.prepare('DELETE FROM sync_state WHERE scope = ?').run(scope).changes)
  }
}

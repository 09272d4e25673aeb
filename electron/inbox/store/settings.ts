// App preferences (notification choices, polling speeds, window layout...). Secrets never come here: the
// API key and webhook secrets live only in the OS keychain, and keys that look like secrets are refused.
import type BetterSqlite3 from 'better-sqlite3'
import type { StoreDatabase } from './database.ts'
import { StoreError } from './store-error.ts'

const SECRET_LOOKING_KEY = /secret|token|password|passwd|api[_-]?key|credential|whsec/i

export class SettingsRepository {
  private readonly db: StoreDatabase
  private readonly selectOne: BetterSqlite3.Statement<[string], { value: string }>
  private readonly upsert: BetterSqlite3.Statement
  private readonly remove: BetterSqlite3.Statement

  constructor(db: StoreDatabase) {
    this.db = db
    const c = db.connection
    this.selectOne = c.prepare('SELECT value FROM settings WHERE key = ?')
    this.upsert = c.prepare(
      `INSERT INTO settings (key, value, updated_at_ms) VALUES (@key, @value, @now)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at_ms = excluded.updated_at_ms`
    )
    this.remove = c.prepare('DELETE FROM settings WHERE key = ?')
  }

  /** The stored JSON value, or undefined when the setting was never saved. */
  get(key: string): unknown {
    const row = this.selectOne.get(key)
    return row === undefined ? undefined : JSON.parse(row.value)
  }

  set(key: string, value: unknown): void {
    if (SECRET_LOOKING_KEY.test(key)) {
      throw new StoreError('invalid_argument', 'Secrets are kept in the system keychain, not in the app settings.', {
        detail: `refused setting key "${key}"`
      })
    }
    const json = JSON.stringify(value)
    if (json === undefined) throw new StoreError('invalid_argument', 'This setting cannot be saved.', { detail: `unserializable value for "${key}"` })
    this.db.transaction(() => this.upsert.run({ key, value: json, now: this.db.now() }))
  }

  delete(key: string): boolean {
    return this.db.transaction(() => this.remove.run(key).changes > 0)
  }

  all(): Record<string, unknown> {
    const rows = this.db.connection.prepare('SELECT key, value FROM settings ORDER BY key').all() as { key: string; value: string }[]
    return Object.fromEntries(rows.map((row) => [row.key, JSON.parse(row.value)]))
  }
}

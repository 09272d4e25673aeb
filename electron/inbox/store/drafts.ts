// Unsent text per chat, so a half-written reply survives switching chats and restarting the app.
import type BetterSqlite3 from 'better-sqlite3'
import type { StoreDatabase } from './database.ts'

export class DraftsRepository {
  private readonly db: StoreDatabase
  private readonly selectOne: BetterSqlite3.Statement<[string], { text: string }>
  private readonly upsert: BetterSqlite3.Statement
  private readonly remove: BetterSqlite3.Statement

  constructor(db: StoreDatabase) {
    this.db = db
    const c = db.connection
    this.selectOne = c.prepare('SELECT text FROM drafts WHERE chat_id = ?')
    // Only for a stored chat: the foreign key would reject others, the SELECT just skips them.
    this.upsert = c.prepare(
      `INSERT INTO drafts (chat_id, text, updated_at_ms) SELECT @chat_id, @text, @now WHERE EXISTS (SELECT 1 FROM chats WHERE id = @chat_id)
       ON CONFLICT (chat_id) DO UPDATE SET text = excluded.text, updated_at_ms = excluded.updated_at_ms WHERE text IS NOT excluded.text`
    )
    this.remove = c.prepare('DELETE FROM drafts WHERE chat_id = ?')
  }

  get(chatId: string): string | null {
    return this.selectOne.get(chatId)?.text ?? null
  }

  /** Empty (or whitespace-only) text clears the draft. Returns whether anything changed. */
  set(chatId: string, text: string): boolean {
    return this.db.transaction(() => {
      const changed =
        text.trim() === ''
          ? this.remove.run(chatId).changes > 0
          : this.upsert.run({ chat_id: chatId, text, now: this.db.now() }).changes > 0
      if (changed) this.db.changes.chat(chatId)
      return changed
    })
  }

  clear(chatId: string): boolean {
    return this.set(chatId, '')
  }

  all(): { chatId: string; text: string; updatedAtMs: number }[] {
    return (
      this.db.connection.prepare('SELECT chat_id, text, updated_at_ms FROM drafts ORDER BY updated_at_ms DESC').all() as {
        chat_id: string
        text: string
        updated_at_ms: number
      }[]
    ).map((row) => ({ chatId: row.chat_id, text: row.text, updatedAtMs: row.updated_at_ms }))
  }
}

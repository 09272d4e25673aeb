// Saved replies: a title, the text, optionally quick-reply chips or buttons (kept as Postproxy takes them),
// in the creator's order.
import type BetterSqlite3 from 'better-sqlite3'
import type { StoreDatabase } from './database.ts'

export type SavedReplyRecord = {
  id: number
  title: string
  body: string
  /** JSON arrays, or null. */
  quickReplies: unknown[] | null
  buttons: unknown[] | null
  position: number
}

export type SavedReplyInput = Omit<SavedReplyRecord, 'id' | 'position'>

type SavedReplyRow = { id: number; title: string; body: string; quick_replies: string | null; buttons: string | null; position: number }

function fromRow(row: SavedReplyRow): SavedReplyRecord {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    quickReplies: row.quick_replies === null ? null : (JSON.parse(row.quick_replies) as unknown[]),
    buttons: row.buttons === null ? null : (JSON.parse(row.buttons) as unknown[]),
    position: row.position
  }
}

const json = (value: unknown[] | null) => (value === null ? null : JSON.stringify(value))

export class SavedRepliesRepository {
  private readonly db: StoreDatabase
  private readonly selectAll: BetterSqlite3.Statement<[], SavedReplyRow>
  private readonly selectOne: BetterSqlite3.Statement<[number], SavedReplyRow>
  private readonly insertReply: BetterSqlite3.Statement
  private readonly updateReply: BetterSqlite3.Statement
  private readonly deleteReply: BetterSqlite3.Statement
  private readonly deleteAll: BetterSqlite3.Statement
  private readonly setPosition: BetterSqlite3.Statement

  constructor(db: StoreDatabase) {
    this.db = db
    const c = db.connection
    const columns = 'id, title, body, quick_replies, buttons, position'
    this.selectAll = c.prepare(`SELECT ${columns} FROM saved_replies ORDER BY position, id`)
    this.selectOne = c.prepare(`SELECT ${columns} FROM saved_replies WHERE id = ?`)
    this.insertReply = c.prepare(
      `INSERT INTO saved_replies (title, body, quick_replies, buttons, position, created_at_ms, updated_at_ms)
       VALUES (@title, @body, @quick_replies, @buttons, (SELECT coalesce(max(position), -1) + 1 FROM saved_replies), @now, @now)`
    )
    this.updateReply = c.prepare(
      `UPDATE saved_replies SET title = @title, body = @body, quick_replies = @quick_replies, buttons = @buttons, updated_at_ms = @now
       WHERE id = @id`
    )
    this.deleteReply = c.prepare('DELETE FROM saved_replies WHERE id = ?')
    this.deleteAll = c.prepare('DELETE FROM saved_replies')
    this.setPosition = c.prepare('UPDATE saved_replies SET position = ? WHERE id = ?')
  }

  list(): SavedReplyRecord[] {
    return this.selectAll.all().map(fromRow)
  }

  get(id: number): SavedReplyRecord | null {
    const row = this.selectOne.get(id)
    return row ? fromRow(row) : null
  }

  /** Adds replies at the end, in the given order, in one transaction. Returns the new ids. */
  add(replies: readonly SavedReplyInput[]): number[] {
    return this.db.transaction(() =>
      replies.map((reply) =>
        Number(
          this.insertReply.run({ title: reply.title, body: reply.body, quick_replies: json(reply.quickReplies), buttons: json(reply.buttons), now: this.db.now() })
            .lastInsertRowid
        )
      )
    )
  }

  /** Replaces every saved reply with `replies` (an import that replaces), atomically. */
  replaceAll(replies: readonly SavedReplyInput[]): number[] {
    return this.db.transaction(() => {
      this.deleteAll.run()
      return this.add(replies)
    })
  }

  update(id: number, reply: SavedReplyInput): boolean {
    return this.db.transaction(
      () =>
        this.updateReply.run({ id, title: reply.title, body: reply.body, quick_replies: json(reply.quickReplies), buttons: json(reply.buttons), now: this.db.now() })
          .changes > 0
    )
  }

  delete(id: number): boolean {
    return this.db.transaction(() => this.deleteReply.run(id).changes > 0)
  }

  /** `ids` in their new order (every reply, each once; the caller checks). */
  reorder(ids: readonly number[]): void {
    this.db.transaction(() => ids.forEach((id, position) => this.setPosition.run(position, id)))
  }
}

// Adds newly inserted messages to the full-text index in one ordered statement per transaction (see the
// message_search comment in migrations.ts for why not a trigger). Updates and deletes of indexed rows are
// handled by triggers; a row still waiting here is indexed first, so those triggers always find it.
import type BetterSqlite3 from 'better-sqlite3'
import { MESSAGE_SEARCHABLE_SQL, MESSAGE_SEARCH_KEY_SQL } from './migrations.ts'

export class MessageSearchIndexer {
  private readonly pending = new Set<number>()
  private readonly insertRows: BetterSqlite3.Statement<[string]>

  constructor(connection: BetterSqlite3.Database) {
    // Ascending keys: FTS5 appends them to its buffer without flushing in between.
    this.insertRows = connection.prepare(
      `INSERT INTO message_search (rowid, body)
       SELECT ${MESSAGE_SEARCH_KEY_SQL('m')} AS search_key, m.body FROM messages m
       WHERE m.row_id IN (SELECT value FROM json_each(?)) AND ${MESSAGE_SEARCHABLE_SQL('m')}
       ORDER BY search_key`
    )
  }

  /** A message row was inserted; it is indexed at the next `flush`. */
  inserted(rowId: number): void {
    this.pending.add(rowId)
  }

  /** Call before updating or deleting a row: if it is still waiting, index it now so the triggers see it. */
  beforeChange(rowId: number): void {
    if (this.pending.has(rowId)) this.flush()
  }

  /**
   * Must run inside the transaction that inserted the rows. A row whose savepoint rolled back meanwhile is
   * simply not found (or, if its row id was taken again, the new row is indexed, as it should be).
   */
  flush(): void {
    if (this.pending.size === 0) return
    this.insertRows.run(JSON.stringify([...this.pending]))
    this.pending.clear()
  }

  /** The transaction rolled back: the rows are gone, and so is the need to index them. */
  discard(): void {
    this.pending.clear()
  }
}

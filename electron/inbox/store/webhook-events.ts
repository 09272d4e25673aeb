// Exactly-once application of relayed webhook events: the change, the processed event id and the relay
// cursor commit in ONE transaction (RELAY.md, "The desktop's side"). A crash before the commit means the
// event is delivered again and applied then; a crash after it means the redelivery is recognised and skipped.
import type BetterSqlite3 from 'better-sqlite3'
import { requireSynchronous, type StoreDatabase } from './database.ts'
import { StoreError } from './store-error.ts'

export type ApplyOutcome<T> = { status: 'applied'; value: T } | { status: 'duplicate' }

export class WebhookEventsRepository {
  private readonly db: StoreDatabase
  private readonly selectProcessed: BetterSqlite3.Statement<[string], { processed_at_ms: number }>
  private readonly insertProcessed: BetterSqlite3.Statement
  private readonly selectCursor: BetterSqlite3.Statement<[], { seq: number }>
  private readonly upsertCursor: BetterSqlite3.Statement

  constructor(db: StoreDatabase) {
    this.db = db
    const c = db.connection
    this.selectProcessed = c.prepare('SELECT processed_at_ms FROM processed_webhook_events WHERE event_id = ?')
    this.insertProcessed = c.prepare('INSERT INTO processed_webhook_events (event_id, processed_at_ms) VALUES (?, ?)')
    this.selectCursor = c.prepare('SELECT seq FROM tunnel_cursor WHERE singleton = 1')
    // The cursor only moves forward: a late, out-of-order commit cannot rewind the stream.
    this.upsertCursor = c.prepare(
      `INSERT INTO tunnel_cursor (singleton, seq, updated_at_ms) VALUES (1, @seq, @now)
       ON CONFLICT (singleton) DO UPDATE SET seq = max(seq, excluded.seq), updated_at_ms = excluded.updated_at_ms`
    )
  }

  /**
   * Runs `fn` (synchronous store writes) and records `eventId` as processed and `cursor` as the relay
   * position, all or nothing. A duplicate event id does not run `fn` but still advances the cursor, since
   * the frame was consumed. If `fn` throws, nothing is recorded and the error is rethrown.
   */
  applyInTransaction<T>(eventId: string, cursor: number | null, fn: () => T): ApplyOutcome<T> {
    if (eventId === '') throw new StoreError('invalid_argument', 'A webhook event without an id cannot be applied.', { detail: 'empty event id' })
    return this.db.transaction((): ApplyOutcome<T> => {
      if (this.selectProcessed.get(eventId)) {
        if (cursor !== null) this.advanceCursor(cursor)
        return { status: 'duplicate' }
      }
      const value = requireSynchronous(fn())
      this.insertProcessed.run(eventId, this.db.now())
      if (cursor !== null) this.advanceCursor(cursor)
      return { status: 'applied', value }
    })
  }

  isProcessed(eventId: string): boolean {
    return this.selectProcessed.get(eventId) !== undefined
  }

  /** For frames consumed without applying anything (a bad signature, an event type the inbox ignores). */
  advanceCursor(seq: number): void {
    if (!Number.isSafeInteger(seq) || seq < 0) {
      throw new StoreError('invalid_argument', 'The relay sent an invalid stream position.', { detail: `cursor ${seq}` })
    }
    this.db.transaction(() => this.upsertCursor.run({ seq, now: this.db.now() }))
  }

  /** The last relay seq committed, or null before the first event. */
  cursor(): number | null {
    return this.selectCursor.get()?.seq ?? null
  }

  /** After pairing with another relay channel: its seq numbers start over. */
  resetCursor(): void {
    this.db.transaction(() => this.db.connection.prepare('DELETE FROM tunnel_cursor').run())
  }

  /**
   * Forgets event ids processed before `olderThanMs`. Keep them longer than any redelivery can take
   * (relay retention 7 days, Postproxy retries ~2.5 h).
   */
  pruneProcessed(olderThanMs: number): number {
    return this.db.transaction(
      () => this.db.connection.prepare('DELETE FROM processed_webhook_events WHERE processed_at_ms < ?').run(olderThanMs).changes
    )
  }
}

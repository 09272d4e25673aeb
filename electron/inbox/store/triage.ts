// Triage state of chats (table chat_triage): put away as done or snoozed, pinned, and why a chat came
// back. Rows exist only for chats with some state; a chat back in the inbox with nothing to say has none.
// Which list a chat shows in follows from these rows by trigger (see triage-schema.ts).
import type BetterSqlite3 from 'better-sqlite3'
import type { StoreDatabase } from './database.ts'

export type PutAwayKind = 'done' | 'snoozed'
export type ReturnReason = 'snooze_ended' | 'wrote_again'

export type ChatTriageRow = {
  chat_id: string
  put_away: PutAwayKind | null
  snoozed_until_ms: number | null
  put_away_at_ms: number | null
  put_away_inbound_sort_at: number
  put_away_inbound_row_id: number
  returned_reason: ReturnReason | null
  returned_at_ms: number | null
  pinned_at_ms: number | null
}

const TRIAGE_COLUMNS = [
  'chat_id', 'put_away', 'snoozed_until_ms', 'put_away_at_ms', 'put_away_inbound_sort_at', 'put_away_inbound_row_id',
  'returned_reason', 'returned_at_ms', 'pinned_at_ms'
] as const satisfies readonly (keyof ChatTriageRow)[]

/** Chat ids as one JSON parameter, read with json_each: one statement for any number of chats. */
const IDS = 'SELECT value FROM json_each(@ids)'

export class TriageRepository {
  private readonly db: StoreDatabase
  private readonly knownChats: BetterSqlite3.Statement<{ ids: string }, string>
  private readonly upsertPutAway: BetterSqlite3.Statement
  private readonly clearPutAway: BetterSqlite3.Statement
  private readonly upsertPinned: BetterSqlite3.Statement
  private readonly clearPinned: BetterSqlite3.Statement
  private readonly clearReturn: BetterSqlite3.Statement
  private readonly dropEmpty: BetterSqlite3.Statement
  private readonly wakeSnoozed: BetterSqlite3.Statement<{ now: number }, string>
  private readonly earliestWake: BetterSqlite3.Statement<[], { at: number | null }>
  private readonly selectRows: BetterSqlite3.Statement<{ ids: string }, ChatTriageRow>
  private readonly deleteRows: BetterSqlite3.Statement
  private readonly insertRow: BetterSqlite3.Statement

  constructor(db: StoreDatabase) {
    this.db = db
    const c = db.connection
    this.knownChats = c.prepare(`SELECT id FROM chats WHERE id IN (${IDS})`).pluck() as BetterSqlite3.Statement<{ ids: string }, string>
    this.upsertPutAway = c.prepare(
      `INSERT INTO chat_triage (chat_id, put_away, snoozed_until_ms, put_away_at_ms, put_away_inbound_sort_at, put_away_inbound_row_id)
       SELECT c.id, @kind, @until, @now, coalesce(c.newest_inbound_sort_at, 0), coalesce(c.newest_inbound_row_id, 0)
       FROM chats c WHERE c.id IN (${IDS})
       ON CONFLICT (chat_id) DO UPDATE SET put_away = excluded.put_away, snoozed_until_ms = excluded.snoozed_until_ms,
         put_away_at_ms = excluded.put_away_at_ms, put_away_inbound_sort_at = excluded.put_away_inbound_sort_at,
         put_away_inbound_row_id = excluded.put_away_inbound_row_id, returned_reason = NULL, returned_at_ms = NULL`
    )
    this.clearPutAway = c.prepare(
      `UPDATE chat_triage SET put_away = NULL, snoozed_until_ms = NULL, put_away_at_ms = NULL, returned_reason = NULL, returned_at_ms = NULL
       WHERE chat_id IN (${IDS})`
    )
    this.upsertPinned = c.prepare(
      `INSERT INTO chat_triage (chat_id, pinned_at_ms) SELECT c.id, @now FROM chats c WHERE c.id IN (${IDS})
       ON CONFLICT (chat_id) DO UPDATE SET pinned_at_ms = coalesce(pinned_at_ms, excluded.pinned_at_ms)`
    )
    this.clearPinned = c.prepare(`UPDATE chat_triage SET pinned_at_ms = NULL WHERE chat_id IN (${IDS})`)
    this.clearReturn = c.prepare(
      'UPDATE chat_triage SET returned_reason = NULL, returned_at_ms = NULL WHERE chat_id = ? AND returned_reason IS NOT NULL'
    )
    this.dropEmpty = c.prepare(
      `DELETE FROM chat_triage WHERE chat_id IN (${IDS}) AND put_away IS NULL AND pinned_at_ms IS NULL AND returned_reason IS NULL`
    )
    // The snooze's own end is when it came back, even if the app was closed then and wakes it later.
    this.wakeSnoozed = c.prepare(
      `UPDATE chat_triage SET put_away = NULL, snoozed_until_ms = NULL, returned_reason = 'snooze_ended', returned_at_ms = snoozed_until_ms
       WHERE put_away = 'snoozed' AND snoozed_until_ms <= @now RETURNING chat_id`
    ).pluck() as BetterSqlite3.Statement<{ now: number }, string>
    this.earliestWake = c.prepare("SELECT min(snoozed_until_ms) AS at FROM chat_triage WHERE put_away = 'snoozed'")
    this.selectRows = c.prepare(`SELECT ${TRIAGE_COLUMNS.join(', ')} FROM chat_triage WHERE chat_id IN (${IDS}) ORDER BY chat_id`)
    this.deleteRows = c.prepare(`DELETE FROM chat_triage WHERE chat_id IN (${IDS})`)
    this.insertRow = c.prepare(
      `INSERT INTO chat_triage (${TRIAGE_COLUMNS.join(', ')}) VALUES (${TRIAGE_COLUMNS.map((name) => `@${name}`).join(', ')})`
    )
  }

  /** The ids among `chatIds` that are stored chats, in the given order. */
  existingChats(chatIds: readonly string[]): string[] {
    const known = new Set(this.knownChats.all({ ids: JSON.stringify(chatIds) }))
    return [...new Set(chatIds)].filter((id) => known.has(id))
  }

  /**
   * Puts chats away as done, or snoozed until `untilMs`. The newest inbound message each has now is the
   * marker a later one must pass to bring it back. Returns the chats that exist.
   */
  putAway(chatIds: readonly string[], kind: PutAwayKind, untilMs: number | null): string[] {
    return this.writeEach(chatIds, (ids) => {
      this.upsertPutAway.run({ ids, kind, until: kind === 'snoozed' ? untilMs : null, now: this.db.now() })
    })
  }

  /** Back to the inbox, with no note about why (the creator did it). */
  returnToInbox(chatIds: readonly string[]): string[] {
    return this.writeEach(chatIds, (ids) => this.clearPutAway.run({ ids }))
  }

  setPinned(chatIds: readonly string[], pinned: boolean): string[] {
    return this.writeEach(chatIds, (ids) => (pinned ? this.upsertPinned.run({ ids, now: this.db.now() }) : this.clearPinned.run({ ids })))
  }

  /** The creator saw why the chat came back (they opened it): the note goes. Returns whether there was one. */
  acknowledgeReturn(chatId: string): boolean {
    return this.db.transaction(() => {
      if (this.clearReturn.run(chatId).changes === 0) return false
      this.dropEmpty.run({ ids: JSON.stringify([chatId]) })
      this.db.changes.chat(chatId)
      return true
    })
  }

  /** Ends every snooze due at `nowMs`; the chats come back saying so. Returns their ids. */
  wakeDue(nowMs: number): string[] {
    return this.db.transaction(() => {
      const woken = this.wakeSnoozed.all({ now: nowMs })
      for (const id of woken) this.db.changes.chat(id)
      return woken
    })
  }

  /** When the next snooze ends (epoch ms), or null when nothing is snoozed. */
  nextWakeAt(): number | null {
    return this.earliestWake.get()?.at ?? null
  }

  get(chatId: string): ChatTriageRow | null {
    return this.selectRows.get({ ids: JSON.stringify([chatId]) }) ?? null
  }

  /** The rows of these chats as they are now, for an exact restore (undo). */
  snapshot(chatIds: readonly string[]): ChatTriageRow[] {
    return this.selectRows.all({ ids: JSON.stringify(chatIds) })
  }

  /** Makes the rows of `chatIds` exactly `rows` again (chats without a row in `rows` get none). */
  restore(chatIds: readonly string[], rows: readonly ChatTriageRow[]): void {
    this.db.transaction(() => {
      const existing = this.existingChats(chatIds)
      const kept = new Set(existing)
      this.deleteRows.run({ ids: JSON.stringify(existing) })
      for (const row of rows) if (kept.has(row.chat_id)) this.insertRow.run(row)
      for (const id of existing) this.db.changes.chat(id)
    })
  }

  private writeEach(chatIds: readonly string[], write: (idsJson: string) => void): string[] {
    return this.db.transaction(() => {
      const existing = this.existingChats(chatIds)
      if (existing.length === 0) return existing
      const ids = JSON.stringify(existing)
      write(ids)
      this.dropEmpty.run({ ids })
      for (const id of existing) this.db.changes.chat(id)
      return existing
    })
  }
}

// Labels the creator defines (a name and a palette colour, in the creator's order) and which chats carry
// them (several per chat).
import type BetterSqlite3 from 'better-sqlite3'
import type { StoreDatabase } from './database.ts'

export type LabelRow = { id: number; name: string; color: string; position: number; chat_count: number }
export type ChatLabelRow = { chat_id: string; label_id: number; added_at_ms: number }

const IDS = 'SELECT value FROM json_each(@ids)'

export class LabelsRepository {
  private readonly db: StoreDatabase
  private readonly selectAll: BetterSqlite3.Statement<[], LabelRow>
  private readonly selectOne: BetterSqlite3.Statement<[number], LabelRow>
  private readonly selectByName: BetterSqlite3.Statement<[string], { id: number }>
  private readonly insertLabel: BetterSqlite3.Statement
  private readonly updateLabel: BetterSqlite3.Statement
  private readonly deleteLabel: BetterSqlite3.Statement
  private readonly setPosition: BetterSqlite3.Statement
  private readonly chatsWith: BetterSqlite3.Statement<[number], string>
  private readonly addToChats: BetterSqlite3.Statement
  private readonly removeFromChats: BetterSqlite3.Statement
  private readonly assignmentsOfChats: BetterSqlite3.Statement<{ ids: string }, ChatLabelRow>
  private readonly deleteAssignments: BetterSqlite3.Statement
  private readonly insertAssignment: BetterSqlite3.Statement

  constructor(db: StoreDatabase) {
    this.db = db
    const c = db.connection
    const withCount = `SELECT l.id, l.name, l.color, l.position, (SELECT count(*) FROM chat_labels cl WHERE cl.label_id = l.id) AS chat_count FROM labels l`
    this.selectAll = c.prepare(`${withCount} ORDER BY l.position, l.id`)
    this.selectOne = c.prepare(`${withCount} WHERE l.id = ?`)
    this.selectByName = c.prepare('SELECT id FROM labels WHERE name = ?')
    this.insertLabel = c.prepare(
      `INSERT INTO labels (name, color, position, created_at_ms)
       VALUES (@name, @color, (SELECT coalesce(max(position), -1) + 1 FROM labels), @now)`
    )
    this.updateLabel = c.prepare('UPDATE labels SET name = coalesce(@name, name), color = coalesce(@color, color) WHERE id = @id')
    this.deleteLabel = c.prepare('DELETE FROM labels WHERE id = ?')
    this.setPosition = c.prepare('UPDATE labels SET position = ? WHERE id = ?')
    this.chatsWith = c.prepare('SELECT chat_id FROM chat_labels WHERE label_id = ?').pluck() as BetterSqlite3.Statement<[number], string>
    this.addToChats = c.prepare(
      `INSERT INTO chat_labels (chat_id, label_id, added_at_ms) SELECT c.id, @label, @now FROM chats c WHERE c.id IN (${IDS})
       ON CONFLICT (chat_id, label_id) DO NOTHING`
    )
    this.removeFromChats = c.prepare(`DELETE FROM chat_labels WHERE label_id = @label AND chat_id IN (${IDS})`)
    this.assignmentsOfChats = c.prepare(`SELECT chat_id, label_id, added_at_ms FROM chat_labels WHERE chat_id IN (${IDS}) ORDER BY chat_id, label_id`)
    this.deleteAssignments = c.prepare(`DELETE FROM chat_labels WHERE chat_id IN (${IDS})`)
    this.insertAssignment = c.prepare('INSERT INTO chat_labels (chat_id, label_id, added_at_ms) VALUES (@chat_id, @label_id, @added_at_ms)')
  }

  list(): LabelRow[] {
    return this.selectAll.all()
  }

  get(id: number): LabelRow | null {
    return this.selectOne.get(id) ?? null
  }

  /** The label with this name, ignoring case (names are unique that way). */
  idByName(name: string): number | null {
    return this.selectByName.get(name)?.id ?? null
  }

  create(name: string, color: string): LabelRow {
    return this.db.transaction(() => {
      const id = Number(this.insertLabel.run({ name, color, now: this.db.now() }).lastInsertRowid)
      return this.get(id)!
    })
  }

  update(id: number, change: { name?: string; color?: string }): LabelRow | null {
    return this.db.transaction(() => {
      if (this.updateLabel.run({ id, name: change.name ?? null, color: change.color ?? null }).changes === 0) return null
      // Rows show the label's name and colour.
      for (const chatId of this.chatsWith.all(id)) this.db.changes.chat(chatId)
      return this.get(id)
    })
  }

  /** Deletes the label and takes it off every chat. Returns whether it existed. */
  delete(id: number): boolean {
    return this.db.transaction(() => {
      const chats = this.chatsWith.all(id)
      if (this.deleteLabel.run(id).changes === 0) return false
      for (const chatId of chats) this.db.changes.chat(chatId)
      return true
    })
  }

  /** `ids` in their new order (every label, each once; the caller checks). */
  reorder(ids: readonly number[]): void {
    this.db.transaction(() => ids.forEach((id, position) => this.setPosition.run(position, id)))
  }

  /** Adds the label to (or removes it from) the stored chats among `chatIds`. */
  assign(chatIds: readonly string[], labelId: number, on: boolean): void {
    this.db.transaction(() => {
      const ids = JSON.stringify(chatIds)
      if (on) this.addToChats.run({ ids, label: labelId, now: this.db.now() })
      else this.removeFromChats.run({ ids, label: labelId })
      for (const id of chatIds) this.db.changes.chat(id)
    })
  }

  /** Which labels these chats carry now, for an exact restore (undo). */
  assignmentsOf(chatIds: readonly string[]): ChatLabelRow[] {
    return this.assignmentsOfChats.all({ ids: JSON.stringify(chatIds) })
  }

  /** The chats' labels become exactly `rows` again (labels deleted meanwhile stay deleted). */
  restoreAssignments(chatIds: readonly string[], rows: readonly ChatLabelRow[]): void {
    this.db.transaction(() => {
      this.deleteAssignments.run({ ids: JSON.stringify(chatIds) })
      const existing = new Set(this.list().map((label) => label.id))
      for (const row of rows) if (existing.has(row.label_id)) this.insertAssignment.run(row)
      for (const id of chatIds) this.db.changes.chat(id)
    })
  }
}

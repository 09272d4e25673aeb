// What each recent triage action changed, so "Undo" can put it back exactly. Kept in memory for a moment
// (the toast's life, with room to spare): the newest few actions, each for a few minutes of app time.
import { randomUUID } from 'node:crypto'

const KEPT_ACTIONS = 20
const KEPT_FOR_MS = 5 * 60_000

export class UndoLog<T> {
  readonly #now: () => number
  readonly #entries = new Map<string, { at: number; before: T }>()

  constructor(now: () => number) {
    this.#now = now
  }

  /** Remembers the state before an action; returns the id that undoes it. */
  record(before: T): string {
    const id = randomUUID()
    this.#entries.set(id, { at: this.#now(), before })
    // A Map iterates in insertion order: the first keys are the oldest.
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= KEPT_ACTIONS) break
      this.#entries.delete(key)
    }
    return id
  }

  /** The state before the action, once: null when unknown, already undone, or too old. */
  take(id: string): T | null {
    const entry = this.#entries.get(id)
    this.#entries.delete(id)
    if (!entry || this.#now() - entry.at > KEPT_FOR_MS) return null
    return entry.before
  }
}

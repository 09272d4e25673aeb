// An app clock the test moves by hand: `now` for InboxOptions.now and `setTimer` for InboxOptions.timers.
// Advancing it runs every timer that became due, in time order, at its own time.
import type { AppTimers } from '../../electron/inbox/app-timers.ts'

export class FakeClock implements AppTimers {
  #now: number
  #nextId = 0
  readonly #timers = new Map<number, { at: number; callback: () => void }>()

  constructor(start: number) {
    this.#now = start
  }

  readonly now = (): number => this.#now

  setTimer(callback: () => void, delayMs: number): () => void {
    const id = this.#nextId++
    this.#timers.set(id, { at: this.#now + Math.max(0, delayMs), callback })
    return () => this.#timers.delete(id)
  }

  /** How many timers are waiting. */
  get pending(): number {
    return this.#timers.size
  }

  /** Moves time forward by `ms`, running the timers due on the way (including ones they set). */
  advance(ms: number): void {
    const end = this.#now + ms
    for (let guard = 0; guard < 10_000; guard++) {
      const due = [...this.#timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0]
      if (!due) break
      this.#timers.delete(due[0])
      this.#now = Math.max(this.#now, due[1].at)
      due[1].callback()
    }
    this.#now = end
  }
}

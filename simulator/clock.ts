// Simulated time: real time plus an offset the control API can advance, and timers that run on it.
// Advancing the clock fires every timer that became due, so a test can move a send from `pending`
// to `published`, or a chat past its 24-hour window, without waiting.
import type { SimClock } from './contracts.ts'

interface ScheduledTask {
  dueAt: number
  run: () => void
  timer: NodeJS.Timeout
}

export class SimulatedClock implements SimClock {
  #offsetMs: number
  #tasks = new Set<ScheduledTask>()
  #closed = false
  #onAdvance: ((offsetMs: number) => void) | null

  constructor(offsetMs = 0, onAdvance: ((offsetMs: number) => void) | null = null) {
    this.#offsetMs = offsetMs
    this.#onAdvance = onAdvance
  }

  now(): number {
    return Date.now() + this.#offsetMs
  }

  nowIso(): string {
    return new Date(this.now()).toISOString()
  }

  get offsetMs(): number {
    return this.#offsetMs
  }

  /** Moves simulated time forward and runs, in due order, every task that is now due. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('The clock only moves forward by a finite number of milliseconds.')
    this.#offsetMs += ms
    this.#onAdvance?.(this.#offsetMs)
    this.#runDue()
  }

  /** Runs `task` once simulated time reaches `dueAt` (by real waiting or by `advance`). */
  schedule(dueAt: number, task: () => void): () => void {
    if (this.#closed) return () => {}
    const entry: ScheduledTask = {
      dueAt,
      run: task,
      // Timers can fire a millisecond before Date.now() agrees; the task's own timer runs it regardless.
      timer: setTimeout(() => this.#runDue(entry), Math.max(0, dueAt - this.now()))
    }
    this.#tasks.add(entry)
    return () => {
      clearTimeout(entry.timer)
      this.#tasks.delete(entry)
    }
  }

  /** How many tasks are waiting (tests and the state dump). */
  get scheduledCount(): number {
    return this.#tasks.size
  }

  /** Drops every pending task; nothing runs after this. */
  close(): void {
    this.#closed = true
    for (const task of this.#tasks) clearTimeout(task.timer)
    this.#tasks.clear()
  }

  #runDue(fired?: ScheduledTask): void {
    // A task may schedule another (a transient failure schedules its retry); those run on a later pass.
    const now = this.now()
    const due = [...this.#tasks].filter((task) => task.dueAt <= now || task === fired).sort((a, b) => a.dueAt - b.dueAt)
    for (const task of due) {
      clearTimeout(task.timer)
      this.#tasks.delete(task)
    }
    for (const task of due) {
      try {
        task.run()
      } catch (error) {
        console.error('[simulator] a scheduled task failed:', error)
      }
    }
  }
}

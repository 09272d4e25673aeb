// The one timer that ends snoozes: armed for the earliest snooze end, re-armed whenever snoozes change,
// and checked at start-up (snoozes that ended while the app was closed wake at once). It runs on the app
// clock, so a fake clock drives it in tests; a late timer (the laptop slept) wakes everything due.
import type { AppTimers } from '../app-timers.ts'

/** Node timers overflow past 2^31-1 ms (~24.8 days); a longer snooze is reached in steps. */
const LONGEST_DELAY_MS = 2_147_483_647
/** After a failed wake (the disk, a locked file), try again this much later. */
const RETRY_AFTER_FAILURE_MS = 60_000

export interface SnoozeAlarmDeps {
  now: () => number
  timers: AppTimers
  /** When the earliest snooze ends, or null when nothing is snoozed. */
  nextWakeAt: () => number | null
  /** Ends the snoozes due at `now`; returns the chats that came back. */
  wakeDue: (now: number) => string[]
}

export class SnoozeAlarm {
  readonly #deps: SnoozeAlarmDeps
  #cancel: (() => void) | null = null
  #stopped = false

  constructor(deps: SnoozeAlarmDeps) {
    this.#deps = deps
  }

  /** Wakes what is due now, then arms the timer for the next snooze end. Returns the chats that came back. */
  check(): string[] {
    if (this.#stopped) return []
    let woken: string[] = []
    try {
      // Called on every focus or network change: a write only when something is due.
      const next = this.#deps.nextWakeAt()
      const now = this.#deps.now()
      if (next !== null && next <= now) woken = this.#deps.wakeDue(now)
    } catch {
      this.#schedule(RETRY_AFTER_FAILURE_MS)
      return []
    }
    this.rearm()
    return woken
  }

  /** Sets the timer for the earliest snooze end as it is now (after a snooze, an undo, a chat that wrote again). */
  rearm(): void {
    if (this.#stopped) return
    let next: number | null
    try {
      next = this.#deps.nextWakeAt()
    } catch {
      this.#schedule(RETRY_AFTER_FAILURE_MS)
      return
    }
    if (next === null) this.#clear()
    else this.#schedule(next - this.#deps.now())
  }

  stop(): void {
    this.#stopped = true
    this.#clear()
  }

  #schedule(delayMs: number): void {
    this.#clear()
    this.#cancel = this.#deps.timers.setTimer(
      () => {
        this.#cancel = null
        this.check()
      },
      Math.min(Math.max(0, delayMs), LONGEST_DELAY_MS)
    )
  }

  #clear(): void {
    this.#cancel?.()
    this.#cancel = null
  }
}

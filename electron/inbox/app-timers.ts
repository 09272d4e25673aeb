// Timers on the app clock. The core schedules through this (never setTimeout directly) so that tests
// can drive time with a fake clock: `InboxOptions.now` and `InboxOptions.timers` come as a pair.

export interface AppTimers {
  /** Calls `callback` after `delayMs` of app time; returns the function that cancels it. */
  setTimer(callback: () => void, delayMs: number): () => void
}

/** Node's timers, not keeping the process alive on their own. */
export const SYSTEM_TIMERS: AppTimers = {
  setTimer(callback, delayMs) {
    const timer = setTimeout(callback, delayMs)
    timer.unref?.()
    return () => clearTimeout(timer)
  }
}

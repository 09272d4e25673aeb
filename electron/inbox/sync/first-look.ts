// A new account's first sync lists the chats, then fetches each chat's newest messages (and their media).
// On a cold start that second part ran while the window was drawing its first rows, and took the CPU those
// rows waited for (2 cores: the core, the renderer and the browser all busy). So where a window shows the
// inbox, the messages wait for the creator's first look at the list: until the window says it has painted
// rows (the `listShown` call), or FIRST_LOOK_GRACE_MS when it does not (a hidden window, web mode before a
// browser opens the page). Measured: README, "Performance v2", cold_start_empty_ms.
export const FIRST_LOOK_GRACE_MS = 2000

export class FirstLook {
  #seen = false
  readonly #waiting = new Set<() => void>()
  readonly #graceMs: number

  /** The longest wait for the window; 0 without one (tests, benchmarks): nothing waits. */
  constructor(graceMs: number) {
    this.#graceMs = graceMs
  }

  /** The window painted the chat list with chats in it: whatever waited for that goes ahead. */
  seen(): void {
    if (this.#seen) return
    this.#seen = true
    for (const wake of this.#waiting) wake()
    this.#waiting.clear()
  }

  /** Resolves once the list has been seen, after the grace at most, or when `signal` aborts. */
  wait(signal?: AbortSignal): Promise<void> {
    if (this.#seen || this.#graceMs === 0 || signal?.aborted) return Promise.resolve()
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(grace)
        signal?.removeEventListener('abort', wake)
        this.#waiting.delete(wake)
        resolve()
      }
      const grace = setTimeout(wake, this.#graceMs)
      // A core closing meanwhile does not stay up for it.
      grace.unref()
      signal?.addEventListener('abort', wake)
      this.#waiting.add(wake)
    })
  }
}

// How fast one API key may call Postproxy. Postproxy does not document its limit (POSTPROXY.md §8), so the
// client assumes one, paces itself evenly below it, and learns from the server: a 429 (with Retry-After)
// slows it down and pauses every request of the key, rate headers, when a server sends them, pause it
// before a 429 happens, and a long quiet stretch lets it creep back up to the assumption (never above it).
//
// Even spacing rather than bursts: a server counting in fixed windows sees at most one request per
// interval, so a little network jitter cannot squeeze two bursts into one of its windows.

export interface RequestRate {
  /** Requests allowed … */
  requests: number
  /** … per this many milliseconds. */
  perMs: number
}

/**
 * The limit assumed until the server says otherwise: 10 requests/s per key, a common API default and
 * what the benchmarks' Postproxy stand-in enforces. Paced at `PACING_SHARE` of it.
 */
export const POSTPROXY_ASSUMED_RATE: RequestRate = { requests: 10, perMs: 1000 }

/** The share of a known limit the client uses, leaving room for jitter between sending and arriving. */
export const PACING_SHARE = 0.9
/** Each 429 stretches the interval by this factor (multiplicative decrease) … */
const SLOWDOWN_FACTOR = 1 / 0.7
/** … at most once per this long, so one burst of refused requests counts as one lesson. */
const SLOWDOWN_DEBOUNCE_MS = 1000
/** Never slower than one request every 10 s, whatever happened. */
const SLOWEST_INTERVAL_MS = 10_000
/** After this long without a 429, the interval shrinks by a step back toward the assumption. */
const RECOVERY_AFTER_MS = 2 * 60_000
const RECOVERY_FACTOR = 0.9
/** A 429 without Retry-After pauses the key this long. */
const DEFAULT_PAUSE_MS = 1000

/** What one answer says about the limit. */
export interface RateFeedback {
  status: number | null
  /** From Retry-After, on a 429. */
  retryAfterMs?: number
  /** From rate headers, when present (see rate-limit-headers.ts). */
  remaining?: number
  resetMs?: number
}

/** The pace of one API key: the interval between request starts, and a pause the server asked for. */
export class LearnedRate {
  readonly #floorIntervalMs: number
  #intervalMs: number
  #pausedUntil = 0
  #lastLessonAt = Number.NEGATIVE_INFINITY
  #throttled = 0

  constructor(assumed: RequestRate) {
    if (!(assumed.requests > 0) || !(assumed.perMs > 0)) throw new RangeError('A request rate needs a positive number of requests and milliseconds')
    this.#floorIntervalMs = assumed.perMs / (assumed.requests * PACING_SHARE)
    this.#intervalMs = this.#floorIntervalMs
  }

  /** Milliseconds between two request starts, now. */
  get intervalMs(): number {
    return this.#intervalMs
  }

  get pausedUntil(): number {
    return this.#pausedUntil
  }

  /** 429 answers seen. */
  get throttled(): number {
    return this.#throttled
  }

  /** The earliest a request may start, given when the previous one did. */
  nextStartAt(previousStartAt: number, now: number): number {
    this.#recover(now)
    return Math.max(previousStartAt + this.#intervalMs, this.#pausedUntil)
  }

  observe(feedback: RateFeedback, now: number): void {
    if (feedback.status === 429) {
      this.#throttled++
      this.#pausedUntil = Math.max(this.#pausedUntil, now + (feedback.retryAfterMs ?? DEFAULT_PAUSE_MS))
      if (now - this.#lastLessonAt >= SLOWDOWN_DEBOUNCE_MS) this.#intervalMs = Math.min(SLOWEST_INTERVAL_MS, this.#intervalMs * SLOWDOWN_FACTOR)
      this.#lastLessonAt = now
      return
    }
    // The server counts for us: nothing left in its window means wait for the window's end.
    if (feedback.remaining === 0 && feedback.resetMs !== undefined) this.#pausedUntil = Math.max(this.#pausedUntil, now + feedback.resetMs)
  }

  #recover(now: number): void {
    if (this.#intervalMs <= this.#floorIntervalMs || now - this.#lastLessonAt < RECOVERY_AFTER_MS) return
    this.#intervalMs = Math.max(this.#floorIntervalMs, this.#intervalMs * RECOVERY_FACTOR)
    this.#lastLessonAt = now
  }
}

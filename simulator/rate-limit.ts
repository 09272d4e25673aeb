// A fixed-window rate limit per API key, off unless configured. Postproxy's own limits are
// undocumented (POSTPROXY.md §8), so the simulator lets a test pick one and checks the client
// honours 429 + Retry-After. Windows run on the simulated clock: advancing it ends a window.
import type { SimClock } from './contracts.ts'

export interface RateLimitConfig {
  /** Requests allowed per window. */
  limit: number
  windowMs: number
}

export class RateLimiter {
  #config: RateLimitConfig | null
  #clock: SimClock
  #windows = new Map<string, { startedAt: number; count: number }>()

  constructor(clock: SimClock, config: RateLimitConfig | null) {
    this.#clock = clock
    this.#config = config
  }

  get config(): RateLimitConfig | null {
    return this.#config
  }

  configure(config: RateLimitConfig | null): void {
    this.#config = config
    this.#windows.clear()
  }

  /** Counts a request; returns null when allowed, else the seconds to wait (for Retry-After). */
  take(key: string): number | null {
    const config = this.#config
    if (!config) return null
    const now = this.#clock.now()
    let window = this.#windows.get(key)
    if (!window || now >= window.startedAt + config.windowMs) {
      window = { startedAt: now, count: 0 }
      this.#windows.set(key, window)
    }
    if (window.count < config.limit) {
      window.count++
      return null
    }
    return Math.max(1, Math.ceil((window.startedAt + config.windowMs - now) / 1000))
  }
}

// A token bucket per channel (that is, per ingest URL, across token rotations). A leaked ingest URL can
// then fill neither the disk nor the devices' streams faster than `eventsPerSecond`. Runs on the relay's
// injectable clock, so a test can refill a bucket by moving time instead of waiting.
import type { RateLimitSettings } from './options.ts'

interface Bucket {
  tokens: number
  updatedAt: number
}

export class IngestRateLimiter {
  readonly #settings: RateLimitSettings
  readonly #now: () => number
  readonly #buckets = new Map<string, Bucket>()

  constructor(settings: RateLimitSettings, now: () => number) {
    this.#settings = settings
    this.#now = now
  }

  /** Takes one token for the channel. Returns null when allowed, else the whole seconds to wait (Retry-After). */
  take(channelId: string): number | null {
    const now = this.#now()
    const { eventsPerSecond, burst } = this.#settings
    const bucket = this.#buckets.get(channelId) ?? { tokens: burst, updatedAt: now }
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000
    bucket.tokens = Math.min(burst, bucket.tokens + elapsedSeconds * eventsPerSecond)
    bucket.updatedAt = now
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      this.#buckets.set(channelId, bucket)
      return null
    }
    this.#buckets.set(channelId, bucket)
    return Math.max(1, Math.ceil((1 - bucket.tokens) / eventsPerSecond))
  }

  /** Drops buckets that have refilled: a full bucket carries no information (called by the retention sweep). */
  pruneFull(): void {
    const now = this.#now()
    const { eventsPerSecond, burst } = this.#settings
    for (const [channelId, bucket] of this.#buckets) {
      if (bucket.tokens + (Math.max(0, now - bucket.updatedAt) / 1000) * eventsPerSecond >= burst) this.#buckets.delete(channelId)
    }
  }

  forget(channelId: string): void {
    this.#buckets.delete(channelId)
  }
}

// Token buckets per channel (that is, per ingest URL, across token rotations), one counting webhooks and
// one counting their bytes. A leaked ingest URL can then fill neither the disk nor the devices' streams
// faster than the sustained rates; and a burst of large bodies cannot flush a channel's stored events out
// through its per-channel cap (#12.12: 400 × 1 MiB in 3.5 s had evicted 1,301 of 1,400 stored events),
// because the byte bucket holds far less than the cap. Refused senders get 429 + Retry-After; Postproxy
// retries later. Runs on the relay's injectable clock, so a test refills a bucket by moving time.
import type { RateLimitSettings } from './options.ts'

interface Bucket {
  tokens: number
  updatedAt: number
}

/** One token bucket per key: `ratePerSecond` sustained, at most `capacity` at once. */
class TokenBuckets {
  readonly #ratePerSecond: number
  readonly #capacity: number
  readonly #buckets = new Map<string, Bucket>()

  constructor(ratePerSecond: number, capacity: number) {
    this.#ratePerSecond = ratePerSecond
    this.#capacity = capacity
  }

  /** The key's bucket, refilled up to `now`. */
  refilled(key: string, now: number): Bucket {
    const bucket = this.#buckets.get(key) ?? { tokens: this.#capacity, updatedAt: now }
    bucket.tokens = Math.min(this.#capacity, bucket.tokens + (Math.max(0, now - bucket.updatedAt) / 1000) * this.#ratePerSecond)
    bucket.updatedAt = now
    this.#buckets.set(key, bucket)
    return bucket
  }

  /** Whole seconds until `amount` tokens are there (at least 1), for Retry-After. */
  secondsUntil(bucket: Bucket, amount: number): number {
    return Math.max(1, Math.ceil((amount - bucket.tokens) / this.#ratePerSecond))
  }

  pruneFull(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + (Math.max(0, now - bucket.updatedAt) / 1000) * this.#ratePerSecond >= this.#capacity) this.#buckets.delete(key)
    }
  }

  forget(key: string): void {
    this.#buckets.delete(key)
  }
}

export class IngestRateLimiter {
  readonly #now: () => number
  readonly #events: TokenBuckets
  readonly #bytes: TokenBuckets

  constructor(settings: RateLimitSettings, now: () => number) {
    this.#now = now
    this.#events = new TokenBuckets(settings.eventsPerSecond, settings.burst)
    this.#bytes = new TokenBuckets(settings.bytesPerSecond, settings.burstBytes)
  }

  /**
   * Takes one webhook and `bytes` body bytes for the channel, both or neither. Returns null when allowed,
   * else the whole seconds to wait (Retry-After). `bytes` is 0 when the size is not known before reading
   * (a chunked body): `takeBytes` then counts it once it has arrived.
   */
  take(channelId: string, bytes: number): number | null {
    const now = this.#now()
    const events = this.#events.refilled(channelId, now)
    const byteBucket = this.#bytes.refilled(channelId, now)
    if (events.tokens >= 1 && byteBucket.tokens >= bytes) {
      events.tokens -= 1
      byteBucket.tokens -= bytes
      return null
    }
    return Math.max(events.tokens >= 1 ? 0 : this.#events.secondsUntil(events, 1), byteBucket.tokens >= bytes ? 0 : this.#bytes.secondsUntil(byteBucket, bytes))
  }

  /** Takes `bytes` body bytes of a webhook whose size was learnt only by reading it; null or Retry-After seconds. */
  takeBytes(channelId: string, bytes: number): number | null {
    const bucket = this.#bytes.refilled(channelId, this.#now())
    if (bucket.tokens < bytes) return this.#bytes.secondsUntil(bucket, bytes)
    bucket.tokens -= bytes
    return null
  }

  /** Drops buckets that have refilled: a full bucket carries no information (called by the retention sweep). */
  pruneFull(): void {
    const now = this.#now()
    this.#events.pruneFull(now)
    this.#bytes.pruneFull(now)
  }

  forget(channelId: string): void {
    this.#events.forget(channelId)
    this.#bytes.forget(channelId)
  }
}

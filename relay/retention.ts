// Retention (RELAY.md, defaults configurable): an event is deleted 7 days after it arrived, or 24 h after
// every active device of its channel acked it, whichever comes first; each channel is also capped
// (10,000 events / 100 MB), oldest first. Caps are enforced inside every ingest transaction
// (storage.ts); the age and ack rules run here, on a periodic sweep whose timer never keeps the
// process alive. A stream whose cursor falls behind a deleted event gets a `gap` frame.
import type { RelayConfig } from './options.ts'
import type { IngestRateLimiter } from './rate-limit.ts'
import type { RelayStorage, SweepCounts } from './storage.ts'

export class RetentionSweeper {
  readonly #storage: RelayStorage
  readonly #config: RelayConfig
  readonly #rateLimiter: IngestRateLimiter | null
  #timer: NodeJS.Timeout | null = null

  constructor(storage: RelayStorage, config: RelayConfig, rateLimiter: IngestRateLimiter | null) {
    this.#storage = storage
    this.#config = config
    this.#rateLimiter = rateLimiter
  }

  start(): void {
    if (this.#timer) return
    this.#timer = setInterval(() => {
      try {
        this.sweep()
      } catch (error) {
        this.#config.log(`the retention sweep failed (it runs again in ${this.#config.retention.sweepIntervalMs} ms): ${error instanceof Error ? error.message : String(error)}`)
      }
    }, this.#config.retention.sweepIntervalMs)
    this.#timer.unref()
  }

  /** Runs one sweep now, at the relay clock's current time. */
  sweep(): SweepCounts {
    const counts = this.#storage.sweep(this.#config.now(), this.#config.retention)
    this.#rateLimiter?.pruneFull()
    const total = counts.deletedByAge + counts.deletedByAck + counts.deletedByCap
    if (total > 0) {
      this.#config.log(`retention deleted ${total} events (${counts.deletedByAge} by age, ${counts.deletedByAck} acked, ${counts.deletedByCap} over the caps)`)
    }
    return counts
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
  }
}

// Remembers, in memory only, which attachments failed to download and when to try them again, so an
// offline laptop or a dead link does not turn every thread refresh into a burst of doomed requests.
// Transient failures back off exponentially; ones that will not change soon (404, too large) wait long.
// Nothing is persisted: a restart is a fine moment to try everything once more.
import type { MediaFailure, MediaFailureReason } from './media-result.ts'

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE

const TRANSIENT_FIRST_DELAY_MS = 30 * SECOND
const TRANSIENT_MAX_DELAY_MS = 30 * MINUTE
const LASTING_FIRST_DELAY_MS = 1 * HOUR
const LASTING_MAX_DELAY_MS = 24 * HOUR
/** Bounds the memory of a long session; the oldest entries go first. */
const DEFAULT_MAX_ENTRIES = 5000

const LASTING: ReadonlySet<MediaFailureReason> = new Set(['not_found', 'too_large', 'unsupported_url'])
/** Not the attachment's fault: nothing to hold against it. */
const NOT_REMEMBERED: ReadonlySet<MediaFailureReason> = new Set(['cancelled', 'queue_full'])

type Entry = { failure: MediaFailure; attempts: number }

export class FailureBackoff {
  private readonly entries = new Map<string, Entry>()
  private readonly now: () => number
  private readonly maxEntries: number

  constructor(options: { now: () => number; maxEntries?: number }) {
    this.now = options.now
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES
  }

  /** Notes a failed attempt under every key of the attachment; returns the failure with its retry time. */
  remember(keys: readonly string[], failure: MediaFailure): MediaFailure {
    if (NOT_REMEMBERED.has(failure.reason)) return failure
    const attempts = 1 + Math.max(0, ...keys.map((key) => this.entries.get(key)?.attempts ?? 0))
    const remembered: MediaFailure = { ...failure, retryAtMs: this.now() + delayMs(failure.reason, attempts) }
    for (const key of keys) {
      this.entries.delete(key) // re-inserted last, so the eviction below drops the stalest first
      this.entries.set(key, { failure: remembered, attempts })
    }
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break
      this.entries.delete(key)
    }
    return remembered
  }

  /** The failure still holding any of these keys back, or null when a download may be tried. */
  holding(keys: readonly string[]): MediaFailure | null {
    const now = this.now()
    for (const key of keys) {
      const entry = this.entries.get(key)
      if (entry && entry.failure.retryAtMs !== null && entry.failure.retryAtMs > now) return entry.failure
    }
    return null
  }

  forget(keys: readonly string[]): void {
    for (const key of keys) this.entries.delete(key)
  }

  /** E.g. when the network comes back: every attachment may be tried again at once. */
  forgetAll(): void {
    this.entries.clear()
  }
}

function delayMs(reason: MediaFailureReason, attempts: number): number {
  const [first, max] = LASTING.has(reason) ? [LASTING_FIRST_DELAY_MS, LASTING_MAX_DELAY_MS] : [TRANSIENT_FIRST_DELAY_MS, TRANSIENT_MAX_DELAY_MS]
  return Math.min(max, first * 2 ** Math.min(attempts - 1, 20))
}

// Group commit: webhooks whose bodies finished arriving in the same turn of the event loop are written in
// one SQLite transaction, and each sender gets its 200 only after that transaction's COMMIT returned.
// Every 2xx still follows a durable commit that contains its event; a burst of 1,000 webhooks costs a few
// fsyncs instead of 1,000. While a COMMIT blocks the thread, the next bodies pile up in the sockets and
// form the next batch, so batches grow exactly when the disk is the bottleneck.
import type { ChannelHub } from './channel-hub.ts'
import type { RelayMetrics } from './metrics.ts'
import type { ChannelCaps, CommitOutcome, NewEvent, RelayStorage } from './storage.ts'

/** Bounds one transaction, so one huge burst does not hold every sender behind a single long write. */
const MAX_BATCH = 512

interface Pending {
  event: NewEvent
  resolve: (outcome: CommitOutcome) => void
  reject: (error: unknown) => void
}

export class CommitQueue {
  readonly #storage: RelayStorage
  readonly #hub: ChannelHub
  readonly #metrics: RelayMetrics
  readonly #caps: ChannelCaps
  #pending: Pending[] = []
  #scheduled = false

  constructor(storage: RelayStorage, hub: ChannelHub, metrics: RelayMetrics, caps: ChannelCaps) {
    this.#storage = storage
    this.#hub = hub
    this.#metrics = metrics
    this.#caps = caps
  }

  /** Resolves once the event is committed (or the channel turned out to be deleted meanwhile). */
  commit(event: NewEvent): Promise<CommitOutcome> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ event, resolve, reject })
      this.#schedule()
    })
  }

  /** Commits everything queued, now (on shutdown, so no body that was fully received is dropped). */
  flush(): void {
    while (this.#pending.length > 0) this.#commitBatch()
  }

  #schedule(): void {
    if (this.#scheduled) return
    this.#scheduled = true
    // setImmediate runs after this turn's I/O callbacks: every body completed in this turn joins the batch.
    setImmediate(() => {
      this.#scheduled = false
      this.#commitBatch()
      // More than one batch's worth: let this batch's answers go out before the next one blocks the thread.
      if (this.#pending.length > 0) this.#schedule()
    })
  }

  #commitBatch(): void {
    const batch = this.#pending.splice(0, MAX_BATCH)
    if (batch.length === 0) return
    let outcomes: CommitOutcome[]
    try {
      outcomes = this.#storage.commitEvents(
        batch.map((item) => item.event),
        this.#caps
      )
    } catch (error) {
      for (const item of batch) item.reject(error)
      return
    }
    this.#metrics.largestCommitBatch = Math.max(this.#metrics.largestCommitBatch, batch.length)
    const touched = new Set<string>()
    batch.forEach((item, index) => {
      const outcome = outcomes[index]
      if (outcome.ok) {
        this.#metrics.eventsStored += 1
        touched.add(item.event.channelId)
      }
      item.resolve(outcome)
    })
    for (const channelId of touched) this.#hub.notify(channelId)
  }
}

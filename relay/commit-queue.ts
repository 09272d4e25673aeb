// Group commit. Webhooks whose bodies finished arriving in the same turn of the event loop are written in
// one SQLite transaction (into the WAL, no fsync); one fdatasync of the WAL, on libuv's thread pool, then
// makes every transaction committed before it durable, and only then do their senders get their 200 and
// the channels' streams get woken. While that sync runs, the event loop keeps reading the next webhooks;
// they wait in memory (nothing committed now could be answered before the next sync anyway) and go into
// ONE transaction the moment the sync ends, which the next sync then covers: a burst costs one commit and
// one fsync per sync period, not one per webhook or per loop turn, and no fsync ever blocks the event loop.
// A full batch (MAX_BATCH) is committed at once even while a sync runs, so a transaction stays bounded.
//
// The guarantees stay those of synchronous=FULL: a 2xx only after the commit holding the event is on disk,
// seq strictly increasing (one SQLite AUTOINCREMENT), and no stream ever sees an event that is not durable
// (storage.ts bounds stream reads by the durable seq), so a power cut can only take back seqs nobody saw.
import type { ChannelHub } from './channel-hub.ts'
import type { RelayMetrics } from './metrics.ts'
import type { ChannelCaps, CommitOutcome, NewEvent, RelayStorage } from './storage.ts'

/** Bounds one transaction, so one huge burst does not hold the event loop in a single long write. */
const MAX_BATCH = 512

interface Pending {
  event: NewEvent
  resolve: (outcome: CommitOutcome) => void
  reject: (error: unknown) => void
}

interface Committed {
  pending: Pending
  outcome: CommitOutcome
}

export class CommitQueue {
  readonly #storage: RelayStorage
  readonly #hub: ChannelHub
  readonly #metrics: RelayMetrics
  readonly #caps: ChannelCaps
  #pending: Pending[] = []
  #scheduled = false
  /** Committed to the WAL, waiting for the next sync. */
  #unsynced: Committed[] = []
  /** The sync in flight, if any. */
  #syncing: Promise<void> | null = null

  constructor(storage: RelayStorage, hub: ChannelHub, metrics: RelayMetrics, caps: ChannelCaps) {
    this.#storage = storage
    this.#hub = hub
    this.#metrics = metrics
    this.#caps = caps
  }

  /** Resolves once the event is durably committed (or the channel turned out to be deleted meanwhile). */
  commit(event: NewEvent): Promise<CommitOutcome> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ event, resolve, reject })
      this.#schedule()
    })
  }

  /** Commits and syncs everything queued (on shutdown, so no body that was fully received is dropped). */
  async drain(): Promise<void> {
    // Bounded: each pass commits up to MAX_BATCH of a queue that nothing refills during shutdown.
    while (this.#pending.length > 0) this.#commitBatch()
    while (this.#syncing || this.#unsynced.length > 0) await (this.#syncing ?? this.#sync())
  }

  #schedule(): void {
    if (this.#scheduled) return
    this.#scheduled = true
    // setImmediate runs after this turn's I/O callbacks: every body completed in this turn joins the batch.
    setImmediate(() => {
      this.#scheduled = false
      // A sync is running: nothing committed now could be answered before the next sync anyway, so the
      // arrivals wait and go into one transaction when it ends (fewer, larger commits), unless they fill a batch.
      if (this.#syncing && this.#pending.length < MAX_BATCH) return
      this.#commitBatch()
      // More than one batch's worth: let the loop breathe before the next one.
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
    batch.forEach((pending, index) => this.#unsynced.push({ pending, outcome: outcomes[index] }))
    if (!this.#storage.syncsEvents) this.#settle(this.#unsynced.splice(0))
    else if (!this.#syncing) void this.#sync()
  }

  /** One sync for everything committed so far; when it is done, the next one for what came meanwhile. */
  #sync(): Promise<void> {
    const covered = this.#unsynced.splice(0)
    this.#syncing = this.#storage.syncEvents().then(
      () => {
        this.#syncing = null
        this.#settle(covered)
        this.#next()
      },
      (error: unknown) => {
        this.#syncing = null
        for (const { pending } of covered) pending.reject(error)
        this.#next()
      }
    )
    return this.#syncing
  }

  /** A sync just ended: commit what waited for it (which starts the next sync), or sync what is committed. */
  #next(): void {
    if (this.#pending.length > 0) this.#commitBatch()
    else if (this.#unsynced.length > 0) void this.#sync()
    if (this.#pending.length > 0) this.#schedule()
  }

  /** The events are durable: answer their senders and wake the streams of their channels. */
  #settle(durable: Committed[]): void {
    const touched = new Set<string>()
    let highest = 0
    for (const { pending, outcome } of durable) {
      if (outcome.ok) {
        this.#metrics.eventsStored += 1
        touched.add(pending.event.channelId)
        highest = Math.max(highest, outcome.seq)
      }
    }
    this.#storage.markDurable(highest)
    for (const { pending, outcome } of durable) pending.resolve(outcome)
    for (const channelId of touched) this.#hub.notify(channelId)
  }
}

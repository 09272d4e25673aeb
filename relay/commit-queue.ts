// Group commit. Webhooks whose bodies finished arriving in the same turn of the event loop are written in
// one SQLite transaction (into the WAL, no fsync); one fdatasync of the WAL, on libuv's thread pool, then
// makes every transaction committed before it started durable, and only then do their senders get their
// 200 and the channels' streams get woken. No fsync ever blocks the event loop.
//
// Up to MAX_SYNCS_IN_FLIGHT syncs run at once: a webhook that arrives while a sync runs is committed and
// gets a sync of its own right away, instead of waiting for the running one (which does not cover it) to
// end first — on a slow disk that wait was as long as the sync itself, and doubled the tail. When all the
// slots are taken, arrivals wait in memory (nothing committed then could be answered before a slot frees
// anyway) and go into ONE transaction when a sync ends: a burst costs one commit and one fsync per sync,
// not one per webhook or per loop turn. A full batch (MAX_BATCH) is committed at once, so a transaction
// stays bounded. Syncs start in commit order and each covers everything committed before it started, so
// when one ends, every event of the syncs started before it is durable too, even if those are still running.
//
// The guarantees stay those of synchronous=FULL: a 2xx only after the commit holding the event is on disk,
// seq strictly increasing (one SQLite AUTOINCREMENT), and no stream ever sees an event that is not durable
// (storage.ts bounds stream reads by the durable seq), so a power cut can only take back seqs nobody saw.
import type { ChannelHub } from './channel-hub.ts'
import type { RelayMetrics } from './metrics.ts'
import type { ChannelCaps, CommitOutcome, NewEvent, RelayStorage } from './storage.ts'

/** Bounds one transaction, so one huge burst does not hold the event loop in a single long write. */
const MAX_BATCH = 512
/** Syncs running at once (each holds one of libuv's 4 pool threads while the disk works). */
const MAX_SYNCS_IN_FLIGHT = 2

interface Pending {
  event: NewEvent
  resolve: (outcome: CommitOutcome) => void
  reject: (error: unknown) => void
}

interface Committed {
  pending: Pending
  outcome: CommitOutcome
}

/** One sync and the events committed before it started (settled at most once, by it or a later sync). */
interface Sync {
  covered: Committed[]
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
  /** Syncs started and not yet settled, in start order. */
  #unsettled: Sync[] = []
  /** The syncs running now (they never reject: failures are handled inside). */
  readonly #running = new Set<Promise<void>>()

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
    // Bounded: each pass starts a sync or waits for one to end, and nothing new is committed meanwhile.
    while (this.#running.size > 0 || this.#unsynced.length > 0) {
      if (this.#unsynced.length > 0 && this.#running.size < MAX_SYNCS_IN_FLIGHT) this.#sync()
      await Promise.race(this.#running)
    }
  }

  #schedule(): void {
    if (this.#scheduled) return
    this.#scheduled = true
    // setImmediate runs after this turn's I/O callbacks: every body completed in this turn joins the batch.
    setImmediate(() => {
      this.#scheduled = false
      // Every sync slot is taken: the arrivals wait for one to free (see the top of this file).
      if (this.#storage.syncsEvents && this.#running.size >= MAX_SYNCS_IN_FLIGHT && this.#pending.length < MAX_BATCH) return
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
    else if (this.#running.size < MAX_SYNCS_IN_FLIGHT) this.#sync()
  }

  /** One sync for everything committed so far. */
  #sync(): void {
    const sync: Sync = { covered: this.#unsynced.splice(0) }
    this.#unsettled.push(sync)
    const running: Promise<void> = this.#storage.syncEvents().then(
      () => {
        this.#running.delete(running)
        // This sync and every one started before it: all that they cover is on disk now.
        const through = this.#unsettled.indexOf(sync)
        if (through !== -1) this.#settle(this.#unsettled.splice(0, through + 1).flatMap((done) => done.covered))
        this.#next()
      },
      (error: unknown) => {
        this.#running.delete(running)
        // Unless a later sync already settled them, this sync's events are refused (the sender retries).
        const index = this.#unsettled.indexOf(sync)
        if (index !== -1) {
          this.#unsettled.splice(index, 1)
          for (const { pending } of sync.covered) pending.reject(error)
        }
        this.#next()
      }
    )
    this.#running.add(running)
  }

  /** A sync slot freed: commit what waited for it (which starts a sync), or sync what is committed. */
  #next(): void {
    if (this.#pending.length > 0) this.#commitBatch()
    else if (this.#unsynced.length > 0) this.#sync()
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

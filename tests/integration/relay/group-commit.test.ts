// Group commit (#14) on a real SQLite file: webhooks committed to the WAL are answered, and become visible
// to streams, only once a WAL sync started after their commit has finished; a webhook arriving while one
// sync runs gets a second sync of its own at once, and with both running, later ones wait and are committed
// together, in one transaction, when one ends; a failed sync refuses its batches. The storage's
// sync is held at a gate here (a subclass that waits before running the real fdatasync), so the test
// decides when the disk "finishes".
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tokenDigest } from '../../../relay/auth.ts'
import { ChannelHub } from '../../../relay/channel-hub.ts'
import { CommitQueue } from '../../../relay/commit-queue.ts'
import { createMetrics } from '../../../relay/metrics.ts'
import { RelayStorage, type CommitOutcome, type NewEvent } from '../../../relay/storage.ts'

class GatedSyncStorage extends RelayStorage {
  readonly gates: Array<{ open: () => void; fail: (error: Error) => void }> = []
  #waiters = new Set<() => void>()

  override syncEvents(): Promise<void> {
    const gate = new Promise<void>((resolve, reject) => this.gates.push({ open: resolve, fail: reject }))
    for (const waiter of [...this.#waiters]) waiter()
    return gate.then(() => super.syncEvents())
  }

  /** Resolves once `count` syncs have been started. */
  syncsStarted(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.gates.length < count) return
        this.#waiters.delete(check)
        resolve()
      }
      this.#waiters.add(check)
      check()
    })
  }
}

const dirs: string[] = []
const stores: RelayStorage[] = []
afterEach(() => {
  for (const store of stores.splice(0)) store.close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function open(path: string): GatedSyncStorage {
  const storage = new GatedSyncStorage(path, 'full')
  stores.push(storage)
  return storage
}

/** A gated store in a fresh directory with channel ch_1, and a commit queue on it (its hub: `hub`, or a new one). */
function openQueue(maxEvents: number, hub = new ChannelHub({ maxStreams: 10, maxStreamsPerChannel: 10 })) {
  const dir = mkdtempSync(join(tmpdir(), 'dmdesk-relay-group-'))
  dirs.push(dir)
  const storage = open(join(dir, 'relay.sqlite'))
  storage.createChannel('ch_1', tokenDigest('rin_test'), null, Date.now())
  const metrics = createMetrics()
  return { storage, metrics, queue: new CommitQueue(storage, hub, metrics, { maxEvents, maxBytes: 1 << 30 }) }
}

const event = (channelId: string, i: number): NewEvent => ({
  channelId,
  receivedAt: Date.now(),
  headers: [['content-type', 'application/json']],
  body: Buffer.from(`{"id":"evt_${i}"}`),
  bodySha256: 'unused-here'
})

/** Lets every pending I/O callback and setImmediate run once. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('relay group commit', () => {
  it('answers and streams events only after a sync that covers them; a second sync runs beside the first; then arrivals wait for a free one', async () => {
    const hub = new ChannelHub({ maxStreams: 10, maxStreamsPerChannel: 10 })
    let wakes = 0
    hub.add({ channelId: 'ch_1', deviceId: null, wake: () => (wakes += 1), close: () => {} })
    const { storage, metrics, queue } = openQueue(1000, hub)
    const answered: CommitOutcome[] = []
    const commit = (i: number) => queue.commit(event('ch_1', i)).then((outcome) => (answered.push(outcome), outcome))
    const seqsStreamed = () => storage.eventsAfter('ch_1', 0, 100, 1 << 20).map((e) => e.seq)

    const first = [commit(0), commit(1), commit(2)]
    await storage.syncsStarted(1)
    await turn()
    // Committed to the WAL (one transaction), not yet durable: nobody answered, no stream sees them.
    expect(metrics.largestCommitBatch).toBe(3)
    expect(answered).toEqual([])
    expect(seqsStreamed()).toEqual([])
    expect(wakes).toBe(0)

    // Two more arrive while the first sync runs: committed at once, with a second sync of their own.
    const second = [commit(3), commit(4)]
    await storage.syncsStarted(2)
    expect(storage.channel('ch_1')?.eventCount).toBe(5)
    expect(answered).toEqual([])

    // Both syncs running: the next one waits in memory, not even in the WAL yet.
    const third = commit(5)
    await turn()
    await turn()
    expect(storage.gates).toHaveLength(2)
    expect(storage.channel('ch_1')?.eventCount).toBe(5)

    // The second sync ends first: it started after all five commits, so all five are durable.
    storage.gates[1].open()
    const seqs = (await Promise.all([...first, ...second])).map((o) => (o.ok ? o.seq : 0))
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    expect(seqsStreamed()).toEqual(seqs)
    expect(wakes).toBe(1)
    // Its slot went to the waiting event: committed and a third sync started.
    await storage.syncsStarted(3)
    expect(storage.channel('ch_1')?.eventCount).toBe(6)
    expect(answered).toHaveLength(5)

    // The first sync ending late changes nothing; the third answers the last event.
    storage.gates[0].open()
    storage.gates[2].open()
    const last = await third
    expect(last.ok && last.seq).toBeGreaterThan(seqs[4])
    expect(seqsStreamed()).toEqual([...seqs, last.ok ? last.seq : 0])
    expect(answered).toHaveLength(6)
    expect(wakes).toBe(2)
    expect(metrics.eventsStored).toBe(6)
  })

  it('commits a full batch at once even while every sync slot is taken, so no transaction grows without bound', async () => {
    const { storage, metrics, queue } = openQueue(10_000)

    const early = [queue.commit(event('ch_1', 0))]
    await storage.syncsStarted(1)
    early.push(queue.commit(event('ch_1', 1)))
    await storage.syncsStarted(2)
    const burst = Array.from({ length: 600 }, (_, i) => queue.commit(event('ch_1', i + 2)))
    await turn()
    await turn()
    // 512 (one full batch) went into the WAL with both syncs running; the other 88 wait for a slot.
    expect(metrics.largestCommitBatch).toBe(512)
    expect(storage.channel('ch_1')?.eventCount).toBe(514)

    storage.gates[0].open()
    expect((await early[0]).ok).toBe(true)
    await storage.syncsStarted(3)
    expect(storage.channel('ch_1')?.eventCount).toBe(602)
    storage.gates[1].open()
    storage.gates[2].open()
    const seqs = (await Promise.all([...early, ...burst])).map((o) => (o.ok ? o.seq : 0))
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    expect(new Set(seqs).size).toBe(602)
    expect(metrics.eventsStored).toBe(602)
  })

  it('refuses the events of a failed sync and keeps going with the next batch', async () => {
    const { storage, queue } = openQueue(1000)

    const failed = queue.commit(event('ch_1', 0))
    await storage.syncsStarted(1)
    storage.gates[0].fail(new Error('EIO: the disk failed'))
    await expect(failed).rejects.toThrow(/EIO/)

    const next = queue.commit(event('ch_1', 1))
    await storage.syncsStarted(2)
    storage.gates[1].open()
    expect((await next).ok).toBe(true)
  })

  it('drains on shutdown: queued and unsynced events are committed and synced before the database closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dmdesk-relay-group-'))
    dirs.push(dir)
    const path = join(dir, 'relay.sqlite')
    const storage = new RelayStorage(path, 'full')
    storage.createChannel('ch_1', tokenDigest('rin_test'), null, Date.now())
    const queue = new CommitQueue(storage, new ChannelHub({ maxStreams: 10, maxStreamsPerChannel: 10 }), createMetrics(), { maxEvents: 1000, maxBytes: 1 << 30 })
    const answers = Array.from({ length: 20 }, (_, i) => queue.commit(event('ch_1', i)))
    await queue.drain()
    storage.close()
    const seqs = (await Promise.all(answers)).map((o) => (o.ok ? o.seq : 0))

    const reopened = open(path)
    expect(reopened.eventsAfter('ch_1', 0, 100, 1 << 20).map((e) => e.seq)).toEqual(seqs)
  })
})

// The relay's SQLite store: channels, their ingest tokens, devices, events, and the ack marks that drive
// retention. One connection, WAL, every statement prepared once.
//
// Durability (group commit, with commit-queue.ts): `commitEvents` writes a batch of events in one
// transaction into the WAL (the OS page cache), and `syncEvents` makes every batch committed so far durable
// with one fdatasync of the WAL file, run on libuv's thread pool so the event loop keeps parsing the next
// webhooks meanwhile. That is SQLite's synchronous=FULL (NORMAL, which already syncs around checkpoints,
// plus a WAL sync after each commit) with the commit's sync moved off the thread. Streams read only events
// that are durable (`markDurable`), so no device ever sees an event that a power cut could take back and
// whose seq could then be handed out again. With `synchronous: 'normal'` there is no WAL sync: a commit
// survives the relay crashing (kill -9), not a power cut. The rare admin writes (channels, devices,
// rotation, revocation) sync before they return; acks and retention sweeps do not (losing the last ones
// to a power cut only delays a deletion).
//
// `seq` is `INTEGER PRIMARY KEY AUTOINCREMENT`: SQLite keeps its high-water mark in `sqlite_sequence`
// inside the same transaction, so a seq is never handed out twice, even after the newest rows are deleted
// or the process dies mid-write.
import { closeSync, fdatasync, fdatasyncSync, openSync } from 'node:fs'
import Database from 'better-sqlite3'
import type { HeaderPairs } from './forwarded-headers.ts'
import type { RetentionSettings, SynchronousMode } from './options.ts'

const SCHEMA_VERSION = 1
const MAX_CACHED_INGEST_TOKENS = 10_000

const SCHEMA = `
CREATE TABLE channels (
  id               TEXT PRIMARY KEY,
  created_at       INTEGER NOT NULL,
  meta_verify_token TEXT,
  last_seq         INTEGER NOT NULL DEFAULT 0,  -- newest seq ever stored for the channel (heartbeat head)
  evicted_through  INTEGER NOT NULL DEFAULT 0,  -- highest seq deleted by retention or caps (gap detection)
  event_count      INTEGER NOT NULL DEFAULT 0,
  stored_bytes     INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE ingest_tokens (
  digest      BLOB PRIMARY KEY,
  channel_id  TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER               -- NULL: current token; set when rotated away (grace period)
) WITHOUT ROWID;
CREATE INDEX ingest_tokens_by_channel ON ingest_tokens(channel_id);
CREATE TABLE devices (
  id          TEXT PRIMARY KEY,
  channel_id  TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  digest      BLOB NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL,
  revoked_at  INTEGER,
  acked_seq   INTEGER NOT NULL,
  acked_at    INTEGER
);
CREATE INDEX devices_by_channel ON devices(channel_id);
CREATE TABLE events (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  channel_id   TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  received_at  INTEGER NOT NULL,
  headers      TEXT NOT NULL,       -- JSON array of [name, value] pairs
  body         BLOB NOT NULL,       -- the raw bytes, never parsed
  body_sha256  TEXT NOT NULL,
  size         INTEGER NOT NULL     -- body + headers bytes, counted against the channel cap
);
CREATE INDEX events_by_channel ON events(channel_id, seq, size);
-- "Every active device of the channel had acked through acked_through at marked_at": the ack rule of
-- retention deletes those events once marked_at is older than the grace period.
CREATE TABLE ack_marks (
  channel_id     TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  acked_through  INTEGER NOT NULL,
  marked_at      INTEGER NOT NULL,
  PRIMARY KEY (channel_id, acked_through)
) WITHOUT ROWID;
`

export interface NewEvent {
  channelId: string
  receivedAt: number
  headers: HeaderPairs
  body: Buffer
  bodySha256: string
}

export interface StoredEvent {
  seq: number
  channelId: string
  receivedAt: number
  /** The forwarded headers as stored: the JSON text of their [name, value] pairs, which the relay frame
   *  carries as it is (streams never parse and re-serialise it per event). */
  headersJson: string
  body: Buffer
  bodySha256: string
}

export interface ChannelState {
  id: string
  createdAt: number
  metaVerifyToken: string | null
  lastSeq: number
  evictedThrough: number
  eventCount: number
  storedBytes: number
}

export interface DeviceState {
  id: string
  channelId: string
  createdAt: number
  revokedAt: number | null
  ackedSeq: number
  ackedAt: number | null
}

export type CommitOutcome = { ok: true; seq: number } | { ok: false; reason: 'channel-gone' }

export interface ChannelCaps {
  maxEvents: number
  maxBytes: number
}

export interface SweepCounts {
  deletedByAge: number
  deletedByAck: number
  deletedByCap: number
}

interface ChannelRow {
  id: string
  created_at: number
  meta_verify_token: string | null
  last_seq: number
  evicted_through: number
  event_count: number
  stored_bytes: number
}

interface DeviceRow {
  id: string
  channel_id: string
  created_at: number
  revoked_at: number | null
  acked_seq: number
  acked_at: number | null
}

interface EventRow {
  seq: number
  channel_id: string
  received_at: number
  headers: string
  body: Buffer
  body_sha256: string
}

export class StorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StorageError'
  }
}

export class RelayStorage {
  readonly #db: Database.Database
  readonly #statements
  /** The WAL file, for the commit's fdatasync; null with synchronous=normal (no sync at commit). */
  #walFd: number | null
  /** Events up to this seq are durable and may be streamed. */
  #durableSeq: number
  /**
   * Valid ingest tokens seen so far (hex digest -> channel and expiry): every webhook looks its token up, and
   * the answer changes only through this class (rotation, channel deletion, sweep), which clears it.
   * Unknown tokens are never cached, so nobody can grow it by guessing.
   */
  readonly #ingestTokens = new Map<string, { channelId: string; expiresAt: number | null }>()

  constructor(path: string, synchronous: SynchronousMode) {
    // No busy wait: the only other holder of the lock can be a second relay, which must fail fast.
    this.#db = new Database(path, { timeout: 0 })
    try {
      // One relay per database: EXCLUSIVE locking keeps a second relay on the same data directory from
      // starting (its in-memory stream wake-ups would never see this relay's commits).
      this.#db.pragma('locking_mode = EXCLUSIVE')
      this.#db.pragma('journal_mode = WAL')
      // NORMAL syncs the WAL before each checkpoint and the database after it; the per-commit WAL sync that
      // FULL adds is done by syncEvents/#syncNow, off the event loop where it matters.
      this.#db.pragma('synchronous = NORMAL')
      this.#db.pragma('foreign_keys = ON')
      this.#migrate()
      // The WAL exists now (the migration wrote to it); with locking_mode EXCLUSIVE SQLite keeps this very
      // file until it closes the database (it resets it after checkpoints, never deletes or truncates it).
      this.#walFd = synchronous === 'full' ? openSync(`${path}-wal`, 'r') : null
    } catch (error) {
      this.#db.close()
      if (error instanceof Database.SqliteError && (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED')) {
        throw new StorageError(`Another relay is already using the database ${path}; stop it first or choose another data directory.`, {
          cause: error
        })
      }
      throw error
    }
    this.#statements = this.#prepare()
    // Whatever the database holds at start is what survived: it is as durable as it will get.
    this.#durableSeq = this.relayHead()
  }

  /** Makes every committed transaction durable now, blocking (admin writes: rare, and must not be lost). */
  #syncNow(): void {
    if (this.#walFd !== null) fdatasyncSync(this.#walFd)
  }

  #migrate(): void {
    const version = this.#db.pragma('user_version', { simple: true }) as number
    if (version > SCHEMA_VERSION) {
      throw new StorageError(
        `The relay database was written by a newer relay (schema ${version}, this one knows ${SCHEMA_VERSION}); run the newer relay or use a new data directory.`
      )
    }
    // BEGIN IMMEDIATE takes the write lock now, so a second relay fails at start rather than at its first webhook.
    this.#db.transaction(() => {
      if (version < 1) this.#db.exec(SCHEMA)
      this.#db.pragma(`user_version = ${SCHEMA_VERSION}`)
    }).immediate()
  }

  #prepare() {
    const db = this.#db
    return {
      insertChannel: db.prepare<[string, number, string | null]>(
        'INSERT INTO channels (id, created_at, meta_verify_token) VALUES (?, ?, ?)'
      ),
      channel: db.prepare<[string], ChannelRow>('SELECT * FROM channels WHERE id = ?'),
      deleteChannel: db.prepare<[string]>('DELETE FROM channels WHERE id = ?'),
      insertIngestToken: db.prepare<[Buffer, string, number]>(
        'INSERT INTO ingest_tokens (digest, channel_id, created_at, expires_at) VALUES (?, ?, ?, NULL)'
      ),
      channelByIngestToken: db.prepare<[Buffer, number], ChannelRow>(
        `SELECT c.* FROM ingest_tokens t JOIN channels c ON c.id = t.channel_id
         WHERE t.digest = ? AND (t.expires_at IS NULL OR t.expires_at > ?)`
      ),
      ingestToken: db.prepare<[Buffer], { channel_id: string; expires_at: number | null }>(
        'SELECT channel_id, expires_at FROM ingest_tokens WHERE digest = ?'
      ),
      expireIngestTokens: db.prepare<[{ until: number; channel: string; now: number }]>(
        `UPDATE ingest_tokens SET expires_at = min(coalesce(expires_at, @until), @until)
         WHERE channel_id = @channel AND (expires_at IS NULL OR expires_at > @now)`
      ),
      dropExpiredIngestTokens: db.prepare<[number]>('DELETE FROM ingest_tokens WHERE expires_at IS NOT NULL AND expires_at <= ?'),
      insertDevice: db.prepare<[string, string, Buffer, number, number]>(
        'INSERT INTO devices (id, channel_id, digest, created_at, acked_seq) VALUES (?, ?, ?, ?, ?)'
      ),
      deviceByDigest: db.prepare<[Buffer], DeviceRow>(
        'SELECT id, channel_id, created_at, revoked_at, acked_seq, acked_at FROM devices WHERE digest = ?'
      ),
      device: db.prepare<[string, string], DeviceRow>(
        'SELECT id, channel_id, created_at, revoked_at, acked_seq, acked_at FROM devices WHERE channel_id = ? AND id = ?'
      ),
      devices: db.prepare<[string], DeviceRow>(
        'SELECT id, channel_id, created_at, revoked_at, acked_seq, acked_at FROM devices WHERE channel_id = ? ORDER BY created_at, id'
      ),
      revokeDevice: db.prepare<[number, string, string]>(
        'UPDATE devices SET revoked_at = ? WHERE channel_id = ? AND id = ? AND revoked_at IS NULL'
      ),
      ackDevice: db.prepare<[number, number, string]>('UPDATE devices SET acked_seq = ?, acked_at = ? WHERE id = ?'),
      minActiveAck: db.prepare<[string], { acked: number | null; active: number }>(
        'SELECT min(acked_seq) AS acked, count(*) AS active FROM devices WHERE channel_id = ? AND revoked_at IS NULL'
      ),
      latestAckMark: db.prepare<[string], { acked: number | null }>(
        'SELECT max(acked_through) AS acked FROM ack_marks WHERE channel_id = ?'
      ),
      insertAckMark: db.prepare<[string, number, number]>(
        'INSERT OR IGNORE INTO ack_marks (channel_id, acked_through, marked_at) VALUES (?, ?, ?)'
      ),
      ripeAckMark: db.prepare<[string, number], { acked: number | null }>(
        'SELECT max(acked_through) AS acked FROM ack_marks WHERE channel_id = ? AND marked_at <= ?'
      ),
      dropAckMarksBelow: db.prepare<[string, number]>('DELETE FROM ack_marks WHERE channel_id = ? AND acked_through < ?'),
      insertEvent: db.prepare<[string, number, string, Buffer, string, number]>(
        'INSERT INTO events (channel_id, received_at, headers, body, body_sha256, size) VALUES (?, ?, ?, ?, ?, ?)'
      ),
      countEvents: db.prepare<[number, number, number, string], { event_count: number; stored_bytes: number }>(
        `UPDATE channels SET event_count = event_count + ?, stored_bytes = stored_bytes + ?, last_seq = ?
         WHERE id = ? RETURNING event_count, stored_bytes`
      ),
      channelExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM channels WHERE id = ?'),
      oldestSizes: db.prepare<[string, number], { seq: number; size: number }>(
        'SELECT seq, size FROM events WHERE channel_id = ? ORDER BY seq LIMIT ?'
      ),
      pageSizes: db.prepare<[string, number, number, number], { seq: number; size: number }>(
        'SELECT seq, size FROM events WHERE channel_id = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?'
      ),
      pageEvents: db.prepare<[string, number, number], EventRow>(
        `SELECT seq, channel_id, received_at, headers, body, body_sha256 FROM events
         WHERE channel_id = ? AND seq > ? AND seq <= ? ORDER BY seq`
      ),
      oldestAfter: db.prepare<[string, number], { seq: number }>(
        'SELECT seq FROM events WHERE channel_id = ? AND seq > ? ORDER BY seq LIMIT 1'
      ),
      statsThroughSeq: db.prepare<[string, number], { n: number; bytes: number; top: number | null }>(
        'SELECT count(*) AS n, total(size) AS bytes, max(seq) AS top FROM events WHERE channel_id = ? AND seq <= ?'
      ),
      deleteThroughSeq: db.prepare<[string, number]>('DELETE FROM events WHERE channel_id = ? AND seq <= ?'),
      statsReceivedBefore: db.prepare<[string, number], { n: number; bytes: number; top: number | null }>(
        'SELECT count(*) AS n, total(size) AS bytes, max(seq) AS top FROM events WHERE channel_id = ? AND received_at < ?'
      ),
      deleteReceivedBefore: db.prepare<[string, number]>('DELETE FROM events WHERE channel_id = ? AND received_at < ?'),
      uncount: db.prepare<[number, number, number, string]>(
        `UPDATE channels SET event_count = event_count - ?, stored_bytes = stored_bytes - ?,
         evicted_through = max(evicted_through, ?) WHERE id = ?`
      ),
      channelIds: db.prepare<[], { id: string }>('SELECT id FROM channels ORDER BY id'),
      relayHead: db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'events'")
    }
  }

  // ---- channels and ingest tokens ----

  createChannel(id: string, ingestDigest: Buffer, metaVerifyToken: string | null, now: number): ChannelState {
    this.#db.transaction(() => {
      this.#statements.insertChannel.run(id, now, metaVerifyToken)
      this.#statements.insertIngestToken.run(ingestDigest, id, now)
    })()
    this.#syncNow()
    return this.channel(id) as ChannelState
  }

  channel(id: string): ChannelState | undefined {
    const row = this.#statements.channel.get(id)
    return row ? toChannel(row) : undefined
  }

  channelIds(): string[] {
    return this.#statements.channelIds.all().map((row) => row.id)
  }

  /** The channel a still-valid ingest token belongs to (current, or rotated away but within its grace). */
  channelByIngestToken(digest: Buffer, now: number): ChannelState | undefined {
    const row = this.#statements.channelByIngestToken.get(digest, now)
    return row ? toChannel(row) : undefined
  }

  /** The id of the channel a still-valid ingest token belongs to, or null: the hot path of every webhook. */
  channelIdByIngestToken(digest: Buffer, now: number): string | null {
    const key = digest.toString('hex')
    let known = this.#ingestTokens.get(key)
    if (!known) {
      const row = this.#statements.ingestToken.get(digest)
      if (!row) return null
      // A relay holds a handful of channels; a bound keeps a pathological one from growing without end.
      if (this.#ingestTokens.size >= MAX_CACHED_INGEST_TOKENS) this.#ingestTokens.clear()
      known = { channelId: row.channel_id, expiresAt: row.expires_at }
      this.#ingestTokens.set(key, known)
    }
    return known.expiresAt === null || known.expiresAt > now ? known.channelId : null
  }

  /** Replaces the channel's ingest token; the previous ones keep working until `now + graceMs`. */
  rotateIngestToken(channelId: string, newDigest: Buffer, now: number, graceMs: number): void {
    this.#ingestTokens.clear()
    this.#db.transaction(() => {
      this.#statements.expireIngestTokens.run({ until: now + graceMs, channel: channelId, now })
      this.#statements.dropExpiredIngestTokens.run(now)
      this.#statements.insertIngestToken.run(newDigest, channelId, now)
    })()
    this.#syncNow()
  }

  /** Deletes the channel with its devices, tokens and every stored event. */
  deleteChannel(id: string): boolean {
    this.#ingestTokens.clear()
    const deleted = this.#statements.deleteChannel.run(id).changes > 0
    this.#syncNow()
    return deleted
  }

  // ---- devices and acks ----

  /**
   * A new device counts as having acked everything already stored: events from before its pairing are
   * still streamed to it (they are retained for the other devices) but never held back for it.
   */
  createDevice(id: string, channelId: string, digest: Buffer, now: number): DeviceState {
    const channel = this.channel(channelId)
    if (!channel) throw new StorageError(`The channel ${channelId} does not exist.`)
    this.#statements.insertDevice.run(id, channelId, digest, now, channel.lastSeq)
    this.#syncNow()
    return toDevice(this.#statements.device.get(channelId, id) as DeviceRow)
  }

  deviceByToken(digest: Buffer): DeviceState | undefined {
    const row = this.#statements.deviceByDigest.get(digest)
    return row ? toDevice(row) : undefined
  }

  devices(channelId: string): DeviceState[] {
    return this.#statements.devices.all(channelId).map(toDevice)
  }

  device(channelId: string, deviceId: string): DeviceState | undefined {
    const row = this.#statements.device.get(channelId, deviceId)
    return row ? toDevice(row) : undefined
  }

  /** Revokes the device (its token is refused from now on). False when no such device exists in the channel. */
  revokeDevice(channelId: string, deviceId: string, now: number): boolean {
    if (!this.device(channelId, deviceId)) return false
    this.#db.transaction(() => {
      this.#statements.revokeDevice.run(now, channelId, deviceId)
      this.#markAcks(channelId, now)
    })()
    this.#syncNow()
    return true
  }

  /** Moves the device's ack forward (never back, never past the channel's newest event); returns it. */
  ack(device: DeviceState, upTo: number, now: number): number {
    return this.#db.transaction(() => {
      const channel = this.channel(device.channelId)
      const current = this.#statements.device.get(device.channelId, device.id)
      if (!channel || !current) return 0
      const acked = Math.max(current.acked_seq, Math.min(upTo, channel.lastSeq))
      if (acked !== current.acked_seq) {
        this.#statements.ackDevice.run(acked, now, device.id)
        this.#markAcks(device.channelId, now)
      }
      return acked
    })()
  }

  #markAcks(channelId: string, now: number): void {
    const { acked, active } = this.#statements.minActiveAck.get(channelId) as { acked: number | null; active: number }
    // With no active device nobody is waiting for the events: the ack rule does not apply, age and caps do.
    if (active === 0 || acked === null || acked <= 0) return
    const latest = this.#statements.latestAckMark.get(channelId)?.acked ?? 0
    if (acked > latest) this.#statements.insertAckMark.run(channelId, acked, now)
  }

  // ---- events ----

  /**
   * Stores a batch of events in ONE transaction and returns once it is committed to the WAL; it is durable
   * once a later `syncEvents` resolved (with synchronous=normal, at once). Caps are enforced inside the same
   * transaction, oldest first.
   */
  commitEvents(events: readonly NewEvent[], caps: ChannelCaps): CommitOutcome[] {
    return this.#db.transaction(() => {
      const exists = new Map<string, boolean>()
      // Per channel, what this batch added: the counters are updated and the caps enforced once per channel.
      const added = new Map<string, { count: number; bytes: number; lastSeq: number }>()
      const outcomes = events.map((event): CommitOutcome => {
        let live = exists.get(event.channelId)
        if (live === undefined) {
          live = this.#statements.channelExists.get(event.channelId) !== undefined
          exists.set(event.channelId, live)
        }
        if (!live) return { ok: false, reason: 'channel-gone' }
        const headersJson = JSON.stringify(event.headers)
        const size = event.body.length + Buffer.byteLength(headersJson)
        const inserted = this.#statements.insertEvent.run(event.channelId, event.receivedAt, headersJson, event.body, event.bodySha256, size)
        const seq = Number(inserted.lastInsertRowid)
        const sum = added.get(event.channelId) ?? { count: 0, bytes: 0, lastSeq: 0 }
        sum.count += 1
        sum.bytes += size
        sum.lastSeq = seq
        added.set(event.channelId, sum)
        return { ok: true, seq }
      })
      for (const [channelId, sum] of added) {
        const counts = this.#statements.countEvents.get(sum.count, sum.bytes, sum.lastSeq, channelId) as { event_count: number; stored_bytes: number }
        if (counts.event_count > caps.maxEvents || counts.stored_bytes > caps.maxBytes) {
          this.#evictOldest(channelId, counts.event_count, counts.stored_bytes, caps)
        }
      }
      return outcomes
    })()
  }

  /** True when commits need `syncEvents` to be durable (synchronous=full). */
  get syncsEvents(): boolean {
    return this.#walFd !== null
  }

  /** One fdatasync of the WAL on the thread pool: every transaction committed before the call is durable once it resolves. */
  syncEvents(): Promise<void> {
    const fd = this.#walFd
    if (fd === null) return Promise.resolve()
    return new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())))
  }

  /** Events through `seq` are durable: streams may deliver them. */
  markDurable(seq: number): void {
    this.#durableSeq = Math.max(this.#durableSeq, seq)
  }

  /** Deletes the oldest events of the channel until it is within its caps; returns how many went. */
  #evictOldest(channelId: string, count: number, bytes: number, caps: ChannelCaps): number {
    let through = 0
    let evicted = 0
    // Bounded: each pass removes at least one row from the count, and the channel holds `count` rows.
    while (count - evicted > caps.maxEvents || bytes > caps.maxBytes) {
      // Over the count cap only (the steady state of a full channel): exactly the excess rows are needed.
      const excess = count - evicted - caps.maxEvents
      const batch = this.#statements.oldestSizes.all(channelId, bytes > caps.maxBytes ? Math.max(64, excess) : excess)
      const rows = batch.filter((row) => row.seq > through)
      if (rows.length === 0) break
      let passCount = 0
      let passBytes = 0
      for (const row of rows) {
        if (!(count - evicted > caps.maxEvents || bytes > caps.maxBytes)) break
        through = row.seq
        evicted += 1
        bytes -= row.size
        passCount += 1
        passBytes += row.size
      }
      // The rows counted are the channel's oldest, in seq order, through `through`: exactly what the delete
      // removes, so the counters need no second query.
      this.#statements.deleteThroughSeq.run(channelId, through)
      this.#statements.uncount.run(passCount, passBytes, through, channelId)
    }
    return evicted
  }

  #deleteThrough(channelId: string, seq: number): number {
    const stats = this.#statements.statsThroughSeq.get(channelId, seq) as { n: number; bytes: number; top: number | null }
    if (stats.n === 0) return 0
    this.#statements.deleteThroughSeq.run(channelId, seq)
    this.#statements.uncount.run(stats.n, stats.bytes, stats.top ?? 0, channelId)
    return stats.n
  }

  /**
   * The next durable events of a channel after `afterSeq`, in seq order: at most `maxCount`, and no more bytes
   * than `maxBytes` unless a single event is larger (then that one alone), so a page of big bodies stays small.
   */
  eventsAfter(channelId: string, afterSeq: number, maxCount: number, maxBytes: number): StoredEvent[] {
    const sizes = this.#statements.pageSizes.all(channelId, afterSeq, this.#durableSeq, maxCount)
    if (sizes.length === 0) return []
    let through = sizes[0].seq
    let bytes = sizes[0].size
    for (let i = 1; i < sizes.length && bytes + sizes[i].size <= maxBytes; i++) {
      through = sizes[i].seq
      bytes += sizes[i].size
    }
    return this.#statements.pageEvents.all(channelId, afterSeq, through).map(toEvent)
  }

  /** The oldest retained seq above `afterSeq`, or null when nothing newer is stored. */
  oldestSeqAfter(channelId: string, afterSeq: number): number | null {
    return this.#statements.oldestAfter.get(channelId, afterSeq)?.seq ?? null
  }

  /** The highest seq the relay ever handed out (0 for a new database). */
  relayHead(): number {
    return this.#statements.relayHead.get()?.seq ?? 0
  }

  // ---- retention ----

  /** Applies the age and ack rules (and the caps, in case they were lowered) to every channel. */
  sweep(now: number, retention: RetentionSettings): SweepCounts {
    const counts: SweepCounts = { deletedByAge: 0, deletedByAck: 0, deletedByCap: 0 }
    const caps = { maxEvents: retention.channelMaxEvents, maxBytes: retention.channelMaxBytes }
    for (const channelId of this.channelIds()) {
      this.#db.transaction(() => {
        counts.deletedByAge += this.#deleteReceivedBefore(channelId, now - retention.maxAgeMs)
        const ripe = this.#statements.ripeAckMark.get(channelId, now - retention.ackedGraceMs)?.acked ?? null
        if (ripe !== null) {
          counts.deletedByAck += this.#deleteThrough(channelId, ripe)
          this.#statements.dropAckMarksBelow.run(channelId, ripe)
        }
        const channel = this.channel(channelId)
        if (channel && (channel.eventCount > caps.maxEvents || channel.storedBytes > caps.maxBytes)) {
          counts.deletedByCap += this.#evictOldest(channelId, channel.eventCount, channel.storedBytes, caps)
        }
      })()
    }
    this.#statements.dropExpiredIngestTokens.run(now)
    this.#ingestTokens.clear()
    return counts
  }

  #deleteReceivedBefore(channelId: string, cutoff: number): number {
    const stats = this.#statements.statsReceivedBefore.get(channelId, cutoff) as { n: number; bytes: number; top: number | null }
    if (stats.n === 0) return 0
    this.#statements.deleteReceivedBefore.run(channelId, cutoff)
    this.#statements.uncount.run(stats.n, stats.bytes, stats.top ?? 0, channelId)
    return stats.n
  }

  /** Closes the database; call it with no `syncEvents` in flight (the commit queue's `drain` waits for it). */
  close(): void {
    if (this.#db.open) this.#db.close()
    if (this.#walFd !== null) closeSync(this.#walFd)
    this.#walFd = null
  }
}

function toChannel(row: ChannelRow): ChannelState {
  return {
    id: row.id,
    createdAt: row.created_at,
    metaVerifyToken: row.meta_verify_token,
    lastSeq: row.last_seq,
    evictedThrough: row.evicted_through,
    eventCount: row.event_count,
    storedBytes: row.stored_bytes
  }
}

function toDevice(row: DeviceRow): DeviceState {
  return {
    id: row.id,
    channelId: row.channel_id,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    ackedSeq: row.acked_seq,
    ackedAt: row.acked_at
  }
}

function toEvent(row: EventRow): StoredEvent {
  return {
    seq: row.seq,
    channelId: row.channel_id,
    receivedAt: row.received_at,
    headersJson: row.headers,
    body: row.body,
    bodySha256: row.body_sha256
  }
}

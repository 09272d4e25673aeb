// The index of the media cache: which downloaded file (content-addressed by hash) holds which attachment,
// and when it was last shown, so the cache can stay under its size budget by dropping the least recently
// used files. The files themselves are written and deleted by the media cache, not here.
import type BetterSqlite3 from 'better-sqlite3'
import type { StoreDatabase } from './database.ts'

export type MediaFile = {
  contentHash: string
  path: string
  size: number
  mime: string | null
  lastAccessMs: number
  storedAtMs: number
}

export type RecordMediaInput = {
  /** Attachment id or URL; several keys may share one file. */
  keys: readonly string[]
  contentHash: string
  path: string
  size: number
  mime: string | null
}

type MediaFileRow = {
  content_hash: string
  path: string
  size: number
  mime: string | null
  last_access_ms: number
  stored_at_ms: number
}

export class MediaIndexRepository {
  private readonly db: StoreDatabase
  private readonly upsertFile: BetterSqlite3.Statement
  private readonly upsertKey: BetterSqlite3.Statement
  private readonly selectByKey: BetterSqlite3.Statement<[string], MediaFileRow>
  private readonly selectByHash: BetterSqlite3.Statement<[string], MediaFileRow>
  private readonly touchFile: BetterSqlite3.Statement
  private readonly oldestFirst: BetterSqlite3.Statement<[], MediaFileRow>
  private readonly total: BetterSqlite3.Statement<[], { bytes: number; files: number }>

  constructor(db: StoreDatabase) {
    this.db = db
    const c = db.connection
    this.upsertFile = c.prepare(
      `INSERT INTO media_files (content_hash, path, size, mime, last_access_ms, stored_at_ms) VALUES (@hash, @path, @size, @mime, @now, @now)
       ON CONFLICT (content_hash) DO UPDATE SET path = excluded.path, size = excluded.size, mime = coalesce(excluded.mime, mime),
         last_access_ms = excluded.last_access_ms`
    )
    this.upsertKey = c.prepare(
      'INSERT INTO media_keys (media_key, content_hash) VALUES (?, ?) ON CONFLICT (media_key) DO UPDATE SET content_hash = excluded.content_hash'
    )
    this.selectByKey = c.prepare(
      'SELECT f.* FROM media_keys k JOIN media_files f ON f.content_hash = k.content_hash WHERE k.media_key = ?'
    )
    this.selectByHash = c.prepare('SELECT * FROM media_files WHERE content_hash = ?')
    this.touchFile = c.prepare('UPDATE media_files SET last_access_ms = max(last_access_ms, ?) WHERE content_hash = ?')
    this.oldestFirst = c.prepare('SELECT * FROM media_files ORDER BY last_access_ms, content_hash')
    this.total = c.prepare('SELECT coalesce(sum(size), 0) AS bytes, count(*) AS files FROM media_files')
  }

  /** After a download is safely on disk. */
  record(input: RecordMediaInput): MediaFile {
    return this.db.transaction(() => {
      this.upsertFile.run({ hash: input.contentHash, path: input.path, size: input.size, mime: input.mime, now: this.db.now() })
      for (const key of input.keys) this.upsertKey.run(key, input.contentHash)
      return toMediaFile(this.selectByHash.get(input.contentHash) as MediaFileRow)
    })
  }

  /** The cached file for an attachment key, without counting it as an access. */
  lookup(key: string): MediaFile | null {
    const row = this.selectByKey.get(key)
    return row ? toMediaFile(row) : null
  }

  /** The cached file for an attachment key, marked as just used (it moves to the back of the eviction line). */
  open(key: string): MediaFile | null {
    return this.db.transaction(() => {
      const row = this.selectByKey.get(key)
      if (!row) return null
      const now = this.db.now()
      this.touchFile.run(now, row.content_hash)
      return toMediaFile({ ...row, last_access_ms: Math.max(row.last_access_ms, now) })
    })
  }

  totalBytes(): { bytes: number; files: number } {
    return this.total.get() ?? { bytes: 0, files: 0 }
  }

  /**
   * The least recently used files to delete so that the cache fits in `maxBytes`; files listed in
   * `keep` (e.g. on screen right now) are never chosen. Nothing is removed here: delete the files, then `forget` them.
   */
  evictionCandidates(maxBytes: number, keep: ReadonlySet<string> = new Set()): MediaFile[] {
    let excess = this.totalBytes().bytes - maxBytes
    const chosen: MediaFile[] = []
    if (excess <= 0) return chosen
    for (const row of this.oldestFirst.iterate()) {
      if (keep.has(row.content_hash)) continue
      chosen.push(toMediaFile(row))
      excess -= row.size
      if (excess <= 0) break
    }
    return chosen
  }

  /** After the file is deleted: the entry and every key pointing at it go. */
  forget(contentHash: string): boolean {
    return this.db.transaction(
      () => this.db.connection.prepare('DELETE FROM media_files WHERE content_hash = ?').run(contentHash).changes > 0
    )
  }
}

function toMediaFile(row: MediaFileRow): MediaFile {
  return {
    contentHash: row.content_hash,
    path: row.path,
    size: row.size,
    mime: row.mime,
    lastAccessMs: row.last_access_ms,
    storedAtMs: row.stored_at_ms
  }
}

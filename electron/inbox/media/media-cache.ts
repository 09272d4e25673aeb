// The media cache: attachments downloaded into a local folder, content-addressed and kept under a size
// budget by evicting the least recently viewed files, so cached threads show their images offline. The
// Electron protocol handler and the web-mode loopback route serve files through `resolve`.
//
// Disk and index are kept consistent by ordering, not by hope: a file gets its final name only when it is
// complete (then it is recorded), and is deleted before its index entry is dropped. Whatever a crash leaves
// between two steps — a partial file, a file without an entry, an entry without a file — `sweep` or
// `resolve` cleans up.
import type { Attachment, Message } from '../../../shared/postproxy.ts'
import { MAX_MEDIA_BYTES } from '../../../shared/media-rules.ts'
import type { InboxStore, MediaFile } from '../store/index.ts'
import type { MediaIndexRepository } from '../store/media-index.ts'
import { CacheDirectory } from './cache-directory.ts'
import { DownloadQueue, type QueuePriority } from './download-queue.ts'
import { downloadToPartialFile, type DownloadedFile } from './download-to-file.ts'
import { FailureBackoff } from './failure-backoff.ts'
import { failures, MediaDownloadError, type CachedMedia, type MediaFailure, type MediaResult } from './media-result.ts'
import { SerialSection } from './serial-section.ts'
import { storyReplyMedia } from './story-reply-media.ts'
import { OPAQUE_MIME } from './served-mime.ts'

const MIB = 1024 * 1024
export const DEFAULT_MAX_CACHE_BYTES = 1024 * MIB
/** Meta's largest send limit plus room: received media is not bound by send limits and may be re-encoded larger. */
export const DEFAULT_MAX_FILE_BYTES = MAX_MEDIA_BYTES + 7 * MIB
const DEFAULT_TIMEOUT_MS = 30_000
const DEFAULT_CONCURRENCY = 2
const DEFAULT_MAX_QUEUED = 500
const DEFAULT_AUTO_CACHE_DEPTH = 20

/** What the cache needs to know about an attachment (a Postproxy `Attachment` fits). */
export type MediaAttachment = Pick<Attachment, 'id' | 'type'> & { url?: string | null }

export type MediaCacheOptions = {
  /** Only the media index, the messages (for `cacheRecent`) and change events are used. */
  store: Pick<InboxStore, 'mediaIndex' | 'messages' | 'on'>
  /** The cache folder (e.g. `<userData>/media`); created when missing. */
  dir: string
  /** Size budget of the whole cache. Default 1 GiB. */
  maxBytes?: number
  fetch?: typeof globalThis.fetch
  /** Downloads running at once. Default 2. */
  concurrency?: number
  /** Normal-priority downloads allowed to wait; more are refused (and asked for again later). Default 500. */
  maxQueued?: number
  /** Larger files are not cached. Default 32 MiB. */
  maxFileBytes?: number
  /** A download is given up when nothing arrives for this long. Default 30 s. */
  timeoutMs?: number
  /** After `start()`, attachments of this many newest messages of each changed chat are queued; 0 turns it off. Default 20. */
  autoCacheDepth?: number
  /** The clock of the retry backoff. */
  now?: () => number
  /** Where unexpected problems are reported. Never given URLs or file contents. Default console.warn. */
  log?: (message: string) => void
}

export type EnsureOptions = {
  /** Eager downloads (story mentions, media on screen) go before normal ones. Default normal. */
  priority?: QueuePriority
  /** Tries now even if the last attempt failed recently (a "try again" button). */
  ignoreBackoff?: boolean
}

export type SweepReport = {
  /** Partial downloads left by a crash or kill. */
  partialFilesRemoved: number
  /** Files in the folder the index does not know. */
  orphanFilesRemoved: number
  /** Index entries whose file vanished or is damaged (wrong size). */
  entriesForgotten: number
}

export class MediaCache {
  /** The cache folder, absolute. */
  readonly dir: string
  readonly maxBytes: number
  private readonly store: MediaCacheOptions['store']
  private readonly index: MediaIndexRepository
  private readonly directory: CacheDirectory
  private readonly fetch: typeof globalThis.fetch
  private readonly maxFileBytes: number
  private readonly timeoutMs: number
  private readonly autoCacheDepth: number
  private readonly log: (message: string) => void
  private readonly queue: DownloadQueue<MediaResult>
  private readonly backoff: FailureBackoff
  private readonly disk = new SerialSection()
  private stopped = false
  private unsubscribe: (() => void) | null = null
  private readonly changedChats = new Set<string>()
  private changedChatsFlush: { timer: NodeJS.Immediate; done: Promise<void>; finish: () => void } | null = null

  constructor(options: MediaCacheOptions) {
    this.store = options.store
    this.index = options.store.mediaIndex
    this.directory = new CacheDirectory(options.dir)
    this.dir = this.directory.dir
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_CACHE_BYTES
    this.fetch = options.fetch ?? globalThis.fetch
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.autoCacheDepth = options.autoCacheDepth ?? DEFAULT_AUTO_CACHE_DEPTH
    this.log = options.log ?? ((message) => console.warn(`[media cache] ${message}`))
    this.backoff = new FailureBackoff({ now: options.now ?? Date.now })
    this.queue = new DownloadQueue<MediaResult>({
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
      maxQueued: options.maxQueued ?? DEFAULT_MAX_QUEUED,
      refused: (why) => (why === 'cancelled' ? failures.cancelled() : failures.queueFull()).toFailure(),
      crashed: (error) => this.unexpected('a download failed unexpectedly', error)
    })
  }

  /**
   * Cleans up after a previous run (see `sweep`), then queues the attachments of messages as they arrive
   * in the store (the newest `autoCacheDepth` of each changed chat). Resumes a stopped cache.
   */
  async start(): Promise<SweepReport> {
    this.stopped = false
    let report: SweepReport = { partialFilesRemoved: 0, orphanFilesRemoved: 0, entriesForgotten: 0 }
    try {
      report = await this.sweep()
    } catch (error) {
      this.log(`cleaning up the cache folder failed: ${describeError(error)}`)
    }
    if (this.autoCacheDepth > 0 && !this.unsubscribe) {
      this.unsubscribe = this.store.on('messagesChanged', ({ chatId }) => this.noteChangedChat(chatId))
    }
    return report
  }

  /**
   * Stops listening, refuses waiting downloads, aborts running ones and resolves when they have all ended,
   * and the start's sweep too (it ends at its next file): the store and the folder may go right after.
   */
  async stop(): Promise<void> {
    this.stopped = true
    this.unsubscribe?.()
    this.unsubscribe = null
    if (this.changedChatsFlush) {
      clearImmediate(this.changedChatsFlush.timer)
      this.changedChatsFlush.finish()
      this.changedChatsFlush = null
    }
    this.changedChats.clear()
    await this.queue.cancelAll()
    await this.disk.run(async () => {})
  }

  /**
   * The cached file of an attachment, downloading it first if needed. Never rejects: a failure is a result
   * with a reason and a message. Concurrent calls for the same attachment (by id or URL) share one download.
   * A recent failure is returned as is until its `retryAtMs`, unless `ignoreBackoff`.
   */
  async ensure(attachment: MediaAttachment, options: EnsureOptions = {}): Promise<MediaResult> {
    try {
      if (this.stopped) return failures.cancelled().toFailure()
      const url = downloadableUrl(attachment.url)
      if (!url) return failures.unsupportedUrl().toFailure()
      const keys = attachmentKeys(attachment)
      const cached = await this.cachedOnDisk(keys)
      if (cached) return { ok: true, file: cached }
      if (!options.ignoreBackoff) {
        const held = this.backoff.holding(keys)
        if (held) return held
      }
      return await this.download(url, keys, options.priority ?? 'normal')
    } catch (error) {
      return this.unexpected(`caching attachment ${attachment.id} failed`, error)
    }
  }

  /**
   * Queues a background download unless the attachment is cached, not downloadable, or backing off after a
   * failure. Never throws. Returns whether it was handed to the download queue (a full queue may still
   * refuse it; the next request for the attachment queues it again).
   */
  enqueue(attachment: MediaAttachment, options: { priority?: QueuePriority } = {}): boolean {
    try {
      if (this.stopped) return false
      const url = downloadableUrl(attachment.url)
      if (!url) return false
      const keys = attachmentKeys(attachment)
      if (keys.some((key) => this.index.lookup(key) !== null)) return false
      if (this.backoff.holding(keys)) return false
      this.download(url, keys, options.priority ?? 'normal').catch((error) => this.unexpected(`caching attachment ${attachment.id} failed`, error))
      return true
    } catch (error) {
      this.unexpected(`queueing attachment ${attachment.id} failed`, error)
      return false
    }
  }

  /**
   * Queues the attachments of these messages and the stories they reply to; stories first (they expire on
   * Instagram within a day). Returns how many downloads were queued.
   */
  enqueueFor(messages: readonly Message[]): number {
    let queued = 0
    for (const message of messages) {
      if (message.external_deleted_at) continue // unsent: its media should not be kept
      const story = storyReplyMedia(message)
      if (story && this.enqueue(story, { priority: 'eager' })) queued++
      for (const attachment of message.attachments ?? []) {
        if (this.enqueue(attachment, { priority: attachment.type === 'story_mention' ? 'eager' : 'normal' })) queued++
      }
    }
    return queued
  }

  /** Queues the attachments of a chat's newest `count` stored messages. Returns how many downloads were queued. */
  cacheRecent(chatId: string, count: number): number {
    try {
      return this.enqueueFor(this.store.messages.threadPage(chatId, { limit: count }).messages.map((stored) => stored.message))
    } catch (error) {
      this.unexpected(`queueing the media of chat ${chatId} failed`, error)
      return 0
    }
  }

  /** Resolves when no download is waiting or running, including those about to be queued for changed chats. */
  async whenIdle(): Promise<void> {
    await this.changedChatsFlush?.done
    await this.queue.whenIdle()
  }

  /**
   * The cached file for an attachment id or URL, marked as just viewed (last in line for eviction), for
   * serving its bytes. Null when it is not cached — including when its file was deleted or damaged behind
   * the cache's back: the entry is then dropped, so the next `ensure` downloads it again.
   */
  async resolve(key: string): Promise<CachedMedia | null> {
    try {
      const file = this.index.open(key)
      return file ? await this.verified(file) : null
    } catch (error) {
      this.unexpected('reading the media cache failed', error)
      return null
    }
  }

  /** What the index says is cached for an id or URL, without touching the disk or the eviction order. */
  lookup(key: string): CachedMedia | null {
    const file = this.index.lookup(key)
    return file && CacheDirectory.isContentHash(file.contentHash) ? this.toCachedMedia(file) : null
  }

  usage(): { bytes: number; files: number; maxBytes: number } {
    return { ...this.index.totalBytes(), maxBytes: this.maxBytes }
  }

  /** After the network comes back: attachments that failed may be tried again at once. */
  retryFailedNow(): void {
    this.backoff.forgetAll()
  }

  /**
   * Reconciles the folder with the index: deletes partial downloads (not of running downloads), files the
   * index does not know, and drops entries whose file is missing or has the wrong size. A stop ends it
   * early; the next start sweeps again.
   */
  sweep(): Promise<SweepReport> {
    return this.disk.run(async () => {
      await this.directory.ready()
      const listing = await this.directory.list()
      const report: SweepReport = { partialFilesRemoved: 0, orphanFilesRemoved: 0, entriesForgotten: 0 }
      for (const partial of listing.partialFiles) {
        if (this.stopped) return report
        if (await this.directory.removePartial(partial)) report.partialFilesRemoved++
      }
      if (this.stopped) return report
      const indexed = allIndexedFiles(this.index)
      const indexedHashes = new Set(indexed.map((file) => file.contentHash))
      for (const hash of listing.contentHashes) {
        if (this.stopped) return report
        if (!indexedHashes.has(hash) && (await this.directory.remove(hash))) report.orphanFilesRemoved++
      }
      for (const file of indexed) {
        if (this.stopped) return report
        if (!(await this.isIntact(file))) {
          await this.discard(file)
          report.entriesForgotten++
        }
      }
      return report
    })
  }

  /** Downloads through the queue (joining a download of the same attachment) and records every key asked for. */
  private async download(url: URL, keys: readonly string[], priority: QueuePriority): Promise<MediaResult> {
    const result = await this.queue.schedule(keys, priority, (signal) => this.fetchAndStore(url, keys, signal))
    // A caller that joined under another key (the same picture's id, or a new URL for it) is recorded too.
    if (result.ok) this.recordMissingKeys(keys, result.file)
    return result
  }

  private async fetchAndStore(url: URL, keys: readonly string[], signal: AbortSignal): Promise<MediaResult> {
    try {
      await this.directory.ready()
    } catch (error) {
      return this.backoff.remember(keys, failures.storage(error).toFailure())
    }
    const partialPath = this.directory.claimPartial()
    try {
      const downloaded = await downloadToPartialFile({
        url,
        partialPath,
        fetch: this.fetch,
        maxFileBytes: this.maxFileBytes,
        idleTimeoutMs: this.timeoutMs,
        signal
      })
      const file = await this.disk.run(() => this.commit(downloaded, keys))
      this.backoff.forget(keys)
      return { ok: true, file }
    } catch (error) {
      if (error instanceof MediaDownloadError) return this.backoff.remember(keys, error.toFailure())
      await this.directory.removePartial(partialPath)
      this.log(`saving a file from ${url.host} failed: ${describeError(error)}`)
      return this.backoff.remember(keys, failures.storage(error).toFailure())
    } finally {
      this.directory.releasePartial(partialPath)
    }
  }

  /** Runs inside the disk section: final name, index entry, then eviction (never of this file). */
  private async commit(downloaded: DownloadedFile, keys: readonly string[]): Promise<CachedMedia> {
    const path = await this.directory.commit(downloaded.partialPath, downloaded.contentHash)
    // The absolute path is recorded for readers of the index; the cache itself derives it from the hash,
    // so a tampered or stale row can never point it outside its folder.
    this.index.record({ keys, contentHash: downloaded.contentHash, path, size: downloaded.size, mime: downloaded.mime })
    await this.evictBeyondBudget(new Set([downloaded.contentHash]))
    return { path, mime: downloaded.mime, size: downloaded.size, contentHash: downloaded.contentHash }
  }

  private async evictBeyondBudget(keep: ReadonlySet<string>): Promise<void> {
    for (const file of this.index.evictionCandidates(this.maxBytes, keep)) {
      if (!CacheDirectory.isContentHash(file.contentHash)) this.index.forget(file.contentHash)
      else if (await this.directory.remove(file.contentHash)) this.index.forget(file.contentHash)
      else this.log('a cached file could not be deleted; it will be tried again at the next eviction')
    }
  }

  /** The first key with an intact file on disk. */
  private async cachedOnDisk(keys: readonly string[]): Promise<CachedMedia | null> {
    for (const key of keys) {
      const file = this.index.lookup(key)
      const intact = file ? await this.verified(file) : null
      if (intact) return intact
    }
    return null
  }

  private async verified(file: MediaFile): Promise<CachedMedia | null> {
    if (await this.isIntact(file)) return this.toCachedMedia(file)
    await this.disk.run(async () => {
      // Looked at again inside the section: the same bytes may have been downloaded again meanwhile.
      if (!(await this.isIntact(file))) await this.discard(file)
    })
    return null
  }

  private async isIntact(file: MediaFile): Promise<boolean> {
    if (!CacheDirectory.isContentHash(file.contentHash)) return false
    return (await this.directory.sizeOf(this.directory.pathFor(file.contentHash))) === file.size
  }

  /** Drops a damaged or vanished file: bytes first, then the entry. */
  private async discard(file: MediaFile): Promise<void> {
    if (CacheDirectory.isContentHash(file.contentHash) && !(await this.directory.remove(file.contentHash))) return
    this.index.forget(file.contentHash)
  }

  private recordMissingKeys(keys: readonly string[], file: CachedMedia): void {
    const missing = keys.filter((key) => this.index.lookup(key)?.contentHash !== file.contentHash)
    if (missing.length === 0) return
    this.index.record({ keys: missing, contentHash: file.contentHash, path: file.path, size: file.size, mime: file.mime })
  }

  private toCachedMedia(file: MediaFile): CachedMedia {
    return { path: this.directory.pathFor(file.contentHash), mime: file.mime ?? OPAQUE_MIME, size: file.size, contentHash: file.contentHash }
  }

  private noteChangedChat(chatId: string): void {
    this.changedChats.add(chatId)
    // Deferred and coalesced: the listener runs inside the sync's call stack, and a burst of changes to one
    // chat needs one look at its newest messages, not one per change.
    if (this.changedChatsFlush) return
    let finish!: () => void
    const done = new Promise<void>((resolve) => (finish = resolve))
    const timer = setImmediate(() => {
      this.changedChatsFlush = null
      const chatIds = [...this.changedChats]
      this.changedChats.clear()
      for (const id of chatIds) this.cacheRecent(id, this.autoCacheDepth)
      finish()
    })
    this.changedChatsFlush = { timer, done, finish }
  }

  private unexpected(what: string, error: unknown): MediaFailure {
    this.log(`${what}: ${describeError(error)}`)
    return failures.unexpected(error).toFailure()
  }
}

/** Only http(s) links are fetched: never file:, data: or anything that reads local or odd resources. */
function downloadableUrl(raw: string | null | undefined): URL | null {
  if (!raw) return null
  try {
    const url = new URL(raw)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null
  } catch {
    return null
  }
}

/** An attachment is found by its id and by its URL exactly as stored (what the renderer will ask for). */
function attachmentKeys(attachment: MediaAttachment): string[] {
  return [...new Set([attachment.id, attachment.url].filter((key): key is string => typeof key === 'string' && key.length > 0))]
}

/** Every indexed file: the eviction order for a budget nothing fits in. */
function allIndexedFiles(index: MediaIndexRepository): MediaFile[] {
  return index.evictionCandidates(Number.NEGATIVE_INFINITY)
}

/** An error for the log: its code and message, never a URL's query or file bytes. */
function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return `${typeof code === 'string' ? `${code}: ` : ''}${error.message}`
  }
  return String(error)
}

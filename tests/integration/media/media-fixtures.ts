// A throwaway world for the media cache tests: a real store file and cache folder in a temp dir, a real
// loopback media server, and one controllable clock shared by the store (LRU times) and the cache (retry backoff).
import { mkdirSync, mkdtempSync, readdirSync, rmSync, watch } from 'node:fs'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MediaCache, type MediaCacheOptions } from '../../../electron/inbox/media/index.ts'
import { openStore, type InboxStore } from '../../../electron/inbox/store/index.ts'
import { MediaServer } from './media-server.ts'

export type CacheWorld = {
  root: string
  cacheDir: string
  storePath: string
  store: InboxStore
  server: MediaServer
  clock: { now: number }
  /** Unexpected problems the caches reported (tests expect none unless they provoke one). */
  logged: string[]
  /** A cache over the world's store and folder; stopped by `cleanup`. */
  newCache(options?: Partial<MediaCacheOptions>): MediaCache
  /** Names in the cache folder, sorted. */
  filesOnDisk(): string[]
  cleanup(): Promise<void>
}

export async function openCacheWorld(): Promise<CacheWorld> {
  const root = mkdtempSync(join(tmpdir(), 'dmdesk-media-'))
  const cacheDir = join(root, 'media')
  mkdirSync(cacheDir)
  const storePath = join(root, 'inbox.sqlite')
  const clock = { now: Date.UTC(2026, 0, 2, 12, 0, 0) }
  const store = openStore(storePath, { now: () => clock.now })
  const server = await MediaServer.start()
  const caches: MediaCache[] = []
  const logged: string[] = []
  return {
    root,
    cacheDir,
    storePath,
    store,
    server,
    clock,
    logged,
    newCache(options = {}) {
      const cache = new MediaCache({ store, dir: cacheDir, now: () => clock.now, log: (message) => logged.push(message), ...options })
      caches.push(cache)
      return cache
    },
    filesOnDisk() {
      try {
        return readdirSync(cacheDir).sort()
      } catch {
        return []
      }
    },
    async cleanup() {
      await Promise.all(caches.map((cache) => cache.stop()))
      await server.close()
      store.close()
      rmSync(root, { recursive: true, force: true })
    }
  }
}

/** Resolves with the first name in `dir` matching `pattern`, as soon as it appears (fs events, not polling). */
export async function waitForFile(dir: string, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  // Watching starts before the first look, so a file created in between is not missed.
  const watcher = watch(dir)
  let timer: NodeJS.Timeout | undefined
  try {
    const appeared = new Promise<string>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`No file matching ${pattern} appeared in ${timeoutMs} ms`)), timeoutMs)
      watcher.on('change', (_event, name) => {
        if (name !== null && pattern.test(String(name))) resolve(String(name))
      })
      watcher.on('error', reject)
    })
    const existing = readdirSync(dir).find((name) => pattern.test(name))
    return existing ?? (await appeared)
  } finally {
    clearTimeout(timer)
    watcher.close()
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

export type Deferred<T> = { promise: Promise<T>; resolve: (value: T) => void }

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((settle) => (resolve = settle))
  return { promise, resolve }
}

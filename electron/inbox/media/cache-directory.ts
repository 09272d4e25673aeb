// The cache folder on disk: one flat directory of files named by the sha256 of their bytes, plus
// `<random>.partial` files while downloads are in progress. A download only ever gets its final name by a
// rename once it is complete and flushed, so a crash leaves at most a `.partial` file (swept on start),
// never a half file that looks cached. Only names of these two shapes are ever deleted, so a cache
// directory pointed at the wrong folder cannot destroy anything else.
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, readdir, rename, rm, stat } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { PRIVATE_DIR_MODE } from '../private-files.ts'

const CONTENT_NAME = /^[0-9a-f]{64}$/
const PARTIAL_NAME = /^[0-9a-f]{32}\.partial$/

export type DirectoryListing = { contentHashes: string[]; partialFiles: string[] }

export class CacheDirectory {
  readonly dir: string
  /** Partial files of downloads still running: never swept. */
  private readonly partialsInUse = new Set<string>()
  private created: Promise<void> | null = null

  constructor(dir: string) {
    // Absolute, so the paths handed to the protocol handler do not depend on the working directory.
    this.dir = resolve(dir)
  }

  static isContentHash(value: string): boolean {
    return CONTENT_NAME.test(value)
  }

  /** Creates the folder once (and again if it was removed while the app ran). */
  async ready(): Promise<void> {
    // Private, like the whole data directory (see private-files.ts); chmod narrows a folder made before.
    this.created ??= mkdir(this.dir, { recursive: true, mode: PRIVATE_DIR_MODE }).then(() => chmod(this.dir, PRIVATE_DIR_MODE))
    try {
      await this.created
    } catch (error) {
      this.created = null
      throw error
    }
  }

  pathFor(contentHash: string): string {
    if (!CacheDirectory.isContentHash(contentHash)) throw new RangeError('Not a content hash: refusing to build a path from it')
    return join(this.dir, contentHash)
  }

  /** A fresh temporary file name for one download; call `releasePartial` when the download is over. */
  claimPartial(): string {
    const name = `${randomBytes(16).toString('hex')}.partial`
    this.partialsInUse.add(name)
    return join(this.dir, name)
  }

  releasePartial(path: string): void {
    this.partialsInUse.delete(basename(path))
  }

  /**
   * Gives a complete partial file its final content-addressed name. The same bytes may already be there
   * (the same picture under another URL): then the partial copy is simply dropped.
   */
  async commit(partialPath: string, contentHash: string): Promise<string> {
    const finalPath = this.pathFor(contentHash)
    try {
      await rename(partialPath, finalPath)
    } catch (error) {
      // Windows refuses to replace a file that is open (being served); identical bytes are already there.
      if ((await this.sizeOf(finalPath)) === null) throw error
      await rm(partialPath, { force: true })
    }
    return finalPath
  }

  /** The file's size, or null when it is not there. */
  async sizeOf(path: string): Promise<number | null> {
    try {
      const info = await stat(path)
      return info.isFile() ? info.size : null
    } catch (error) {
      if (isMissing(error)) return null
      throw error
    }
  }

  /** Deletes a cached file; true when it is gone afterwards (including when it was already gone). */
  async remove(contentHash: string): Promise<boolean> {
    try {
      await rm(this.pathFor(contentHash), { force: true })
      return true
    } catch {
      return false // e.g. open elsewhere on Windows: it stays, and is tried again at the next eviction
    }
  }

  /** True when it is gone afterwards. */
  async removePartial(path: string): Promise<boolean> {
    try {
      await rm(path, { force: true })
      return true
    } catch {
      return false
    }
  }

  /** What the cache owns in the folder, except partial files of downloads in progress. */
  async list(): Promise<DirectoryListing> {
    let names: string[]
    try {
      names = await readdir(this.dir)
    } catch (error) {
      if (isMissing(error)) return { contentHashes: [], partialFiles: [] }
      throw error
    }
    return {
      contentHashes: names.filter((name) => CONTENT_NAME.test(name)),
      partialFiles: names.filter((name) => PARTIAL_NAME.test(name) && !this.partialsInUse.has(name)).map((name) => join(this.dir, name))
    }
  }
}

function isMissing(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ENOENT'
}

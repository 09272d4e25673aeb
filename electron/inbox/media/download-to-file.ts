// One download, streamed to a partial file while it is hashed: memory stays flat whatever the file size,
// the size limit is enforced as bytes arrive (a lying or missing Content-Length cannot fill the disk), and
// any failure deletes the partial file. The caller gives the finished file its final name.
import { createHash } from 'node:crypto'
import { open, rm, type FileHandle } from 'node:fs/promises'
import { PRIVATE_FILE_MODE } from '../private-files.ts'
import { failures, MediaDownloadError } from './media-result.ts'
import { servedMime, SNIFF_BYTES } from './served-mime.ts'

export type DownloadRequest = {
  url: URL
  partialPath: string
  fetch: typeof globalThis.fetch
  maxFileBytes: number
  /** Gives up when nothing arrives for this long: connecting, waiting for the answer, or between chunks. */
  idleTimeoutMs: number
  /** Aborts the download (the cache stopping). */
  signal: AbortSignal
}

export type DownloadedFile = {
  partialPath: string
  contentHash: string
  size: number
  mime: string
}

const ACCEPT = 'image/*, video/*, audio/*, application/pdf;q=0.9, */*;q=0.5'

/** Throws MediaDownloadError; leaves nothing on disk when it does. */
export async function downloadToPartialFile(request: DownloadRequest): Promise<DownloadedFile> {
  const abort = new DownloadAbort(request.signal, request.idleTimeoutMs)
  let file: FileHandle | null = null
  try {
    const response = await abort.guard(
      () => request.fetch(request.url, { signal: abort.signal, headers: { accept: ACCEPT }, redirect: 'follow' }),
      failures.network
    )
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined)
      throw failures.httpStatus(response.status)
    }
    const declaredLength = Number(response.headers.get('content-length') ?? Number.NaN)
    if (declaredLength > request.maxFileBytes) {
      await response.body?.cancel().catch(() => undefined)
      throw failures.tooLarge(request.maxFileBytes)
    }
    if (!response.body) throw failures.empty()

    file = await asStorageError(() => open(request.partialPath, 'wx', PRIVATE_FILE_MODE))
    const hash = createHash('sha256')
    const head: Uint8Array[] = []
    let headBytes = 0
    let size = 0
    const reader = response.body.getReader()
    for (;;) {
      const { done, value } = await abort.guard(() => reader.read(), (cause) => failures.network(cause))
      if (done) break
      abort.progressed()
      size += value.byteLength
      if (size > request.maxFileBytes) {
        abort.stop()
        await reader.cancel().catch(() => undefined)
        throw failures.tooLarge(request.maxFileBytes)
      }
      hash.update(value)
      if (headBytes < SNIFF_BYTES) {
        head.push(value.subarray(0, SNIFF_BYTES - headBytes))
        headBytes += head[head.length - 1].byteLength
      }
      await asStorageError(() => writeAll(file as FileHandle, value))
    }
    if (size === 0) throw failures.empty()
    // Flushed before the rename, so a power cut cannot leave a final name pointing at missing bytes.
    await asStorageError(() => (file as FileHandle).sync())
    await asStorageError(() => (file as FileHandle).close())
    file = null
    return {
      partialPath: request.partialPath,
      contentHash: hash.digest('hex'),
      size,
      mime: servedMime(Buffer.concat(head), response.headers.get('content-type'))
    }
  } catch (error) {
    await file?.close().catch(() => undefined)
    await removeQuietly(request.partialPath)
    throw error instanceof MediaDownloadError ? error : failures.storage(error)
  } finally {
    abort.dispose()
  }
}

/** The abort signal of one download: the cache stopping, or the server going quiet, and which of the two. */
class DownloadAbort {
  private readonly controller = new AbortController()
  private readonly outer: AbortSignal
  private readonly idleTimeoutMs: number
  private why: MediaDownloadError | null = null
  private timer: NodeJS.Timeout | null = null
  private readonly onOuterAbort = () => this.abortWith(failures.cancelled())

  constructor(outer: AbortSignal, idleTimeoutMs: number) {
    this.outer = outer
    this.idleTimeoutMs = idleTimeoutMs
    if (outer.aborted) this.abortWith(failures.cancelled())
    else outer.addEventListener('abort', this.onOuterAbort, { once: true })
    this.progressed()
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  progressed(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => this.abortWith(failures.timeout(this.idleTimeoutMs)), this.idleTimeoutMs)
  }

  /** Ends the transfer for a reason of our own (already reported to the caller). */
  stop(): void {
    this.controller.abort()
  }

  /** Runs a step of the transfer; a failure becomes the abort's reason if there is one, else `otherwise(error)`. */
  async guard<T>(step: () => Promise<T>, otherwise: (cause: unknown) => MediaDownloadError): Promise<T> {
    if (this.why) throw this.why
    try {
      return await step()
    } catch (error) {
      if (this.why) throw this.why
      throw error instanceof MediaDownloadError ? error : otherwise(error)
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer)
    this.outer.removeEventListener('abort', this.onOuterAbort)
  }

  private abortWith(reason: MediaDownloadError): void {
    this.why ??= reason
    this.controller.abort()
  }
}

async function writeAll(file: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await file.write(bytes, offset, bytes.byteLength - offset)
    offset += bytesWritten
  }
}

async function asStorageError<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step()
  } catch (error) {
    throw failures.storage(error)
  }
}

async function removeQuietly(path: string): Promise<void> {
  await rm(path, { force: true }).catch(() => undefined)
}

// What asking the media cache for a file gives back: the cached file, or why it is not there, in words a
// creator understands. Download problems are results, never exceptions, so a broken image link can never
// take a thread (or the process) down with it.
import { formatBytes } from '../../../shared/media-rules.ts'

/** A downloaded file as the renderer's protocol handler / loopback route serves it. */
export type CachedMedia = {
  /** Absolute path of the file inside the cache directory. */
  path: string
  /** The type to serve it with: sniffed from the bytes, else a declared media type, else application/octet-stream. */
  mime: string
  size: number
  /** sha256 of the bytes, hex: also the file's name. */
  contentHash: string
}

export type MediaFailureReason =
  /** No URL, or not an http(s) one. */
  | 'unsupported_url'
  /** Bigger than the per-file limit (declared or actually sent). */
  | 'too_large'
  /** The server has no such file (404 / 410). */
  | 'not_found'
  /** Any other unsuccessful HTTP status. */
  | 'http_error'
  /** The server answered 2xx with no bytes. */
  | 'empty'
  /** The server could not be reached, or the connection dropped: most often, offline. */
  | 'network'
  /** No progress for too long. */
  | 'timeout'
  /** The file could not be written into the cache directory (or saving it failed unexpectedly). */
  | 'storage'
  /** The cache was stopped (app closing) before the download finished. */
  | 'cancelled'
  /** Too many downloads are already waiting; the attachment is queued again by the next request for it. */
  | 'queue_full'

export type MediaFailure = {
  ok: false
  reason: MediaFailureReason
  message: string
  /** The HTTP status, when the server answered. */
  status: number | null
  /** Until when the cache will not try this attachment again on its own (epoch ms); null when it may try at once. */
  retryAtMs: number | null
}

export type MediaResult = { ok: true; file: CachedMedia } | MediaFailure

export function mediaFailure(reason: MediaFailureReason, message: string, status: number | null = null): MediaFailure {
  return { ok: false, reason, message, status, retryAtMs: null }
}

/** Thrown inside a download and turned into a MediaFailure at the edge of the cache. */
export class MediaDownloadError extends Error {
  readonly reason: MediaFailureReason
  readonly status: number | null

  constructor(reason: MediaFailureReason, message: string, options: { status?: number | null; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = 'MediaDownloadError'
    this.reason = reason
    this.status = options.status ?? null
  }

  toFailure(): MediaFailure {
    return mediaFailure(this.reason, this.message, this.status)
  }
}

export const failures = {
  unsupportedUrl: (): MediaDownloadError =>
    new MediaDownloadError('unsupported_url', "This attachment has no web link (http or https) the app can download, so it can't be saved for offline viewing."),
  tooLarge: (limitBytes: number): MediaDownloadError =>
    new MediaDownloadError('too_large', `This file is larger than ${formatBytes(limitBytes)}, so it isn't saved for offline viewing.`),
  httpStatus: (status: number): MediaDownloadError =>
    status === 404 || status === 410
      ? new MediaDownloadError('not_found', `The media server no longer has this file (HTTP ${status}).`, { status })
      : new MediaDownloadError('http_error', `The media server answered with an error (HTTP ${status}); the app will try again later.`, { status }),
  empty: (): MediaDownloadError => new MediaDownloadError('empty', 'The media server sent an empty file; the app will try again later.'),
  network: (cause: unknown): MediaDownloadError =>
    new MediaDownloadError('network', "Couldn't reach the media server — you may be offline. The app will try again later.", { cause }),
  timeout: (timeoutMs: number): MediaDownloadError =>
    new MediaDownloadError(
      'timeout',
      `The media server stopped sending data for ${Math.round(timeoutMs / 1000)} seconds, so the download was stopped; the app will try again later.`
    ),
  storage: (cause: unknown): MediaDownloadError => {
    const code = (cause as { code?: unknown } | null)?.code
    const why = code === 'ENOSPC' ? 'the disk is full' : code === 'EACCES' || code === 'EPERM' ? 'the app may not write there' : 'the disk refused the write'
    return new MediaDownloadError('storage', `Couldn't save the file in the media cache folder: ${why}.`, { cause })
  },
  unexpected: (cause: unknown): MediaDownloadError =>
    new MediaDownloadError('storage', 'Something went wrong while saving this file for offline viewing; the app will try again later.', { cause }),
  cancelled: (): MediaDownloadError => new MediaDownloadError('cancelled', 'The download was stopped because the app is closing.'),
  queueFull: (): MediaDownloadError =>
    new MediaDownloadError('queue_full', 'Too many downloads are waiting; this one will be tried again later.')
}

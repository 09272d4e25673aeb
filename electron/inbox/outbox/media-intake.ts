// A file the creator drops is checked by its real type (magic bytes, whatever its name says) and
// size before anything is sent, then copied into the app's data directory: a queued send must
// survive the original being moved or deleted while the app waits for the network.
import { createHash } from 'node:crypto'
import { open, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { checkMedia, sniffMediaType, type MediaKind } from '../../../shared/media-rules.ts'
import type { MediaSource } from '../../../shared/inbox-api.ts'
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../private-files.ts'

export interface StagedMedia {
  /** Where the durable copy lives. */
  path: string
  filename: string
  mime: string
  kind: MediaKind
  sizeBytes: number
  sha256: string
}

export class MediaRejectedError extends Error {
  readonly userMessage: string
  constructor(userMessage: string, cause?: unknown) {
    super(userMessage, { cause })
    this.name = 'MediaRejectedError'
    this.userMessage = userMessage
  }
}

const SNIFF_BYTES = 64

async function readHead(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r')
  try {
    const head = new Uint8Array(SNIFF_BYTES)
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0)
    return head.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

/** A name safe to show and to send as a multipart filename: no directories, no control characters. */
export function safeFilename(name: string, fallback: string): string {
  const cleaned = basename(name.replaceAll('\\', '/'))
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim()
    .slice(0, 200)
  return cleaned && cleaned !== '.' && cleaned !== '..' ? cleaned : fallback
}

interface MediaCandidate {
  name: string
  sizeBytes: number
  head: Uint8Array
  read(): Promise<Uint8Array>
}

async function fileCandidate(path: string): Promise<MediaCandidate> {
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new MediaRejectedError("That isn't a file dmdesk can send.")
    return { name: path, sizeBytes: info.size, head: await readHead(path), read: () => readFile(path) }
  } catch (cause) {
    if (cause instanceof MediaRejectedError) throw cause
    throw new MediaRejectedError("dmdesk can't read that file. It may have been moved or deleted.", cause)
  }
}

function uploadCandidate(name: string, base64: string): MediaCandidate {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0
  return {
    name,
    sizeBytes: Math.floor((base64.length * 3) / 4) - padding,
    head: Buffer.from(base64.slice(0, 128), 'base64'),
    read: async () => Buffer.from(base64, 'base64')
  }
}

/**
 * Checks a dropped or picked file and stages a durable copy under `stagingDir`.
 * Throws MediaRejectedError with a creator-facing reason for anything Instagram would refuse.
 */
export async function stageMedia(source: MediaSource, stagingDir: string): Promise<StagedMedia> {
  const candidate = 'path' in source ? await fileCandidate(source.path) : uploadCandidate(source.name, source.bytesBase64)
  // Decide on type and size from the first bytes and the size, before reading a huge file into memory.
  const early = checkMedia(sniffMediaType(candidate.head), candidate.sizeBytes)
  if (!early.ok) throw new MediaRejectedError(early.message)
  const bytes = await candidate.read()
  const verdict = checkMedia(sniffMediaType(bytes.subarray(0, SNIFF_BYTES)), bytes.length)
  if (!verdict.ok) throw new MediaRejectedError(verdict.message)

  const sha256 = createHash('sha256').update(bytes).digest('hex')
  ensurePrivateDir(stagingDir)
  const path = join(stagingDir, sha256)
  // Write then rename, so a crash never leaves a half-written file under the final name.
  const temporary = `${path}.${process.pid}.partial`
  await writeFile(temporary, bytes, { mode: PRIVATE_FILE_MODE })
  await rename(temporary, path)
  return {
    path,
    filename: safeFilename(candidate.name, `${verdict.kind}-${sha256.slice(0, 8)}`),
    mime: verdict.mime,
    kind: verdict.kind,
    sizeBytes: bytes.length,
    sha256
  }
}

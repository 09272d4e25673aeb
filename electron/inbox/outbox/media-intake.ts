// A file the creator drops, picks or pastes is checked by its real type (magic bytes, whatever its name
// says) and size, by the rules of the chat's platform, before anything is sent, then copied into the app's data directory: a queued send must
// survive the original being moved or deleted while the app waits for the network.
//
// It arrives in one of two ways. As bytes: web mode always, and in Electron a file that has no place on
// disk (a pasted image). Or, in Electron only, as a chosen file: the path Chromium knows for a File the
// creator dropped or picked, which the preload resolves itself (electron/preload/) and main passes on
// through its own channel; the page can never name a path. Every refusal of a chosen file says the same
// words, so an answer never tells whether something exists at a path or what it is.
import { createHash } from 'node:crypto'
import { constants } from 'node:fs'
import { open, rename, writeFile, type FileHandle } from 'node:fs/promises'
import { basename, isAbsolute, join } from 'node:path'
import { checkMedia, describeAllowedMedia, sniffMediaType, type MediaKind } from '../../../shared/media-rules.ts'
import { platformName } from '../../../shared/platforms.ts'
import type { MediaSource } from '../../../shared/inbox-api.ts'
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../private-files.ts'

/** A file the creator dropped or picked in Electron, by the path Chromium gave the preload for it. */
export type ChosenFile = { path: string }

/** What the outbox accepts: uploaded bytes (shared contract) or, from Electron's main process only, a chosen file. */
export type MediaIntakeSource = MediaSource | ChosenFile

/**
 * The one answer to every chosen file that can't be sent to a chat on `platform`: missing, a folder,
 * unreadable, or not media the platform takes.
 */
export function chosenFileRefused(platform: string): string {
  return `dmdesk can't send that file. ${platformName(platform)} accepts ${describeAllowedMedia(platform)}. Check the file and attach it again.`
}

/** The same answer before the chat is known (a request the preload could not have made). */
export const CHOSEN_FILE_REFUSED = "dmdesk can't send that file. Check the file and attach it again."

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
// Non-blocking, so opening a named pipe can't stall; only a regular file is read after that.
const OPEN_CHOSEN_FILE = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)

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

interface CheckedMedia {
  name: string
  bytes: Uint8Array
  mime: string
  kind: MediaKind
}

/** Type and size from the first bytes and the size, before a huge file is read into memory; then again on the bytes. */
async function checked(candidate: MediaCandidate, platform: string): Promise<CheckedMedia> {
  const early = checkMedia(sniffMediaType(candidate.head), candidate.sizeBytes, platform)
  if (!early.ok) throw new MediaRejectedError(early.message)
  const bytes = await candidate.read()
  const verdict = checkMedia(sniffMediaType(bytes.subarray(0, SNIFF_BYTES)), bytes.length, platform)
  if (!verdict.ok) throw new MediaRejectedError(verdict.message)
  return { name: candidate.name, bytes, mime: verdict.mime, kind: verdict.kind }
}

/** Reads a chosen file through one open handle (what is checked is what is sent), refusing alike whatever fails. */
async function checkedChosenFile(path: string, platform: string): Promise<CheckedMedia> {
  let handle: FileHandle
  try {
    if (!isAbsolute(path)) throw new TypeError('a chosen file is named by an absolute path')
    handle = await open(path, OPEN_CHOSEN_FILE)
  } catch (cause) {
    throw new MediaRejectedError(chosenFileRefused(platform), cause)
  }
  try {
    const info = await handle.stat()
    if (!info.isFile()) throw new TypeError('not a regular file')
    const head = new Uint8Array(SNIFF_BYTES)
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0)
    return await checked({ name: path, sizeBytes: info.size, head: head.subarray(0, bytesRead), read: () => handle.readFile() }, platform)
  } catch (cause) {
    throw new MediaRejectedError(chosenFileRefused(platform), cause)
  } finally {
    await handle.close()
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
 * Checks a dropped, picked or pasted file against the rules of `platform` (the chat's) and stages a
 * durable copy under `stagingDir`. Throws MediaRejectedError with a creator-facing reason, naming the
 * platform, for anything that can't or mustn't be sent.
 */
export async function stageMedia(source: MediaIntakeSource, stagingDir: string, platform: string): Promise<StagedMedia> {
  const media = 'path' in source ? await checkedChosenFile(source.path, platform) : await checked(uploadCandidate(source.name, source.bytesBase64), platform)
  const sha256 = createHash('sha256').update(media.bytes).digest('hex')
  ensurePrivateDir(stagingDir)
  const path = join(stagingDir, sha256)
  // Write then rename, so a crash never leaves a half-written file under the final name.
  const temporary = `${path}.${process.pid}.partial`
  await writeFile(temporary, media.bytes, { mode: PRIVATE_FILE_MODE })
  await rename(temporary, path)
  return {
    path,
    filename: safeFilename(media.name, `${media.kind}-${sha256.slice(0, 8)}`),
    mime: media.mime,
    kind: media.kind,
    sizeBytes: media.bytes.length,
    sha256
  }
}

/** Whether `path` is a copy stageMedia made in `stagingDir` (the outbox uploads nothing else). */
export function isStagedCopy(path: string, stagingDir: string): boolean {
  return join(stagingDir, basename(path)) === path && /^[0-9a-f]{64}$/.test(basename(path))
}

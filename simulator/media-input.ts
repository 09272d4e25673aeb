// Turning what a client sends as media (a public URL, a base64 data URI, an uploaded file) into an
// attachment. Bytes are judged by their real type (magic bytes), never by a name or a declared type,
// against Meta's limits from shared/media-rules.ts; rejections name the field and the limit.
import { checkMedia, mediaRuleFor, sniffMediaType, type MediaKind } from '../shared/media-rules.ts'
import type { Attachment } from '../shared/postproxy.ts'
import type { AccountId, SimMedia } from './contracts.ts'
import { unprocessable } from './http-errors.ts'
import { newId } from './ids.ts'
import type { SimState } from './state.ts'

export type MediaItem =
  | { kind: 'url'; url: string }
  | { kind: 'bytes'; bytes: Buffer; filename: string | null }

const MEDIA_FORMS = 'a public http(s) URL, a base64 data URI, or an uploaded file'

/** A JSON media item: a URL or a data URI. */
export function mediaItemFromString(value: unknown, field: string): MediaItem {
  if (typeof value !== 'string' || value.trim() === '') throw unprocessable([`${field} must be ${MEDIA_FORMS}.`])
  if (value.startsWith('data:')) {
    const decoded = decodeDataUri(value)
    if (!decoded) throw unprocessable([`${field} is not a valid data URI; use data:<type>;base64,<data>.`])
    return { kind: 'bytes', bytes: decoded.bytes, filename: null }
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw unprocessable([`${field} must be ${MEDIA_FORMS}.`])
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw unprocessable([`${field} must be ${MEDIA_FORMS}.`])
  return { kind: 'url', url: url.toString() }
}

/** `data:<mime>;base64,<data>`; null when it is not one (only base64 data URIs carry files). */
export function decodeDataUri(uri: string): { mime: string | null; bytes: Buffer } | null {
  const comma = uri.indexOf(',')
  if (!uri.startsWith('data:') || comma === -1) return null
  const header = uri.slice(5, comma).split(';').map((piece) => piece.trim())
  if (header[header.length - 1]?.toLowerCase() !== 'base64') return null
  const payload = uri.slice(comma + 1).replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(payload)) return null
  return { mime: header[0] || null, bytes: Buffer.from(payload, 'base64') }
}

/** Checks bytes for sending: real type and size within the platform's limits; 422 naming the limit otherwise. */
export function checkSendableBytes(bytes: Buffer, field: string, platform = 'instagram'): { mime: string; kind: MediaKind } {
  const check = checkMedia(sniffMediaType(bytes.subarray(0, 64)), bytes.length, platform)
  if (!check.ok) throw unprocessable([`${field}: ${check.message}`])
  return { mime: check.mime, kind: check.kind }
}

/**
 * A client's file name, reduced to something harmless to echo back in a header: the last path
 * segment, printable characters only. It is never used to build a path.
 */
export function safeFilename(name: string | null | undefined): string | null {
  if (!name) return null
  const lastSegment = name.split(/[\\/]/).pop() ?? ''
  const cleaned = lastSegment.replace(/[^\p{L}\p{N} ._()-]/gu, '_').replace(/^\.+/, '').slice(0, 200)
  return cleaned === '' ? null : cleaned
}

const EXTENSION_KINDS: Record<string, Attachment['type']> = {
  jpg: 'image',
  jpeg: 'image',
  png: 'image',
  gif: 'image',
  mp4: 'video',
  mov: 'video',
  webm: 'video',
  avi: 'video',
  ogg: 'video',
  m4a: 'audio',
  aac: 'audio',
  mp3: 'audio',
  wav: 'audio',
  pdf: 'file'
}

/** The attachment type a URL most likely holds, by its extension (the simulator never fetches it). */
export function attachmentTypeForUrl(url: string): Attachment['type'] {
  const path = URL.canParse(url) ? new URL(url).pathname : url
  const extension = path.slice(path.lastIndexOf('.') + 1).toLowerCase()
  return EXTENSION_KINDS[extension] ?? 'image'
}

/** Stores the bytes as simulator-hosted media (as Postproxy mirrors media) and returns its attachment. */
export function storeAttachment(state: SimState, account: AccountId, media: SimMedia, type: string): Attachment {
  const mediaId = newId('med')
  state.putMedia(account, mediaId, media)
  return { id: newId('att'), type, url: state.urls.media(mediaId), status: 'processed', external_id: null }
}

export function urlAttachment(url: string, type: string): Attachment {
  return { id: newId('att'), type, url, status: 'processed', external_id: null }
}

/** The real type of stored bytes, for media that is not checked against send limits (inbound). */
export function describeInboundBytes(media: SimMedia): { mime: string; type: Attachment['type'] } {
  const sniffed = sniffMediaType(media.bytes.subarray(0, 64))
  const mime = sniffed ?? media.mime
  return { mime, type: mediaRuleFor(mime)?.kind ?? 'file' }
}

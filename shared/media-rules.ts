// Meta's Send API limits (POSTPROXY.md §5): text size, one attachment, media types and sizes.
// The simulator enforces them and the app checks them before anything leaves the machine, so a
// creator hears about a too-big video at drop time, not after an upload.

export const TEXT_MAX_BYTES = 1000
const MB = 1024 * 1024

export type MediaKind = 'image' | 'video' | 'audio' | 'file'

export interface MediaKindRule {
  kind: MediaKind
  /** What a person calls it, plural: used in messages. */
  label: string
  maxBytes: number
  /** MIME type -> the name a person knows it by. */
  types: Record<string, string>
}

export const MEDIA_RULES: readonly MediaKindRule[] = [
  { kind: 'image', label: 'Images', maxBytes: 8 * MB, types: { 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/gif': 'GIF' } },
  {
    kind: 'video',
    label: 'Videos',
    maxBytes: 25 * MB,
    types: {
      'video/mp4': 'MP4',
      'video/ogg': 'OGG',
      'video/x-msvideo': 'AVI',
      'video/quicktime': 'MOV',
      'video/webm': 'WebM'
    }
  },
  {
    kind: 'audio',
    label: 'Audio files',
    maxBytes: 25 * MB,
    types: { 'audio/aac': 'AAC', 'audio/mp4': 'M4A', 'audio/x-m4a': 'M4A', 'audio/wav': 'WAV', 'audio/x-wav': 'WAV' }
  },
  { kind: 'file', label: 'PDF files', maxBytes: 25 * MB, types: { 'application/pdf': 'PDF' } }
]

export const MAX_MEDIA_BYTES = Math.max(...MEDIA_RULES.map((r) => r.maxBytes))

export function utf8ByteLength(text: string): number {
  return new TextEncoder().encode(text).length
}

/** Sizes as a person reads them. `roundUp` for a size over a limit, so it never reads as equal to it. */
export function formatBytes(bytes: number, roundUp = false): string {
  const round = (n: number) => (roundUp ? Math.ceil(n * 10) / 10 : Math.round(n * 10) / 10)
  if (bytes >= MB) return `${round(bytes / MB)} MB`
  if (bytes >= 1024) return `${round(bytes / 1024)} KB`
  return `${bytes} bytes`
}

export function mediaRuleFor(mime: string): MediaKindRule | undefined {
  const normalized = mime.split(';')[0].trim().toLowerCase()
  return MEDIA_RULES.find((rule) => normalized in rule.types)
}

export function describeAllowedMedia(): string {
  return MEDIA_RULES.map((rule) => {
    const names = [...new Set(Object.values(rule.types))]
    return `${rule.label.toLowerCase()} (${names.join(', ')}, up to ${formatBytes(rule.maxBytes)})`
  }).join('; ')
}

export type TextCheck = { ok: true } | { ok: false; message: string }

export function checkMessageText(text: string): TextCheck {
  if (text.trim().length === 0) return { ok: false, message: 'Type a message or attach a file.' }
  const bytes = utf8ByteLength(text)
  if (bytes > TEXT_MAX_BYTES) {
    return {
      ok: false,
      message: `Messages can be at most ${TEXT_MAX_BYTES} bytes on Instagram; this one is ${bytes} bytes. Shorten it or split it into two messages.`
    }
  }
  return { ok: true }
}

export type MediaCheck = { ok: true; kind: MediaKind; mime: string } | { ok: false; message: string }

/** Checks a media item by its real type (see `sniffMediaType`) and size against Meta's limits. */
export function checkMedia(mime: string | null, sizeBytes: number): MediaCheck {
  const rule = mime ? mediaRuleFor(mime) : undefined
  if (!mime || !rule) {
    const what = mime ? `This file type (${mime})` : 'This file type'
    return { ok: false, message: `${what} can't be sent on Instagram. You can send ${describeAllowedMedia()}.` }
  }
  if (sizeBytes === 0) return { ok: false, message: 'This file is empty.' }
  if (sizeBytes > rule.maxBytes) {
    return {
      ok: false,
      message: `${rule.label} can be at most ${formatBytes(rule.maxBytes)} on Instagram; this one is ${formatBytes(sizeBytes, true)}.`
    }
  }
  return { ok: true, kind: rule.kind, mime: mime.split(';')[0].trim().toLowerCase() }
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  let out = ''
  for (let i = start; i < start + length && i < bytes.length; i++) out += String.fromCharCode(bytes[i])
  return out
}

/**
 * The real type of a file from its first bytes (at least 16 are needed), whatever its name says.
 * Returns null for anything Meta does not accept.
 */
export function sniffMediaType(head: Uint8Array): string | null {
  const b = head
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG') return 'image/png'
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg'
  if (ascii(b, 0, 4) === 'GIF8') return 'image/gif'
  if (ascii(b, 0, 5) === '%PDF-') return 'application/pdf'
  if (ascii(b, 0, 4) === 'RIFF') {
    const form = ascii(b, 8, 4)
    if (form === 'WAVE') return 'audio/wav'
    if (form === 'AVI ') return 'video/x-msvideo'
    return null
  }
  if (b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return 'video/webm'
  if (ascii(b, 0, 4) === 'OggS') return 'video/ogg'
  if (ascii(b, 4, 4) === 'ftyp') {
    const brand = ascii(b, 8, 4)
    if (brand === 'qt  ') return 'video/quicktime'
    if (brand === 'M4A ' || brand === 'M4B ') return 'audio/mp4'
    return 'video/mp4'
  }
  // AAC in an ADTS stream: 12-bit sync word 0xFFF, layer bits 00.
  if (b.length >= 2 && b[0] === 0xff && (b[1] & 0xf6) === 0xf0) return 'audio/aac'
  return null
}

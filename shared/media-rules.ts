// Meta's Send API limits (POSTPROXY.md §5): text size, one attachment, media types and sizes, per
// platform: Instagram's (the default, what every caller without a platform gets) and Messenger's,
// which differ where Meta's documents differ. The simulator enforces them and the app checks them
// before anything leaves the machine, so a creator hears about a too-big video at drop time, not
// after an upload. Sentences name the platform whose rule was broken.
import { INSTAGRAM, MESSENGER, platformName } from './platforms.ts'

/** Instagram counts a message's text in UTF-8 bytes. */
export const TEXT_MAX_BYTES = 1000
/** Messenger counts it in characters (Send API reference: `message.text` "has a 2000 character limit"). */
export const MESSENGER_TEXT_MAX_CHARACTERS = 2000
const MB = 1024 * 1024

export type MediaKind = 'image' | 'video' | 'audio' | 'file'

export interface MediaKindRule {
  kind: MediaKind
  /** What a person calls it, plural: used in messages. */
  label: string
  maxBytes: number
  /** MIME type -> the name a person knows it by. */
  types: Record<string, string>
  /** Any type is accepted as this kind (Messenger's `file` attachment), `types` only name the known ones. */
  anyType?: boolean
}

const IMAGES: MediaKindRule = {
  kind: 'image',
  label: 'Images',
  maxBytes: 8 * MB,
  types: { 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/gif': 'GIF' }
}
const VIDEOS: MediaKindRule = {
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
}
const INSTAGRAM_AUDIO: MediaKindRule = {
  kind: 'audio',
  label: 'Audio files',
  maxBytes: 25 * MB,
  types: { 'audio/aac': 'AAC', 'audio/mp4': 'M4A', 'audio/x-m4a': 'M4A', 'audio/wav': 'WAV', 'audio/x-wav': 'WAV' }
}

/** Instagram's rules (and every platform's without rules of its own, as before platforms were told apart). */
export const MEDIA_RULES: readonly MediaKindRule[] = [
  IMAGES,
  VIDEOS,
  INSTAGRAM_AUDIO,
  { kind: 'file', label: 'PDF files', maxBytes: 25 * MB, types: { 'application/pdf': 'PDF' } }
]

/**
 * Messenger's: the same images and videos (8 MB is Meta's limit for an image it fetches from a URL,
 * which is how Postproxy hands media on: an assumption, see simulator/README.md), audio also as MP3
 * (Meta's own example is `audio/mp3`), and a `file` attachment of any type up to 25 MB (Meta's
 * "Saving assets": image, audio, video and file, up to 25 MB).
 */
export const MESSENGER_MEDIA_RULES: readonly MediaKindRule[] = [
  IMAGES,
  VIDEOS,
  { ...INSTAGRAM_AUDIO, types: { ...INSTAGRAM_AUDIO.types, 'audio/mpeg': 'MP3' } },
  { kind: 'file', label: 'Files', maxBytes: 25 * MB, types: { 'application/pdf': 'PDF' }, anyType: true }
]

/** The media rules of a platform's DMs; Instagram's for a platform without rules of its own. */
export function mediaRulesFor(platform: string = INSTAGRAM): readonly MediaKindRule[] {
  return platform === MESSENGER ? MESSENGER_MEDIA_RULES : MEDIA_RULES
}

/** The platform a rule set speaks for: a platform without rules of its own gets Instagram's, named so. */
function rulesPlatform(platform: string): string {
  return platform === MESSENGER ? MESSENGER : INSTAGRAM
}

/** The largest file any platform's rules accept. */
export const MAX_MEDIA_BYTES = Math.max(...[...MEDIA_RULES, ...MESSENGER_MEDIA_RULES].map((r) => r.maxBytes))

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

/** The rule a known type falls under (not the any-type fallback: see `checkMedia`). */
export function mediaRuleFor(mime: string, platform: string = INSTAGRAM): MediaKindRule | undefined {
  const normalized = mime.split(';')[0].trim().toLowerCase()
  return mediaRulesFor(platform).find((rule) => normalized in rule.types)
}

export function describeAllowedMedia(platform: string = INSTAGRAM): string {
  return mediaRulesFor(platform)
    .map((rule) => {
      const names = rule.anyType ? ['any type'] : [...new Set(Object.values(rule.types))]
      return `${rule.label.toLowerCase()} (${names.join(', ')}, up to ${formatBytes(rule.maxBytes)})`
    })
    .join('; ')
}

export type TextCheck = { ok: true } | { ok: false; message: string }

/** Whether a message's text fits the platform: Instagram counts UTF-8 bytes, Messenger characters. */
export function checkMessageText(text: string, platform: string = INSTAGRAM): TextCheck {
  if (text.trim().length === 0) return { ok: false, message: 'Type a message or attach a file.' }
  if (rulesPlatform(platform) === MESSENGER) {
    const characters = Array.from(text).length
    if (characters <= MESSENGER_TEXT_MAX_CHARACTERS) return { ok: true }
    return {
      ok: false,
      message: `Messages can be at most ${MESSENGER_TEXT_MAX_CHARACTERS} characters on ${platformName(MESSENGER)}; this one is ${characters} characters. Shorten it or split it into two messages.`
    }
  }
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

/**
 * Checks a media item by its real type (see `sniffMediaType`; null when unknown) and size against the
 * platform's limits (Instagram's by default). On Messenger an unknown type is sent as a file.
 */
export function checkMedia(mime: string | null, sizeBytes: number, platform: string = INSTAGRAM): MediaCheck {
  const where = platformName(rulesPlatform(platform))
  const rule = (mime ? mediaRuleFor(mime, platform) : undefined) ?? mediaRulesFor(platform).find((candidate) => candidate.anyType)
  if (!rule) {
    const what = mime ? `This file type (${mime})` : 'This file type'
    return { ok: false, message: `${what} can't be sent on ${where}. You can send ${describeAllowedMedia(platform)}.` }
  }
  if (sizeBytes === 0) return { ok: false, message: 'This file is empty.' }
  if (sizeBytes > rule.maxBytes) {
    return {
      ok: false,
      message: `${rule.label} can be at most ${formatBytes(rule.maxBytes)} on ${where}; this one is ${formatBytes(sizeBytes, true)}.`
    }
  }
  return { ok: true, kind: rule.kind, mime: mime ? mime.split(';')[0].trim().toLowerCase() : 'application/octet-stream' }
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  let out = ''
  for (let i = start; i < start + length && i < bytes.length; i++) out += String.fromCharCode(bytes[i])
  return out
}

/**
 * The real type of a file from its first bytes (at least 16 are needed), whatever its name says.
 * Returns null for a type it does not know (which Instagram refuses and Messenger sends as a file).
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
  // MP3: an ID3v2 tag, or an MPEG audio frame (11-bit sync, layer bits 01 = layer III).
  if (ascii(b, 0, 3) === 'ID3') return 'audio/mpeg'
  if (b.length >= 2 && b[0] === 0xff && (b[1] & 0xe0) === 0xe0 && ((b[1] >> 1) & 0x03) === 0x01) return 'audio/mpeg'
  return null
}

// POST /api/chats/:chat_id/messages: a body or one media item (JSON, or multipart with a `media[]`
// file part), validated against Meta's limits, then 202 with the pending message. The messaging
// window is checked here only in strict mode; otherwise the send fails later, as it does for real.
import { checkMessageText, type MediaKind } from '../../shared/media-rules.ts'
import { isWithinWindow, OUTSIDE_WINDOW_ERROR, type MessageTag } from '../../shared/messaging-window.ts'
import type { Attachment } from '../../shared/postproxy.ts'
import type { RequestBody } from '../body.ts'
import { HttpError, unprocessable } from '../http-errors.ts'
import {
  attachmentTypeForUrl,
  checkSendableBytes,
  mediaItemFromString,
  safeFilename,
  storeAttachment,
  urlAttachment,
  type MediaItem
} from '../media-input.ts'
import type { Route } from '../router.ts'
import type { ApiDeps } from './deps.ts'
import { requireDmPlatform, scopedChat } from './scope.ts'

interface RawSend {
  body: unknown
  tag: unknown
  /** undefined: not given. */
  media: unknown
}

/** A media item that passed the checks: a URL, or bytes of a known real type. */
export type ValidMedia =
  | { kind: 'url'; url: string }
  | { kind: 'bytes'; bytes: Buffer; filename: string | null; mime: string; mediaKind: MediaKind }

export interface ValidSend {
  body: string | null
  media: ValidMedia | null
  tag: MessageTag | null
}

/** A file part of a form upload; JSON can never produce one, so a JSON object is never taken for a file. */
class UploadedFile {
  readonly bytes: Buffer
  readonly filename: string | null

  constructor(bytes: Buffer, filename: string | null) {
    this.bytes = bytes
    this.filename = filename
  }
}

/**
 * The names a media file part goes by: `media[]` (one file), `media[][]` (what Faraday, and so the
 * Ruby SDK, names each part when it sends several files) and a bare `media`. All count alike, so two
 * files are refused as "at most one item", not as an empty send.
 */
const MEDIA_PART_NAMES: ReadonlySet<string> = new Set(['media[]', 'media[][]', 'media'])

/** The send request's fields, from JSON or from a form upload. */
function rawSendFrom(body: RequestBody): RawSend {
  if (body.kind === 'json') return { body: body.value.body, tag: body.value.tag, media: body.value.media }
  if (body.kind === 'multipart') {
    const text = (name: string) => body.parts.find((part) => part.name === name && part.filename === null)?.data.toString('utf8')
    const mediaParts = body.parts.filter((part) => MEDIA_PART_NAMES.has(part.name))
    const media = mediaParts.map((part) => (part.filename === null ? part.data.toString('utf8') : new UploadedFile(part.data, part.filename)))
    return { body: text('body'), tag: text('tag'), media: media.length ? media : undefined }
  }
  return { body: undefined, tag: undefined, media: undefined }
}

/** Text XOR one media item, within Meta's limits; 422 with one sentence per problem otherwise. */
function validateSend(raw: RawSend): ValidSend {
  const errors: string[] = []
  let tag: MessageTag | null = null
  if (raw.tag !== undefined && raw.tag !== null && raw.tag !== '') {
    if (raw.tag === 'HUMAN_AGENT') tag = 'HUMAN_AGENT'
    else errors.push('Tag must be HUMAN_AGENT (the only tag), or left out.')
  }

  let body: string | null = null
  if (raw.body !== undefined && raw.body !== null) {
    if (typeof raw.body !== 'string') errors.push('Body must be text.')
    else if (raw.body !== '') body = raw.body
  }

  let mediaItems: unknown[] = []
  if (raw.media !== undefined && raw.media !== null) {
    if (Array.isArray(raw.media)) mediaItems = raw.media
    else errors.push('Media must be a list with one item: a public URL, a base64 data URI, or an uploaded file.')
  }

  if (body !== null && mediaItems.length > 0) {
    errors.push('Body and media cannot be sent together; send the text and the file as two messages.')
  } else if (body === null && mediaItems.length === 0 && errors.length === 0) {
    errors.push("Body can't be blank unless one media item is attached.")
  }
  if (mediaItems.length > 1) errors.push(`Media can have at most one item; this request has ${mediaItems.length}. Send each file as its own message.`)

  if (body !== null) {
    const check = checkMessageText(body)
    if (!check.ok) errors.push(body.trim() === '' ? "Body can't be blank." : `Body is too long: ${check.message}`)
  }

  let media: ValidMedia | null = null
  if (mediaItems.length === 1 && body === null) {
    try {
      const item = mediaItems[0]
      const parsed: MediaItem =
        item instanceof UploadedFile ? { kind: 'bytes', bytes: item.bytes, filename: item.filename } : mediaItemFromString(item, 'Media')
      if (parsed.kind === 'url') media = parsed
      else {
        // The declared type is ignored on purpose: the bytes decide.
        const { mime, kind } = checkSendableBytes(parsed.bytes, 'Media')
        media = { kind: 'bytes', bytes: parsed.bytes, filename: safeFilename(parsed.filename), mime, mediaKind: kind }
      }
    } catch (error) {
      if (!(error instanceof HttpError) || !Array.isArray(error.body.errors)) throw error
      errors.push(...(error.body.errors as string[]))
    }
  }

  if (errors.length > 0) throw unprocessable(errors)
  return { body, media, tag }
}

export function sendRoutes({ state, clock, outbox, strictWindow }: ApiDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/chats/:chat_id/messages',
      isSend: true,
      handle: (context) => {
        const { chat, profile } = scopedChat(state, context, context.params.chat_id)
        requireDmPlatform(profile)
        const send = validateSend(rawSendFrom(context.body))
        if (strictWindow && !isWithinWindow(chat.last_inbound_at, clock.now(), send.tag)) {
          throw unprocessable([
            `${OUTSIDE_WINDOW_ERROR}: Instagram allows replies only within 24 hours of the participant's last message (7 days with the HUMAN_AGENT tag).`
          ])
        }
        const attachments: Attachment[] = []
        if (send.media?.kind === 'url') attachments.push(urlAttachment(send.media.url, attachmentTypeForUrl(send.media.url)))
        if (send.media?.kind === 'bytes') {
          const { bytes, mime, filename, mediaKind } = send.media
          attachments.push(storeAttachment(state, context.account, { mime, bytes, filename: filename ?? undefined }, mediaKind))
        }
        const message = outbox.accept(context.account, {
          chat,
          body: send.body,
          attachments,
          tag: send.tag,
          externalCommentId: null
        })
        return { status: 202, body: message }
      }
    }
  ]
}

// POST /api/chats/:chat_id/messages: a body or one media item (JSON, or multipart with a `media[]`
// file part), validated against Meta's limits, then 202 with the pending message. The messaging
// window is checked here only in strict mode; otherwise the send fails later, as it does for real.
// Contract v2 (§9): `reply_to_external_id` (JSON or multipart), and on the JSON path only
// `quick_replies`, `buttons` and `card` (checked by shared/interactive-rules.ts, whose sentences the
// app shows before sending) and Telegram's `reply_markup`.
import { checkInteractiveSend, platformName, type InteractiveParts } from '../../shared/interactive-rules.ts'
import { checkMessageText, type MediaKind } from '../../shared/media-rules.ts'
import { isWithinWindow, OUTSIDE_WINDOW_ERROR, type MessageTag } from '../../shared/messaging-window.ts'
import type { Attachment } from '../../shared/postproxy.ts'
import type { RequestBody } from '../body.ts'
import type { AccountId } from '../contracts.ts'
import { HttpError, unprocessable } from '../http-errors.ts'
import { requireConnected } from '../profile-connections.ts'
import {
  attachmentTypeForUrl,
  checkSendableBytes,
  mediaItemFromString,
  safeFilename,
  storeAttachment,
  urlAttachment,
  type MediaItem
} from '../media-input.ts'
import { requireReplyTarget } from '../reply-target.ts'
import type { Route } from '../router.ts'
import type { SimState } from '../state.ts'
import type { ApiDeps } from './deps.ts'
import { requireDmPlatform, scopedChat } from './scope.ts'

interface RawSend {
  body: unknown
  tag: unknown
  /** undefined: not given. */
  media: unknown
  replyTo: unknown
  quickReplies: unknown
  buttons: unknown
  card: unknown
  replyMarkup: unknown
  /** Interactive fields sent as multipart parts (JSON only, so refused). */
  multipartOnlyJson: string[]
}

/** The parameters that travel in a JSON body only (the SDKs never put them in a form upload). */
const JSON_ONLY_FIELDS = ['quick_replies', 'buttons', 'card', 'reply_markup'] as const

/** Where the send goes: the chat's platform, and its messages for `reply_to_external_id`. */
interface SendTarget {
  platform: string
  state: SimState
  account: AccountId
  chatId: string
}

/** A media item that passed the checks: a URL, or bytes of a known real type. */
export type ValidMedia =
  | { kind: 'url'; url: string }
  | { kind: 'bytes'; bytes: Buffer; filename: string | null; mime: string; mediaKind: MediaKind }

export interface ValidSend {
  body: string | null
  media: ValidMedia | null
  tag: MessageTag | null
  replyToExternalId: string | null
  interactive: InteractiveParts
  replyMarkup: unknown
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
  const none = { replyTo: undefined, quickReplies: undefined, buttons: undefined, card: undefined, replyMarkup: undefined, multipartOnlyJson: [] }
  if (body.kind === 'json') {
    const value = body.value
    return {
      body: value.body,
      tag: value.tag,
      media: value.media,
      replyTo: value.reply_to_external_id,
      quickReplies: value.quick_replies,
      buttons: value.buttons,
      card: value.card,
      replyMarkup: value.reply_markup,
      multipartOnlyJson: []
    }
  }
  if (body.kind === 'multipart') {
    const text = (name: string) => body.parts.find((part) => part.name === name && part.filename === null)?.data.toString('utf8')
    const mediaParts = body.parts.filter((part) => MEDIA_PART_NAMES.has(part.name))
    const media = mediaParts.map((part) => (part.filename === null ? part.data.toString('utf8') : new UploadedFile(part.data, part.filename)))
    // `quick_replies`, `quick_replies[]`, `quick_replies[0][title]`: any spelling of a JSON-only field.
    const multipartOnlyJson = JSON_ONLY_FIELDS.filter((field) => body.parts.some((part) => part.name === field || part.name.startsWith(`${field}[`)))
    return { ...none, body: text('body'), tag: text('tag'), media: media.length ? media : undefined, replyTo: text('reply_to_external_id'), multipartOnlyJson }
  }
  return { ...none, body: undefined, tag: undefined, media: undefined }
}

/** Runs a check that throws a 422, adding its sentences to `errors` instead; null when it threw. */
function collecting<T>(errors: string[], check: () => T): T | null {
  try {
    return check()
  } catch (error) {
    if (!(error instanceof HttpError) || !Array.isArray(error.body.errors)) throw error
    errors.push(...(error.body.errors as string[]))
    return null
  }
}

/**
 * Text XOR one media item within Meta's limits, the interactive parts of §9, the message it answers
 * and Telegram's markup; 422 with one sentence per problem otherwise.
 */
function validateSend(raw: RawSend, target: SendTarget): ValidSend {
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
    const check = checkMessageText(body, target.platform)
    if (!check.ok) errors.push(body.trim() === '' ? "Body can't be blank." : `Body is too long: ${check.message}`)
  }

  let media: ValidMedia | null = null
  if (mediaItems.length === 1 && body === null) {
    media = collecting(errors, (): ValidMedia => {
      const item = mediaItems[0]
      const parsed: MediaItem =
        item instanceof UploadedFile ? { kind: 'bytes', bytes: item.bytes, filename: item.filename } : mediaItemFromString(item, 'Media')
      if (parsed.kind === 'url') return parsed
      // The declared type is ignored on purpose: the bytes decide.
      const { mime, kind } = checkSendableBytes(parsed.bytes, 'Media', target.platform)
      return { kind: 'bytes', bytes: parsed.bytes, filename: safeFilename(parsed.filename), mime, mediaKind: kind }
    })
  }

  for (const field of raw.multipartOnlyJson) {
    errors.push(`${field} can be sent in a JSON body only, not in a multipart upload; give the file as a public URL in "media" instead.`)
  }
  const interactive = checkInteractiveSend({
    platform: target.platform,
    body,
    hasMedia: mediaItems.length > 0,
    quickReplies: raw.quickReplies,
    buttons: raw.buttons,
    card: raw.card
  })
  if (!interactive.ok) errors.push(...interactive.errors)

  const present = (value: unknown) => value !== undefined && value !== null && value !== ''
  const replyTo = present(raw.replyTo)
    ? collecting(errors, () => requireReplyTarget(target.state, target.account, target.chatId, raw.replyTo))
    : null
  if (present(raw.replyMarkup) && target.platform !== 'telegram') {
    errors.push(
      `reply_markup is possible on Telegram only, not on ${platformName(target.platform)}. Use quick_replies or buttons there.`
    )
  }

  if (errors.length > 0 || !interactive.ok) throw unprocessable(errors)
  return {
    body,
    media,
    tag,
    replyToExternalId: replyTo?.external_id ?? null,
    interactive: interactive.value,
    replyMarkup: present(raw.replyMarkup) ? raw.replyMarkup : null
  }
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
        requireConnected(profile, 'send messages')
        const send = validateSend(rawSendFrom(context.body), { platform: profile.platform, state, account: context.account, chatId: chat.id })
        if (strictWindow && !isWithinWindow(chat.last_inbound_at, clock.now(), send.tag)) {
          throw unprocessable([
            `${OUTSIDE_WINDOW_ERROR}: ${platformName(profile.platform)} allows replies only within 24 hours of the participant's last message (7 days with the HUMAN_AGENT tag).`
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
          externalCommentId: null,
          replyToExternalId: send.replyToExternalId,
          quickReplies: send.interactive.quickReplies,
          buttons: send.interactive.buttons,
          card: send.interactive.card,
          replyMarkup: send.replyMarkup
        })
        return { status: 202, body: message }
      }
    }
  ]
}

// What `POST /api/chats/:id/messages` carries (POSTPROXY.md §5, §9): text or one media item, a tag, the
// message it answers, and the interactive parts (quick replies, buttons, a card).
//
// Two wire forms. JSON carries everything; a media item is then a URL or a `data:` URI. A file goes as
// multipart, which carries the tag and `reply_to_external_id` as text parts but not the interactive parts —
// Postproxy reads those on the JSON path only, so a multipart send with them is refused here rather than
// having them silently dropped (the SDKs drop them). Whether the parts are *allowed* (counts, lengths,
// Instagram's plain-text rule) is Postproxy's to say, and shared/interactive-rules.ts's for the UI: the
// client sends what it is given and surfaces the server's 422.
import type { MessageTag } from '../../../shared/messaging-window.ts'
import type { MessageButton, MessageCard, QuickReply } from '../../../shared/postproxy-interactive.ts'
import { encodeMultipart, type EncodedMultipart } from './multipart.ts'

/** A file sent as the multipart part `media[]`. */
export interface MediaFile {
  bytes: Uint8Array
  filename: string
  mime: string
}

/** A public URL, a base64 `data:` URI, or a file. */
export type MediaItem = string | MediaFile

/** Text or one media item, never both (Postproxy answers 422 otherwise). */
export type MessageContent = { body: string; media?: undefined } | { media: MediaItem; body?: undefined }

/** What goes with the content. */
export interface MessageExtras {
  tag?: MessageTag
  /** The `external_id` (`mid.…`) of the message in the same chat that this one answers. */
  replyToExternalId?: string
  /** Chips above the participant's composer (Meta platforms; JSON path only). */
  quickReplies?: readonly QuickReply[]
  /** Delivered as a generic template whose title is the body (Meta platforms; JSON path only). */
  buttons?: readonly MessageButton[]
  /** The rest of the template carrying `buttons`. */
  card?: MessageCard
}

export type SendRequest = { json: Record<string, unknown> } | { multipart: EncodedMultipart }

export function sendMessageRequest(content: MessageContent, extras: MessageExtras): SendRequest {
  const hasBody = typeof content.body === 'string'
  const hasMedia = content.media !== undefined
  if (hasBody === hasMedia) throw new TypeError('sendMessage needs either body or media, not both and not neither')
  const media = content.media
  if (media !== undefined && typeof media !== 'string') return { multipart: multipartSend(media, extras) }

  const json: Record<string, unknown> = media !== undefined ? { media: [media] } : { body: content.body }
  if (extras.tag !== undefined) json.tag = extras.tag
  if (extras.replyToExternalId !== undefined) json.reply_to_external_id = extras.replyToExternalId
  if (extras.quickReplies !== undefined) json.quick_replies = extras.quickReplies.map(withoutEmptyFields)
  if (extras.buttons !== undefined) json.buttons = extras.buttons.map(withoutEmptyFields)
  if (extras.card !== undefined) json.card = withoutEmptyFields(extras.card)
  return { json }
}

function multipartSend(file: MediaFile, extras: MessageExtras): EncodedMultipart {
  const interactive = [
    extras.quickReplies !== undefined && 'quick replies',
    extras.buttons !== undefined && 'buttons',
    extras.card !== undefined && 'a card'
  ].filter((part): part is string => typeof part === 'string')
  if (interactive.length > 0) {
    throw new TypeError(
      `sendMessage cannot send ${interactive.join(', ')} with an uploaded file: Postproxy reads them on the JSON path only. ` +
        'Pass the media as a URL or a data: URI instead.'
    )
  }
  return encodeMultipart([
    { name: 'media[]', filename: file.filename, mime: file.mime, bytes: file.bytes },
    ...(extras.tag !== undefined ? [{ name: 'tag', value: extras.tag }] : []),
    ...(extras.replyToExternalId !== undefined ? [{ name: 'reply_to_external_id', value: extras.replyToExternalId }] : [])
  ])
}

/**
 * The parts as Postproxy takes them: fields left null or undefined are left out (as the SDKs send them),
 * so a part normalized by shared/interactive-rules.ts (`payload: null` on a web_url button) goes as given.
 */
function withoutEmptyFields(part: object): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(part)) {
    if (value === null || value === undefined) continue
    out[key] = typeof value === 'object' && !Array.isArray(value) ? withoutEmptyFields(value as object) : value
  }
  return out
}

// What makes a saved reply sendable. The core checks every save and import with it (the file format is
// electron/inbox/saved-replies/saved-replies-file.ts); the editor shows the same sentences while the
// creator types.
import { checkInteractiveSend } from './interactive-rules.ts'
import { TEXT_MAX_BYTES, utf8ByteLength } from './media-rules.ts'
import type { MessageButton, QuickReply } from './postproxy-interactive.ts'

export const SAVED_REPLY_TITLE_MAX = 80
/** Most replies one file may bring. */
export const SAVED_REPLIES_IMPORT_MAX = 5000

/** A saved reply as the creator writes it: the text may hold variables such as {first_name}. */
export interface SavedReplyDraft {
  title: string
  text: string
  quickReplies: QuickReply[] | null
  buttons: MessageButton[] | null
}

export type SavedReplyCheck = { ok: true; value: SavedReplyDraft } | { ok: false; errors: string[] }

/**
 * Title and text present and within limits; chips and buttons as Postproxy takes them on Instagram
 * (shared/interactive-rules.ts, with the text as the body they go with). Empty lists count as none.
 */
export function checkSavedReply(input: { title: string; text: string; quickReplies?: unknown; buttons?: unknown }): SavedReplyCheck {
  const errors: string[] = []
  const title = input.title.trim()
  if (title === '') errors.push('Give the reply a title.')
  else if (Array.from(title).length > SAVED_REPLY_TITLE_MAX) errors.push(`A title can have at most ${SAVED_REPLY_TITLE_MAX} characters.`)
  if (input.text.trim() === '') errors.push("The reply's text can't be empty.")
  else if (utf8ByteLength(input.text) > TEXT_MAX_BYTES) {
    errors.push(`Instagram takes at most ${TEXT_MAX_BYTES} bytes of text per message; this reply has ${utf8ByteLength(input.text)}.`)
  }
  const none = (value: unknown) => value === undefined || value === null || (Array.isArray(value) && value.length === 0)
  const interactive = checkInteractiveSend({
    platform: 'instagram',
    body: input.text,
    hasMedia: false,
    quickReplies: none(input.quickReplies) ? null : input.quickReplies,
    buttons: none(input.buttons) ? null : input.buttons
  })
  if (!interactive.ok) errors.push(...interactive.errors)
  if (errors.length > 0 || !interactive.ok) return { ok: false, errors }
  return { ok: true, value: { title, text: input.text, quickReplies: interactive.value.quickReplies, buttons: interactive.value.buttons } }
}

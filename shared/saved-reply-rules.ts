// What makes a saved reply sendable, and the JSON file they are exported to and imported from. The core
// checks every save and import with these; the editor shows the same sentences while the creator types.
import { z } from 'zod'
import { checkInteractiveSend } from './interactive-rules.ts'
import { TEXT_MAX_BYTES, utf8ByteLength } from './media-rules.ts'
import type { MessageButton, QuickReply } from './postproxy-interactive.ts'

export const SAVED_REPLY_TITLE_MAX = 80
/** Most replies one file may bring. */
export const SAVED_REPLIES_IMPORT_MAX = 5000
export const SAVED_REPLIES_FILE_FORMAT = 'dmdesk.saved-replies'
export const SAVED_REPLIES_FILE_VERSION = 1

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

const FileReplySchema = z.object({
  title: z.string(),
  text: z.string(),
  quickReplies: z.array(z.unknown()).nullable().optional(),
  buttons: z.array(z.unknown()).nullable().optional()
})

export const SavedRepliesFileSchema = z.object({
  format: z.literal(SAVED_REPLIES_FILE_FORMAT),
  version: z.literal(SAVED_REPLIES_FILE_VERSION),
  replies: z.array(FileReplySchema).max(SAVED_REPLIES_IMPORT_MAX)
})
export type SavedRepliesFile = z.infer<typeof SavedRepliesFileSchema>

export type SavedRepliesFileCheck = { ok: true; replies: SavedReplyDraft[] } | { ok: false; errors: string[] }

/** Problems listed by an import; the rest are counted, so a broken file doesn't flood the screen. */
const ERRORS_SHOWN = 8

function whereInFile(path: readonly PropertyKey[], replies: unknown): string {
  if (path[0] !== 'replies' || typeof path[1] !== 'number') return path.length === 0 ? 'The file' : `“${path.join('.')}”`
  const reply = Array.isArray(replies) ? (replies[path[1]] as { title?: unknown } | undefined) : undefined
  const title = typeof reply?.title === 'string' && reply.title.trim() !== '' ? ` (“${reply.title.trim().slice(0, 40)}”)` : ''
  const field = path.slice(2).join('.')
  return `Reply ${path[1] + 1}${title}${field ? `, ${field}` : ''}`
}

/**
 * Reads an exported file: JSON of the right format and version, and every reply valid. Either every reply
 * is good, or nothing is returned but the problems, each naming the reply ("Reply 3 (“Shipping”): …").
 */
export function parseSavedRepliesFile(json: string): SavedRepliesFileCheck {
  let data: unknown
  try {
    data = JSON.parse(json)
  } catch {
    return { ok: false, errors: ["This file isn't JSON. Choose a file exported from dmdesk's saved replies."] }
  }
  const format = (data as { format?: unknown } | null)?.format
  if (format !== SAVED_REPLIES_FILE_FORMAT) {
    return { ok: false, errors: ["This file isn't a dmdesk saved-replies export (its \"format\" should be \"dmdesk.saved-replies\")."] }
  }
  const parsed = SavedRepliesFileSchema.safeParse(data)
  const replies = (data as { replies?: unknown }).replies
  const errors: string[] = []
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors.push(`${whereInFile(issue.path, replies)}: ${issue.message}`)
  } else {
    const drafts: SavedReplyDraft[] = []
    parsed.data.replies.forEach((reply, index) => {
      const check = checkSavedReply(reply)
      if (check.ok) drafts.push(check.value)
      else for (const error of check.errors) errors.push(`${whereInFile(['replies', index], replies)}: ${error}`)
    })
    if (errors.length === 0) return { ok: true, replies: drafts }
  }
  const shown = errors.slice(0, ERRORS_SHOWN)
  if (errors.length > ERRORS_SHOWN) shown.push(`…and ${errors.length - ERRORS_SHOWN} more problems.`)
  return { ok: false, errors: shown }
}

/** The export of `replies`, as a file's text. */
export function savedRepliesFileText(replies: readonly SavedReplyDraft[], exportedAt: string): string {
  const file = {
    format: SAVED_REPLIES_FILE_FORMAT,
    version: SAVED_REPLIES_FILE_VERSION,
    exportedAt,
    replies: replies.map((r) => ({
      title: r.title,
      text: r.text,
      ...(r.quickReplies ? { quickReplies: r.quickReplies } : {}),
      ...(r.buttons ? { buttons: r.buttons } : {})
    }))
  }
  return `${JSON.stringify(file, null, 2)}\n`
}

// The JSON file saved replies are exported to and imported from: its format, and reading it back with
// every reply checked by the shared rules (shared/saved-reply-rules.ts).
import { z } from 'zod'
import { checkSavedReply, SAVED_REPLIES_IMPORT_MAX, type SavedReplyDraft } from '../../../shared/saved-reply-rules.ts'

const SAVED_REPLIES_FILE_FORMAT = 'dmdesk.saved-replies'
const SAVED_REPLIES_FILE_VERSION = 1

const FileReplySchema = z.object({
  title: z.string(),
  text: z.string(),
  quickReplies: z.array(z.unknown()).nullable().optional(),
  buttons: z.array(z.unknown()).nullable().optional()
})

const SavedRepliesFileSchema = z.object({
  format: z.literal(SAVED_REPLIES_FILE_FORMAT),
  version: z.literal(SAVED_REPLIES_FILE_VERSION),
  replies: z.array(FileReplySchema).max(SAVED_REPLIES_IMPORT_MAX)
})

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

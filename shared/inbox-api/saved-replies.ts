// Saved replies in the InboxApi contract: create, edit, delete, reorder, and import/export as a JSON file.
// The text may hold variables ({first_name}, {username}; see saved-reply-variables.ts) that the composer
// fills from the chat; a reply may carry quick-reply chips or buttons (POSTPROXY.md §9).
import { z } from 'zod'
import type { MessageButton, QuickReply } from '../postproxy-interactive.ts'
import { SAVED_REPLIES_IMPORT_MAX } from '../saved-reply-rules.ts'
import type { InboxResult } from './results.ts'

// ---------------------------------------------------------------- view models

export interface SavedReply {
  id: number
  title: string
  /** As written, variables included. */
  text: string
  quickReplies: QuickReply[] | null
  buttons: MessageButton[] | null
}

// ---------------------------------------------------------------- call arguments

export const savedReplyIdArg = z.number().int().positive()

/** The fields of a reply; their rules (lengths, chips, buttons) are checked by the core with checkSavedReply. */
const SavedReplyFields = z.object({
  title: z.string().max(1000),
  text: z.string().max(10_000),
  quickReplies: z.array(z.unknown()).max(100).nullable().default(null),
  buttons: z.array(z.unknown()).max(100).nullable().default(null)
})

export const SAVED_REPLIES_API_ARGS = {
  listSavedReplies: z.undefined(),
  createSavedReply: SavedReplyFields,
  updateSavedReply: SavedReplyFields.extend({ id: savedReplyIdArg }),
  deleteSavedReply: z.object({ id: savedReplyIdArg }),
  reorderSavedReplies: z.object({ ids: z.array(savedReplyIdArg).max(SAVED_REPLIES_IMPORT_MAX * 4) }),
  exportSavedReplies: z.undefined(),
  /** `json`: the text of an exported file. `replace` swaps every saved reply for the file's; `append` adds them. */
  importSavedReplies: z.object({ json: z.string().max(20 * 1024 * 1024), mode: z.enum(['append', 'replace']).default('append') })
} as const satisfies Record<string, z.ZodType>

type Input<K extends keyof typeof SAVED_REPLIES_API_ARGS> = z.input<(typeof SAVED_REPLIES_API_ARGS)[K]>

export interface SavedRepliesInboxApi {
  listSavedReplies(): Promise<InboxResult<SavedReply[]>>
  createSavedReply(args: Input<'createSavedReply'>): Promise<InboxResult<SavedReply>>
  updateSavedReply(args: Input<'updateSavedReply'>): Promise<InboxResult<SavedReply>>
  deleteSavedReply(args: Input<'deleteSavedReply'>): Promise<InboxResult<null>>
  /** `ids`: every saved reply, in the new order. */
  reorderSavedReplies(args: Input<'reorderSavedReplies'>): Promise<InboxResult<SavedReply[]>>
  /** The text of a JSON file holding every saved reply, and a name to save it under. */
  exportSavedReplies(): Promise<InboxResult<{ fileName: string; json: string }>>
  /** All or nothing: a file with any problem imports nothing, and the error lists the problems. */
  importSavedReplies(args: Input<'importSavedReplies'>): Promise<InboxResult<{ imported: number }>>
}

// ---------------------------------------------------------------- pushes

export interface SavedRepliesInboxEvents {
  /** Saved replies changed (from this window or another): read them again with listSavedReplies. */
  'saved-replies-changed': Record<string, never>
}

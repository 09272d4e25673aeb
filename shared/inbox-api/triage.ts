// Triage in the InboxApi contract: putting chats away (done, snoozed until a time), pinning them, and the
// creator's coloured labels; every chat action can be undone for a moment. All of it is local state
// (Instagram has no archive API for DMs), kept in SQLite by the core.
import { z } from 'zod'
import { LABEL_NAME_MAX } from '../label-rules.ts'
import { LABEL_COLOR_KEYS, type LabelColorKey } from '../label-palette.ts'
import { idArg, type InboxResult } from './results.ts'

// ---------------------------------------------------------------- view models

/** The creator's lists: the inbox (pinned chats first), snoozed chats, done chats. */
export const ChatViewSchema = z.enum(['inbox', 'snoozed', 'done'])
export type ChatView = z.infer<typeof ChatViewSchema>

/** Why a put-away chat is back in the inbox. */
export type ReturnReason = 'snooze_ended' | 'wrote_again'

/** A chat's triage state, as its row in the list shows it. */
export interface ChatTriageState {
  view: ChatView
  pinned: boolean
  /** When the snooze ends, while snoozed. */
  snoozedUntil: string | null
  /** Why it came back (shown on the row until the creator opens the chat). */
  returned: { reason: ReturnReason; at: string } | null
}

export interface Label {
  id: number
  name: string
  color: LabelColorKey
  /** How many chats carry it. */
  chatCount: number
}

export interface TriageOutcome {
  /** Pass to `undoTriage` (for a moment) to put these chats back exactly as they were. */
  undoId: string
  /** The chats the action applied to (unknown ids are left out). */
  chatIds: string[]
}

// ---------------------------------------------------------------- call arguments

export const labelIdArg = z.number().int().positive()
const labelName = z
  .string()
  .trim()
  .min(1, 'Give the label a name.')
  .max(LABEL_NAME_MAX, `A label name can have at most ${LABEL_NAME_MAX} characters.`)

/** At most this many chats per action: a whole loaded list. */
export const TRIAGE_MAX_CHATS = 10_000

export const TriageActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('done') }),
  /** `until`: when the chat comes back (ISO 8601); must be in the future. */
  z.object({ kind: z.literal('snooze'), until: z.iso.datetime({ offset: true }) }),
  /** Back to the inbox from Done or Snoozed. */
  z.object({ kind: z.literal('inbox') }),
  z.object({ kind: z.literal('pin') }),
  z.object({ kind: z.literal('unpin') }),
  z.object({ kind: z.literal('label'), labelId: labelIdArg, on: z.boolean() })
])
export type TriageAction = z.infer<typeof TriageActionSchema>

export const TriageChatsArgs = z.object({
  chatIds: z.array(idArg).min(1).max(TRIAGE_MAX_CHATS),
  action: TriageActionSchema
})

export const TRIAGE_API_ARGS = {
  triageChats: TriageChatsArgs,
  undoTriage: z.object({ undoId: z.string().min(1).max(100) }),
  listLabels: z.undefined(),
  createLabel: z.object({ name: labelName, color: z.enum(LABEL_COLOR_KEYS) }),
  updateLabel: z.object({ id: labelIdArg, name: labelName.optional(), color: z.enum(LABEL_COLOR_KEYS).optional() }),
  deleteLabel: z.object({ id: labelIdArg }),
  reorderLabels: z.object({ ids: z.array(labelIdArg).max(1000) })
} as const satisfies Record<string, z.ZodType>

type Input<K extends keyof typeof TRIAGE_API_ARGS> = z.input<(typeof TRIAGE_API_ARGS)[K]>

export interface TriageInboxApi {
  /** Done, snooze, back to inbox, pin, unpin, or a label on/off, for one chat or a selection. */
  triageChats(args: Input<'triageChats'>): Promise<InboxResult<TriageOutcome>>
  /** Restores exactly what the action changed; refused once the moment has passed. */
  undoTriage(args: Input<'undoTriage'>): Promise<InboxResult<null>>
  listLabels(): Promise<InboxResult<Label[]>>
  createLabel(args: Input<'createLabel'>): Promise<InboxResult<Label>>
  updateLabel(args: Input<'updateLabel'>): Promise<InboxResult<Label>>
  /** Deletes the label and takes it off every chat. */
  deleteLabel(args: Input<'deleteLabel'>): Promise<InboxResult<null>>
  /** `ids`: every label, in the new order. */
  reorderLabels(args: Input<'reorderLabels'>): Promise<InboxResult<Label[]>>
}

// ---------------------------------------------------------------- pushes

export interface TriageInboxEvents {
  /** Labels were created, renamed, recoloured, reordered or deleted. */
  'labels-changed': { labels: Label[] }
}

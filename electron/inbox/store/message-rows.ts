// The messages table row and its conversion to and from the shared Message shape.
import type { Attachment, Message, MessageDirection, MessageReaction, MessageStatus } from '../../../shared/postproxy.ts'
import { timestampMs } from './timestamps.ts'

export type MessageColumns = {
  id: string | null
  chat_id: string
  external_id: string | null
  direction: MessageDirection
  body: string | null
  status: MessageStatus
  tag: string | null
  external_comment_id: string | null
  error_message: string | null
  external_posted_at: string | null
  external_delivered_at: string | null
  external_read_at: string | null
  external_edited_at: string | null
  external_deleted_at: string | null
  reply_to_external_id: string | null
  is_unsupported: 0 | 1 | null
  created_at: string
  sort_at: number
  raw: string
}

export type MessageRow = MessageColumns & { row_id: number; local_id: string | null }

export const MESSAGE_COLUMN_NAMES = [
  'id', 'chat_id', 'external_id', 'direction', 'body', 'status', 'tag', 'external_comment_id', 'error_message',
  'external_posted_at', 'external_delivered_at', 'external_read_at', 'external_edited_at', 'external_deleted_at',
  'reply_to_external_id', 'is_unsupported', 'created_at', 'sort_at', 'raw'
] as const satisfies readonly (keyof MessageColumns)[]

/** Thread order: when it was posted on the platform; a pending send has only its creation time. */
export function messageSortAt(postedAt: string | null, createdAt: string): number {
  return timestampMs(postedAt) ?? timestampMs(createdAt) ?? 0
}

// Fields with their own column or table; everything else (error_details, platform_data, keys Postproxy adds
// later) is kept in the row's raw JSON. Not repeating the columns there keeps rows small.
const STORED_ELSEWHERE: ReadonlySet<string> = new Set<string>([
  'id', 'chat_id', 'external_id', 'direction', 'body', 'status', 'tag', 'external_comment_id', 'error_message',
  'external_posted_at', 'external_delivered_at', 'external_read_at', 'external_edited_at', 'external_deleted_at',
  'reply_to_external_id', 'is_unsupported', 'created_at', 'reactions', 'attachments'
])

/** The JSON kept for the keys that have no column. */
export function rawMessageObject(message: Message): Record<string, unknown> {
  const rest: Record<string, unknown> = {}
  for (const key in message) {
    if (!STORED_ELSEWHERE.has(key)) rest[key] = (message as Record<string, unknown>)[key]
  }
  return rest
}

export function messageColumnsFrom(message: Message): MessageColumns {
  const postedAt = message.external_posted_at ?? null
  return {
    id: message.id,
    chat_id: message.chat_id,
    external_id: message.external_id ?? null,
    direction: message.direction,
    body: message.body ?? null,
    status: message.status,
    tag: message.tag ?? null,
    external_comment_id: message.external_comment_id ?? null,
    error_message: message.error_message ?? null,
    external_posted_at: postedAt,
    external_delivered_at: message.external_delivered_at ?? null,
    external_read_at: message.external_read_at ?? null,
    external_edited_at: message.external_edited_at ?? null,
    external_deleted_at: message.external_deleted_at ?? null,
    reply_to_external_id: message.reply_to_external_id ?? null,
    is_unsupported: message.is_unsupported === undefined || message.is_unsupported === null ? null : message.is_unsupported ? 1 : 0,
    created_at: message.created_at,
    sort_at: messageSortAt(postedAt, message.created_at),
    raw: JSON.stringify(rawMessageObject(message))
  }
}

/** Columns are the merged truth; the raw JSON contributes the keys we have no column for. */
export function messageFromRow(row: MessageRow, reactions: MessageReaction[], attachments: Attachment[]): Message {
  const raw = JSON.parse(row.raw) as Record<string, unknown>
  return {
    ...raw,
    id: row.id ?? row.local_id ?? `row_${row.row_id}`,
    chat_id: row.chat_id,
    external_id: row.external_id,
    direction: row.direction,
    body: row.body,
    status: row.status,
    tag: row.tag,
    external_comment_id: row.external_comment_id,
    error_message: row.error_message,
    external_posted_at: row.external_posted_at,
    external_delivered_at: row.external_delivered_at,
    external_read_at: row.external_read_at,
    external_edited_at: row.external_edited_at,
    external_deleted_at: row.external_deleted_at,
    reply_to_external_id: row.reply_to_external_id,
    is_unsupported: row.is_unsupported === null ? null : row.is_unsupported === 1,
    created_at: row.created_at,
    reactions,
    attachments
  } as Message
}

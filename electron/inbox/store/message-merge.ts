// How a stored message and a newly received version of it combine. Versions arrive out of order (webhooks
// are not ordered, polls race webhooks), so a stale version must never undo a newer one.
import { MessageSchema, type Message, type MessageStatus } from '../../../shared/postproxy.ts'
import { messageColumnsFrom, messageSortAt, MESSAGE_COLUMN_NAMES, type MessageColumns, type MessageRow } from './message-rows.ts'
import { mergeRawJson } from './raw-json.ts'
import { newestTimestamp, timestampMs } from './timestamps.ts'

const KNOWN_MESSAGE_KEYS: ReadonlySet<string> = new Set(Object.keys(MessageSchema.shape))

// pending -> failed_waiting_for_retry -> published | failed. A send that reached the recipient is the
// strongest fact, so published outranks failed.
const STATUS_RANK: Record<MessageStatus, number> = {
  pending: 0,
  failed_waiting_for_retry: 1,
  failed: 2,
  published: 3,
  received: 3
}

export type MergedMessage = {
  columns: MessageColumns
  /** The incoming version is at least as far along as the stored one: its lists and raw keys win. */
  incomingIsCurrent: boolean
  /** Nothing stored would change. */
  unchanged: boolean
}

export function mergeMessage(existing: MessageRow | undefined, incoming: Message): MergedMessage {
  const next = messageColumnsFrom(incoming)
  if (!existing) return { columns: next, incomingIsCurrent: true, unchanged: false }

  const incomingIsCurrent = STATUS_RANK[next.status] >= STATUS_RANK[existing.status]
  const current = incomingIsCurrent ? next : existing
  const older = incomingIsCurrent ? existing : next

  const editedAt = newestTimestamp(existing.external_edited_at, next.external_edited_at)
  const postedAt = newestTimestamp(existing.external_posted_at, next.external_posted_at)
  const createdAt = incomingIsCurrent ? next.created_at : existing.created_at
  const columns: MessageColumns = {
    id: next.id ?? existing.id,
    chat_id: existing.chat_id,
    external_id: next.external_id ?? existing.external_id,
    direction: existing.direction,
    body: mergedBody(existing, next, incomingIsCurrent),
    status: current.status,
    tag: current.tag ?? older.tag,
    external_comment_id: current.external_comment_id ?? older.external_comment_id,
    // An error belongs to the status it came with.
    error_message: current.status === 'published' || current.status === 'received' ? null : current.error_message,
    external_posted_at: postedAt,
    external_delivered_at: newestTimestamp(existing.external_delivered_at, next.external_delivered_at),
    external_read_at: newestTimestamp(existing.external_read_at, next.external_read_at),
    external_edited_at: editedAt,
    // Once unsent, always unsent.
    external_deleted_at: newestTimestamp(existing.external_deleted_at, next.external_deleted_at),
    reply_to_external_id: current.reply_to_external_id ?? older.reply_to_external_id,
    is_unsupported: current.is_unsupported ?? older.is_unsupported,
    created_at: createdAt,
    sort_at: messageSortAt(postedAt, createdAt),
    raw: mergeRawJson(existing.raw, next.raw, incomingIsCurrent, KNOWN_MESSAGE_KEYS)
  }
  const unchanged = MESSAGE_COLUMN_NAMES.every((name) => columns[name] === existing[name])
  return { columns, incomingIsCurrent, unchanged }
}

function mergedBody(existing: MessageColumns, next: MessageColumns, incomingIsCurrent: boolean): string | null {
  const existingEdit = timestampMs(existing.external_edited_at)
  const nextEdit = timestampMs(next.external_edited_at)
  // The newest edit decides the text, whatever order the versions came in.
  if (existingEdit !== null || nextEdit !== null) {
    if (nextEdit !== null && (existingEdit === null || nextEdit >= existingEdit)) return next.body
    return existing.body
  }
  return incomingIsCurrent ? next.body : existing.body ?? next.body
}

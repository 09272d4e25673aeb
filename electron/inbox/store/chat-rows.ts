// The chats table row, its conversion to and from the shared Chat shape, and how two versions combine.
import { ChatSchema, type Chat, type ChatMetadata } from '../../../shared/postproxy.ts'
import { mergeRawJson } from './raw-json.ts'
import { newestTimestamp, timestampMs } from './timestamps.ts'

export type ChatColumns = {
  id: string
  profile_id: string
  platform: string
  participant_external_id: string
  participant_username: string | null
  participant_name: string | null
  participant_avatar_url: string | null
  external_conversation_id: string | null
  last_inbound_at: string | null
  last_outbound_at: string | null
  last_message_at: string | null
  created_at: string
  is_verified: 0 | 1 | null
  follower_count: number | null
  user_follows_business: 0 | 1 | null
  business_follows_user: 0 | 1 | null
  raw: string
  activity_ms: number
  last_inbound_ms: number | null
}

export type ChatRow = ChatColumns & {
  row_id: number
  newest_inbound_sort_at: number | null
  newest_inbound_row_id: number | null
  read_sort_at: number
  read_row_id: number
  marked_unread: 0 | 1
  updated_at_ms: number
}

export const CHAT_COLUMN_NAMES = [
  'id', 'profile_id', 'platform', 'participant_external_id', 'participant_username', 'participant_name',
  'participant_avatar_url', 'external_conversation_id', 'last_inbound_at', 'last_outbound_at', 'last_message_at',
  'created_at', 'is_verified', 'follower_count', 'user_follows_business', 'business_follows_user', 'raw',
  'activity_ms', 'last_inbound_ms'
] as const satisfies readonly (keyof ChatColumns)[]

const KNOWN_CHAT_KEYS: ReadonlySet<string> = new Set(Object.keys(ChatSchema.shape))

/** What the stored messages of a chat show, for chats whose server copy lags behind a webhook. */
export type ObservedActivity = {
  newestAt: string | null
  newestInboundAt: string | null
  newestOutboundAt: string | null
  newestInbound: MessagePosition | null
}

/** Where a message sits in its thread: (sort_at, row_id) order. */
export type MessagePosition = { sortAt: number; rowId: number }

export function laterPosition(a: MessagePosition | null, b: MessagePosition | null): MessagePosition | null {
  if (a === null) return b
  if (b === null) return a
  return b.sortAt > a.sortAt || (b.sortAt === a.sortAt && b.rowId > a.rowId) ? b : a
}

export function chatActivityMs(lastMessageAt: string | null, createdAt: string): number {
  return timestampMs(lastMessageAt) ?? timestampMs(createdAt) ?? 0
}

function flag(value: boolean | null | undefined): 0 | 1 | null {
  return value === null || value === undefined ? null : value ? 1 : 0
}

/** Metadata arrives null or partial (Meta gives signals only after the user wrote): a missing signal keeps the known one. */
function mergedMetadata(existing: unknown, incoming: ChatMetadata | null | undefined): Record<string, unknown> | null {
  const base = typeof existing === 'object' && existing !== null ? (existing as Record<string, unknown>) : null
  if (!incoming) return base
  const merged: Record<string, unknown> = { ...(base ?? {}) }
  for (const [key, value] of Object.entries(incoming)) {
    if (value !== null && value !== undefined) merged[key] = value
    else if (!(key in merged)) merged[key] = value
  }
  return merged
}

export function mergeChat(existing: ChatRow | undefined, incoming: Chat, observed: ObservedActivity): { columns: ChatColumns; unchanged: boolean } {
  const existingRaw = existing ? (JSON.parse(existing.raw) as Record<string, unknown>) : {}
  const metadata = mergedMetadata(existingRaw.metadata, incoming.metadata) as ChatMetadata | null
  const incomingRaw = JSON.stringify({ ...incoming, metadata })
  const lastMessageAt = newestTimestamp(newestTimestamp(existing?.last_message_at, incoming.last_message_at), observed.newestAt)
  const lastInboundAt = newestTimestamp(newestTimestamp(existing?.last_inbound_at, incoming.last_inbound_at), observed.newestInboundAt)
  const lastOutboundAt = newestTimestamp(newestTimestamp(existing?.last_outbound_at, incoming.last_outbound_at), observed.newestOutboundAt)
  const createdAt = existing?.created_at ?? incoming.created_at
  const columns: ChatColumns = {
    id: incoming.id,
    profile_id: incoming.profile_id,
    platform: incoming.platform,
    participant_external_id: incoming.participant_external_id,
    participant_username: incoming.participant_username ?? existing?.participant_username ?? null,
    participant_name: incoming.participant_name ?? existing?.participant_name ?? null,
    participant_avatar_url: incoming.participant_avatar_url ?? existing?.participant_avatar_url ?? null,
    external_conversation_id: incoming.external_conversation_id ?? existing?.external_conversation_id ?? null,
    last_inbound_at: lastInboundAt,
    last_outbound_at: lastOutboundAt,
    last_message_at: lastMessageAt,
    created_at: createdAt,
    is_verified: flag(metadata?.is_verified_user),
    follower_count: metadata?.follower_count ?? null,
    user_follows_business: flag(metadata?.is_user_follow_business),
    business_follows_user: flag(metadata?.is_business_follow_user),
    raw: existing ? mergeRawJson(existing.raw, incomingRaw, true, KNOWN_CHAT_KEYS) : incomingRaw,
    activity_ms: Math.max(existing?.activity_ms ?? 0, chatActivityMs(lastMessageAt, createdAt)),
    last_inbound_ms: timestampMs(lastInboundAt)
  }
  const unchanged = existing !== undefined && CHAT_COLUMN_NAMES.every((name) => columns[name] === existing[name])
  return { columns, unchanged }
}

export function chatFromRow(row: ChatColumns): Chat {
  const raw = JSON.parse(row.raw) as Record<string, unknown>
  const rawMetadata = typeof raw.metadata === 'object' && raw.metadata !== null ? (raw.metadata as Record<string, unknown>) : null
  const hasSignals = row.is_verified !== null || row.follower_count !== null || row.user_follows_business !== null || row.business_follows_user !== null
  const metadata =
    rawMetadata || hasSignals
      ? {
          ...(rawMetadata ?? {}),
          is_verified_user: row.is_verified === null ? null : row.is_verified === 1,
          follower_count: row.follower_count,
          is_user_follow_business: row.user_follows_business === null ? null : row.user_follows_business === 1,
          is_business_follow_user: row.business_follows_user === null ? null : row.business_follows_user === 1
        }
      : null
  return {
    ...raw,
    id: row.id,
    profile_id: row.profile_id,
    platform: row.platform,
    participant_external_id: row.participant_external_id,
    participant_username: row.participant_username,
    participant_name: row.participant_name,
    participant_avatar_url: row.participant_avatar_url,
    external_conversation_id: row.external_conversation_id,
    last_inbound_at: row.last_inbound_at,
    last_outbound_at: row.last_outbound_at,
    last_message_at: row.last_message_at,
    metadata,
    created_at: row.created_at
  } as Chat
}

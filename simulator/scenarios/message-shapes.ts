// Complete Chat and Message objects with every documented field present (null when unset), as
// Postproxy serves them (POSTPROXY.md §4), and the chat's last_* fields derived from its messages.
// The contract v2 fields (`quick_replies`, `buttons`, `card`, `tapped_action`, `reply_markup`) are
// left to the scenario that sets them: state.ts fills the nulls in on every read, so a million scale
// messages do not each store five nulls (measured: about a second of the generation's CPU).
import type { Chat, Message } from '../../shared/postproxy.ts'

type MessageCore = Pick<Message, 'id' | 'chat_id' | 'direction' | 'status' | 'created_at'>

export function buildMessage(fields: MessageCore & Partial<Message>): Message {
  // Listed in the documented order (ids first), then overridden by what the caller set.
  return Object.assign({
    id: fields.id,
    chat_id: fields.chat_id,
    external_id: null,
    direction: fields.direction,
    body: null,
    status: fields.status,
    tag: null,
    external_comment_id: null,
    error_message: null,
    platform_data: null,
    external_posted_at: null,
    external_delivered_at: null,
    external_read_at: null,
    external_edited_at: null,
    external_deleted_at: null,
    reply_to_external_id: null,
    reactions: [],
    attachments: [],
    is_unsupported: false,
    created_at: fields.created_at
  }, fields)
}

export interface ChatActivity {
  last_inbound_at: string | null
  last_outbound_at: string | null
  last_message_at: string | null
}

/**
 * What a chat's last_* fields say about its messages: the newest inbound and the newest delivered
 * outbound `external_posted_at` (a failed or pending send never reached Instagram, so it has none).
 * ISO strings of one format compare correctly as strings.
 */
export function chatActivity(messages: readonly Message[]): ChatActivity {
  let lastInbound: string | null = null
  let lastOutbound: string | null = null
  for (const message of messages) {
    const postedAt = message.external_posted_at
    if (!postedAt) continue
    if (message.direction === 'inbound') {
      if (lastInbound === null || postedAt > lastInbound) lastInbound = postedAt
    } else if (lastOutbound === null || postedAt > lastOutbound) {
      lastOutbound = postedAt
    }
  }
  const lastMessage = lastInbound === null ? lastOutbound : lastOutbound === null || lastInbound > lastOutbound ? lastInbound : lastOutbound
  return { last_inbound_at: lastInbound, last_outbound_at: lastOutbound, last_message_at: lastMessage }
}

type ChatCore = Pick<Chat, 'id' | 'profile_id' | 'participant_external_id' | 'created_at'>

export function buildChat(fields: ChatCore & Partial<Chat>): Chat {
  return Object.assign({
    id: fields.id,
    profile_id: fields.profile_id,
    platform: 'instagram',
    participant_external_id: fields.participant_external_id,
    participant_username: null,
    participant_name: null,
    participant_avatar_url: null,
    external_conversation_id: null,
    last_inbound_at: null,
    last_outbound_at: null,
    last_message_at: null,
    metadata: null,
    created_at: fields.created_at
  }, fields)
}

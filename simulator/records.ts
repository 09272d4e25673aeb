// Constructors for the wire objects of POSTPROXY.md §4 and the chat bookkeeping rules:
// inbound moves `last_inbound_at` (the window) and `last_message_at`; outbound moves
// `last_outbound_at` and `last_message_at`. Pure functions; storing is the caller's job.
import type { Attachment, Chat, ChatMetadata, Message, MessageDirection, MessageStatus, Profile } from '../shared/postproxy.ts'
import type { MessageButton, MessageCard, QuickReply, TappedAction } from '../shared/postproxy-interactive.ts'
import { newId } from './ids.ts'

export interface Participant {
  external_id: string
  username?: string | null
  name?: string | null
  avatar_url?: string | null
}

export function newChat(
  profile: Profile,
  participant: Participant,
  createdAt: string,
  extra: { conversationId?: string | null; metadata?: ChatMetadata | null } = {}
): Chat {
  return {
    id: newId('chat'),
    profile_id: profile.id,
    platform: profile.platform,
    participant_external_id: participant.external_id,
    participant_username: participant.username ?? null,
    participant_name: participant.name ?? null,
    participant_avatar_url: participant.avatar_url ?? null,
    external_conversation_id: extra.conversationId ?? null,
    last_inbound_at: null,
    last_outbound_at: null,
    last_message_at: null,
    metadata: extra.metadata ?? null,
    // Bluesky keeps an archive flag on the server; other platforms have none.
    archived: profile.platform === 'bluesky' ? false : null,
    created_at: createdAt
  }
}

function later(current: string | null | undefined, candidate: string): string {
  if (!current) return candidate
  return Date.parse(candidate) > Date.parse(current) ? candidate : current
}

export function withInbound(chat: Chat, at: string): Chat {
  return { ...chat, last_inbound_at: later(chat.last_inbound_at, at), last_message_at: later(chat.last_message_at, at) }
}

export function withOutbound(chat: Chat, at: string): Chat {
  return { ...chat, last_outbound_at: later(chat.last_outbound_at, at), last_message_at: later(chat.last_message_at, at) }
}

export interface NewMessageFields {
  chat_id: string
  direction: MessageDirection
  status: MessageStatus
  created_at: string
  body?: string | null
  attachments?: Attachment[]
  external_id?: string | null
  external_posted_at?: string | null
  tag?: string | null
  external_comment_id?: string | null
  platform_data?: Message['platform_data']
  reply_to_external_id?: string | null
  quick_replies?: QuickReply[] | null
  buttons?: MessageButton[] | null
  card?: MessageCard | null
  tapped_action?: TappedAction | null
  reply_markup?: unknown
}

export function newMessage(fields: NewMessageFields): Message {
  return {
    id: newId('msg'),
    chat_id: fields.chat_id,
    external_id: fields.external_id ?? null,
    direction: fields.direction,
    body: fields.body ?? null,
    status: fields.status,
    tag: fields.tag ?? null,
    external_comment_id: fields.external_comment_id ?? null,
    error_message: null,
    error_details: null,
    platform_data: fields.platform_data ?? null,
    external_posted_at: fields.external_posted_at ?? null,
    external_delivered_at: null,
    external_read_at: null,
    external_edited_at: null,
    external_deleted_at: null,
    reply_to_external_id: fields.reply_to_external_id ?? null,
    quick_replies: fields.quick_replies ?? null,
    buttons: fields.buttons ?? null,
    card: fields.card ?? null,
    tapped_action: fields.tapped_action ?? null,
    reply_markup: fields.reply_markup ?? null,
    reactions: [],
    attachments: fields.attachments ?? [],
    is_unsupported: false,
    created_at: fields.created_at
  }
}

// Store rows -> the view models of shared/inbox-api.ts. What a creator reads is decided here:
// display statuses, plain-words failure reasons, previews.
import type { ChatSummary, DisplayStatus, Participant, SearchHit, ThreadAttachment, ThreadMessage } from '../../shared/inbox-api.ts'
import type { Chat } from '../../shared/postproxy.ts'
import { OUTSIDE_WINDOW_ERROR } from '../../shared/messaging-window.ts'
import { lovedByYou } from './outbox/love-toggle.ts'
import type { ChatListItem, MessagePreview, OutboxItem, SearchResults, StoredMessage } from './store/index.ts'

export function participantOf(chat: Chat): Participant {
  const meta = chat.metadata ?? null
  return {
    externalId: chat.participant_external_id,
    username: chat.participant_username ?? null,
    name: chat.participant_name ?? null,
    avatarUrl: chat.participant_avatar_url ?? null,
    isVerified: meta?.is_verified_user ?? null,
    followerCount: meta?.follower_count ?? null,
    followsYou: meta?.is_user_follow_business ?? null,
    youFollow: meta?.is_business_follow_user ?? null
  }
}

const ATTACHMENT_PREVIEW: Record<string, string> = {
  image: 'Photo',
  video: 'Video',
  audio: 'Voice message',
  file: 'File',
  sticker: 'Sticker',
  story_mention: 'Mentioned you in their story'
}

export function previewText(preview: MessagePreview): string {
  if (preview.deleted) return 'Message removed'
  if (preview.body) return preview.body
  if (preview.attachmentType) return ATTACHMENT_PREVIEW[preview.attachmentType] ?? 'Attachment'
  return 'Message'
}

export function toChatSummary(item: ChatListItem): ChatSummary {
  const { chat } = item
  return {
    id: chat.id,
    profileId: chat.profile_id,
    platform: chat.platform,
    participant: participantOf(chat),
    lastMessageAt: chat.last_message_at ?? null,
    lastInboundAt: chat.last_inbound_at ?? null,
    lastOutboundAt: chat.last_outbound_at ?? null,
    preview: item.lastMessage ? { text: previewText(item.lastMessage), direction: item.lastMessage.direction } : null,
    unreadCount: item.unreadCount,
    hasDraft: Boolean(item.draft)
  }
}

/**
 * Meta's error texts, in words a creator understands. A private reply is offered only when the person has a
 * comment that can still take one (`replyableComments`, asked only for a window refusal).
 */
export function explainSendFailure(errorMessage: string | null | undefined, replyableComments: () => number = () => 0): string {
  if (!errorMessage) return "Instagram didn't deliver this message."
  if (errorMessage.includes(OUTSIDE_WINDOW_ERROR) || /outside of allowed window/i.test(errorMessage)) {
    const refused = 'Instagram refused this message because the 24-hour messaging window had closed.'
    return replyableComments() > 0
      ? `${refused} A human-agent reply (within 7 days of their last message) or a private reply to their recent comment can still reach them.`
      : `${refused} A human-agent reply (within 7 days of their last message) can still reach them, and a normal one once they write again.`
  }
  return errorMessage.startsWith('(#') ? `Instagram didn't deliver this message: ${errorMessage.replace(/^\(#\d+\)\s*/, '')}` : errorMessage
}

function displayStatus(stored: StoredMessage, outbox: OutboxItem | null): DisplayStatus {
  const m = stored.message
  if (m.direction === 'inbound') return 'received'
  switch (m.status) {
    case 'failed':
      return 'failed'
    case 'pending':
    case 'failed_waiting_for_retry':
      return outbox?.state === 'queued' && outbox.attempts > 0 ? 'queued' : 'sending'
    default:
      if (m.external_read_at) return 'seen'
      if (m.external_delivered_at) return 'delivered'
      return 'sent'
  }
}

export interface ThreadMessageContext {
  participantExternalId: string
  outbox: OutboxItem | null
  /** The URL the renderer loads an attachment from (served from the local media cache). */
  mediaUrl: (attachmentId: string) => string
  /** The cached file's type, or null when the attachment is not in the media cache yet. */
  cachedMime: (attachmentId: string) => string | null
  cursor: string
  /** The comment a private reply answers (by its Instagram id), when the cache holds it. */
  commentOf: (externalCommentId: string) => { id: string; body: string | null } | null
  /** How many of the participant's comments can still take a private reply (for a window refusal's wording). */
  replyableComments: () => number
}

export function toThreadMessage(stored: StoredMessage, context: ThreadMessageContext): ThreadMessage {
  const m = stored.message
  const status = displayStatus(stored, context.outbox)
  const failedLocally = context.outbox?.state === 'failed'
  const explained = () => explainSendFailure(m.error_message, context.replyableComments)
  const error = status !== 'failed' ? null : failedLocally ? context.outbox?.lastError ?? explained() : explained()
  const comment = m.external_comment_id ? context.commentOf(m.external_comment_id) : null
  const attachments: ThreadAttachment[] = (m.attachments ?? []).map((a) => {
    const mime = context.cachedMime(a.id)
    return {
      id: a.id,
      type: a.type,
      // Served through the local media cache, never straight from the network: threads read offline.
      url: a.url ? context.mediaUrl(a.id) : null,
      mime,
      cached: mime !== null
    }
  })
  return {
    id: m.id,
    localId: stored.localId,
    chatId: m.chat_id,
    direction: m.direction,
    body: m.external_deleted_at ? null : m.body ?? null,
    status,
    error,
    // A send the server never accepted can be tried again; one Instagram refused (window) cannot.
    retryable: failedLocally && !/window/i.test(context.outbox?.lastError ?? ''),
    attachments: m.external_deleted_at ? [] : attachments,
    lovedByYou: m.direction === 'inbound' && lovedByYou(m, context.participantExternalId),
    participantReactions: (m.reactions ?? [])
      .filter((r) => r.sender_external_id === context.participantExternalId)
      .map((r) => r.emoji ?? '❤️'),
    storyReply: m.platform_data?.story_reply ? { id: m.platform_data.story_reply.id ?? null, url: m.platform_data.story_reply.url ?? null } : null,
    isStoryMention: (m.attachments ?? []).some((a) => a.type === 'story_mention'),
    privateReplyTo: m.external_comment_id ? { commentId: comment?.id ?? null, text: comment?.body ?? null } : null,
    isDeleted: Boolean(m.external_deleted_at),
    isUnsupported: Boolean(m.is_unsupported),
    at: new Date(stored.sortAt).toISOString(),
    cursor: context.cursor
  }
}

export function toSearchHits(results: SearchResults, chatOf: (chatId: string) => Chat | null): SearchHit[] {
  const hits: SearchHit[] = []
  for (const hit of results.chats) {
    const participant = participantOf(hit.chat)
    const text = participant.username ?? participant.name ?? participant.externalId
    const highlights = participant.username ? hit.usernameHighlights : hit.nameHighlights
    hits.push({ chatId: hit.chat.id, messageId: null, participant, snippet: { text, highlights: highlights.map(([a, b]) => [a, b]) }, at: hit.chat.last_message_at ?? null })
  }
  for (const hit of results.messages) {
    const chat = chatOf(hit.chatId)
    if (!chat) continue
    hits.push({
      chatId: hit.chatId,
      messageId: hit.messageId,
      participant: participantOf(chat),
      snippet: { text: hit.snippet.text, highlights: hit.snippet.highlights.map(([a, b]) => [a, b]) },
      at: new Date(hit.sortAt).toISOString()
    })
  }
  return hits
}

// Store rows -> the view models of shared/inbox-api.ts. What a creator reads is decided here:
// display statuses, plain-words failure reasons, previews.
import type { ChatSummary, ChatTriageState, DisplayStatus, Participant, SearchHit, ThreadAttachment, ThreadMessage } from '../../shared/inbox-api.ts'
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

const iso = (ms: number) => new Date(ms).toISOString()

export function toTriageState(item: ChatListItem): ChatTriageState {
  const { triage } = item
  return {
    view: triage.putAway === 'done' ? 'done' : triage.putAway === 'snoozed' ? 'snoozed' : 'inbox',
    pinned: triage.pinned,
    snoozedUntil: triage.putAway === 'snoozed' && triage.snoozedUntilMs !== null ? iso(triage.snoozedUntilMs) : null,
    returned: triage.returned ? { reason: triage.returned.reason, at: iso(triage.returned.atMs) } : null
  }
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
    hasDraft: Boolean(item.draft),
    triage: toTriageState(item),
    labelIds: item.labelIds
  }
}

/** Meta's error texts, in words a creator understands. */
export function explainSendFailure(errorMessage: string | null | undefined): string {
  if (!errorMessage) return "Instagram didn't deliver this message."
  if (errorMessage.includes(OUTSIDE_WINDOW_ERROR) || /outside of allowed window/i.test(errorMessage)) {
    return "Instagram refused this message because the 24-hour messaging window had closed. A human-agent reply (within 7 days) or a private reply to one of their comments can still reach them."
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
}

export function toThreadMessage(stored: StoredMessage, context: ThreadMessageContext): ThreadMessage {
  const m = stored.message
  const status = displayStatus(stored, context.outbox)
  const failedLocally = context.outbox?.state === 'failed'
  const error = status !== 'failed' ? null : failedLocally ? context.outbox?.lastError ?? explainSendFailure(m.error_message) : explainSendFailure(m.error_message)
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

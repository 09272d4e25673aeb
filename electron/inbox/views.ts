// Store rows -> the view models of shared/inbox-api.ts. What a creator reads is decided here:
// display statuses, plain-words failure reasons, previews.
import type { ChatReferral, ChatSummary, ChatTriageState, DisplayStatus, Participant, QuotedMessage, SearchHit, ThreadAttachment, ThreadMessage } from '../../shared/inbox-api.ts'
import type { Chat, Message } from '../../shared/postproxy.ts'
import { OUTSIDE_WINDOW_ERROR } from '../../shared/messaging-window.ts'
import { hasParticipantSignals, platformName } from '../../shared/platforms.ts'
import { lovedByYou } from './outbox/love-toggle.ts'
import type { ChatListItem, MessagePreview, OutboxItem, SearchResults, StoredMessage } from './store/index.ts'

/**
 * Who the chat is with. The signals (verified, followers, who follows whom) are Instagram's: a chat on a
 * platform without them shows none, never "not verified", whatever its metadata holds.
 */
export function participantOf(chat: Chat): Participant {
  const meta = hasParticipantSignals(chat.platform) ? (chat.metadata ?? null) : null
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

export function previewText(preview: Pick<MessagePreview, 'deleted' | 'body' | 'attachmentType'>): string {
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
    labelIds: item.labelIds,
    referral: referralOf(chat)
  }
}

/** The ad or ig.me link that brought the participant, when Meta told (chat `metadata.referral`). */
export function referralOf(chat: Chat): ChatReferral | null {
  const referral = chat.metadata?.referral
  if (!referral || (!referral.ref && !referral.source)) return null
  return { ref: referral.ref ?? null, source: referral.source ?? null, type: referral.type ?? null }
}

/** A message as a quote shows it: its text, else what its first attachment is ("Photo"). */
export function messagePreviewText(message: Message): string {
  return previewText({
    deleted: Boolean(message.external_deleted_at),
    body: message.body ?? null,
    attachmentType: message.attachments?.[0]?.type ?? null
  })
}

/** The quoted original of a reply, from what the cache holds (`quoted` is null when it holds nothing). */
export function toQuotedMessage(externalId: string, quoted: Message | null): QuotedMessage {
  if (!quoted) return { externalId, state: 'not_loaded', messageId: null, direction: null, preview: null }
  if (quoted.external_deleted_at) return { externalId, state: 'removed', messageId: quoted.id, direction: quoted.direction, preview: null }
  return { externalId, state: 'loaded', messageId: quoted.id, direction: quoted.direction, preview: messagePreviewText(quoted) }
}

/**
 * Meta's error texts, in words a creator understands, naming the chat's `platform`. A private reply is
 * offered only when the person has a comment that can still take one (`replyableComments`, asked only for
 * a window refusal).
 */
export function explainSendFailure(errorMessage: string | null | undefined, platform: string, replyableComments: () => number = () => 0): string {
  const where = platformName(platform)
  if (!errorMessage) return `${where} didn't deliver this message.`
  if (errorMessage.includes(OUTSIDE_WINDOW_ERROR) || /outside of allowed window/i.test(errorMessage)) {
    const refused = `${where} refused this message because the 24-hour messaging window had closed.`
    return replyableComments() > 0
      ? `${refused} A human-agent reply (within 7 days of their last message) or a private reply to their recent comment can still reach them.`
      : `${refused} A human-agent reply (within 7 days of their last message) can still reach them, and a normal one once they write again.`
  }
  return errorMessage.startsWith('(#') ? `${where} didn't deliver this message: ${errorMessage.replace(/^\(#\d+\)\s*/, '')}` : errorMessage
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
  /** The chat's platform: a failure's explanation names it. */
  platform: string
  outbox: OutboxItem | null
  /** The URL the renderer loads an attachment from (served from the local media cache). */
  mediaUrl: (attachmentId: string) => string
  /** The cached file's type, or null when the attachment is not in the media cache yet. */
  cachedMime: (attachmentId: string) => string | null
  /** The cached message of this chat with this external id (what a reply quotes); null when not cached. */
  quoted: (externalId: string) => Message | null
  /** The media id under which the picture of the story a message replies to is cached. */
  storyReplyMediaId: (messageId: string) => string
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
  const explained = () => explainSendFailure(m.error_message, context.platform, context.replyableComments)
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
    storyReply: storyReplyOf(m, context),
    isStoryMention: (m.attachments ?? []).some((a) => a.type === 'story_mention'),
    externalId: m.external_id ?? null,
    editedAt: m.external_deleted_at ? null : m.external_edited_at ?? null,
    replyTo: m.reply_to_external_id ? toQuotedMessage(m.reply_to_external_id, context.quoted(m.reply_to_external_id)) : null,
    quickReplies: m.quick_replies && m.quick_replies.length > 0 ? m.quick_replies : null,
    buttons: m.buttons && m.buttons.length > 0 ? m.buttons : null,
    card: m.card ?? null,
    tappedAction: m.tapped_action ?? null,
    privateReplyTo: m.external_comment_id ? { commentId: comment?.id ?? null, text: comment?.body ?? null } : null,
    isDeleted: Boolean(m.external_deleted_at),
    isUnsupported: Boolean(m.is_unsupported),
    at: new Date(stored.sortAt).toISOString(),
    cursor: context.cursor
  }
}

function storyReplyOf(m: Message, context: ThreadMessageContext): ThreadMessage['storyReply'] {
  const story = m.platform_data?.story_reply
  if (!story) return null
  const mediaId = context.storyReplyMediaId(m.id)
  const mime = story.url ? context.cachedMime(mediaId) : null
  return {
    id: story.id ?? null,
    url: story.url ?? null,
    // Through the local media cache, like attachments: the story shows offline and after it expired.
    thumbnailUrl: story.url ? context.mediaUrl(mediaId) : null,
    cached: mime !== null
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

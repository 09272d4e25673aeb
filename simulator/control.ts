// What the participants (and Meta) do on their side: write, react, read, unsend, edit, follow a
// referral link, comment. The control API, the personas of the demo scenario and tests drive the
// simulator through these; each one stores its effect and emits the webhook Postproxy would.
import type { Attachment, Chat, ChatMetadata, Message, MessageReaction } from '../shared/postproxy.ts'
import type { AccountId, InboundInput, SimComment, SimControl, WebhookDispatcher } from './contracts.ts'
import type { SimulatedClock } from './clock.ts'
import { notFound, unprocessable } from './http-errors.ts'
import { newConversationId, newId, newMetaMessageId } from './ids.ts'
import { attachmentTypeForUrl, describeInboundBytes, storeAttachment, urlAttachment } from './media-input.ts'
import { newChat, newMessage, withInbound, type Participant } from './records.ts'
import type { SimState } from './state.ts'

/** What Meta reports about a participant once they have written, when a test gives nothing. */
const DEFAULT_SIGNALS: ChatMetadata = {
  is_verified_user: false,
  follower_count: 0,
  is_user_follow_business: false,
  is_business_follow_user: false
}

const LOVE_EMOJI = '❤️'

export interface ReferralInput {
  participant_external_id: string
  participant_username?: string | null
  participant_name?: string | null
  ref?: string | null
  source?: string | null
  type?: string | null
}

export interface CommentInput {
  participant_external_id: string
  participant_username?: string | null
  participant_name?: string | null
  text: string
  post_id?: string | null
  /** Defaults to now (simulated). */
  created_at?: string | null
}

export class SimulatorControl implements SimControl {
  #state: SimState
  #clock: SimulatedClock
  #webhooks: WebhookDispatcher

  constructor(deps: { state: SimState; clock: SimulatedClock; webhooks: WebhookDispatcher }) {
    this.#state = deps.state
    this.#clock = deps.clock
    this.#webhooks = deps.webhooks
  }

  injectInbound(account: AccountId, profileId: string, input: InboundInput): Message {
    return this.injectInboundWithChat(account, profileId, input).message
  }

  /** Like `injectInbound`, also returning the chat as it is after the message. */
  injectInboundWithChat(account: AccountId, profileId: string, input: InboundInput): { message: Message; chat: Chat } {
    requireParticipant(input.participant_external_id)
    const hasContent = Boolean(input.body) || Boolean(input.media) || Boolean(input.story_mention)
    if (!hasContent) throw unprocessable(['An inbound message needs a body, a media item or a story mention.'])
    const now = this.#clock.nowIso()
    return this.#state.transaction(() => {
      // The chat (and so the profile's scope) first: nothing is stored for a profile out of reach.
      const chat = this.#chatFor(account, profileId, {
        external_id: input.participant_external_id,
        username: input.participant_username,
        name: input.participant_name,
        avatar_url: input.participant_avatar_url
      })
      const attachments = this.#inboundAttachments(account, input)
      const message = newMessage({
        chat_id: chat.id,
        direction: 'inbound',
        status: 'received',
        created_at: now,
        body: input.body ?? null,
        attachments,
        external_id: newMetaMessageId(),
        external_posted_at: now,
        platform_data: input.story_reply ? { story_reply: { id: input.story_reply.id, url: input.story_reply.url } } : null
      })
      const metadata = { ...DEFAULT_SIGNALS, ...(chat.metadata ?? {}), ...(input.metadata ?? {}) }
      const updatedChat = withInbound(
        { ...chat, metadata, external_conversation_id: chat.external_conversation_id ?? newConversationId() },
        now
      )
      this.#state.putMessage(account, message)
      this.#state.putChat(account, updatedChat)
      this.#webhooks.emit(account, 'message.received', { message })
      return { message, chat: updatedChat }
    })
  }

  #inboundAttachments(account: AccountId, input: InboundInput): Attachment[] {
    const attachments: Attachment[] = []
    if (input.media) {
      if ('url' in input.media) {
        attachments.push(urlAttachment(input.media.url, input.media.type ?? attachmentTypeForUrl(input.media.url)))
      } else {
        const described = describeInboundBytes(input.media)
        attachments.push(storeAttachment(this.#state, account, { ...input.media, mime: described.mime }, input.media.type ?? described.type))
      }
    }
    if (input.story_mention) {
      // Postproxy mirrors the story asset before the story expires, so the URL stays valid.
      const mention = input.story_mention
      attachments.push(
        'url' in mention
          ? urlAttachment(mention.url, 'story_mention')
          : storeAttachment(this.#state, account, { ...mention, mime: describeInboundBytes(mention).mime }, 'story_mention')
      )
    }
    return attachments
  }

  /** A participant reacts to (or takes back their reaction to) a message. `emoji` defaults to ❤️. */
  userReaction(account: AccountId, messageId: string, action: 'react' | 'unreact', emoji: string = LOVE_EMOJI): Message {
    const { message, chat } = this.#messageWithChat(account, messageId)
    const sender = chat.participant_external_id
    const others = (message.reactions ?? []).filter((reaction) => reaction.sender_external_id !== sender)
    const at = this.#clock.nowIso()
    const reaction: MessageReaction = { sender_external_id: sender, emoji, reaction: emoji === LOVE_EMOJI ? 'love' : 'other', at }
    const updated: Message = { ...message, reactions: action === 'react' ? [...others, reaction] : others }
    this.#state.putMessage(account, updated)
    this.#webhooks.emit(account, 'reaction.received', {
      message: updated,
      sender_external_id: sender,
      action,
      reaction: action === 'react' ? reaction.reaction : null,
      emoji: action === 'react' ? emoji : null,
      occurred_at: at
    })
    return updated
  }

  markDelivered(account: AccountId, messageId: string): Message {
    const message = this.#publishedOutbound(account, messageId, 'delivery receipts')
    const updated: Message = { ...message, external_delivered_at: message.external_delivered_at ?? this.#clock.nowIso() }
    this.#state.putMessage(account, updated)
    this.#webhooks.emit(account, 'message.delivered', { message: updated })
    return updated
  }

  markRead(account: AccountId, messageId: string): Message {
    const message = this.#publishedOutbound(account, messageId, 'read receipts')
    const now = this.#clock.nowIso()
    // A message that has been read has been delivered, whether or not that receipt came first.
    const updated: Message = {
      ...message,
      external_delivered_at: message.external_delivered_at ?? now,
      external_read_at: message.external_read_at ?? now
    }
    this.#state.putMessage(account, updated)
    this.#webhooks.emit(account, 'message.read', { message: updated })
    return updated
  }

  /** The participant unsends one of their messages (Instagram). */
  unsend(account: AccountId, messageId: string): Message {
    const message = this.#inbound(account, messageId, 'unsent')
    const updated: Message = { ...message, external_deleted_at: message.external_deleted_at ?? this.#clock.nowIso() }
    this.#state.putMessage(account, updated)
    this.#webhooks.emit(account, 'message.deleted', { message: updated })
    return updated
  }

  /** The participant edits one of their messages. */
  edit(account: AccountId, messageId: string, body: string): Message {
    if (typeof body !== 'string' || body.trim() === '') throw unprocessable(["Body can't be blank."])
    const message = this.#inbound(account, messageId, 'edited')
    const updated: Message = { ...message, body, external_edited_at: this.#clock.nowIso() }
    this.#state.putMessage(account, updated)
    this.#webhooks.emit(account, 'message.edited', { message: updated })
    return updated
  }

  /** The participant arrives through an ig.me link or an ad: the chat records the referral. */
  referral(account: AccountId, profileId: string, input: ReferralInput): Chat {
    requireParticipant(input.participant_external_id)
    const now = this.#clock.nowIso()
    const referral = { ref: input.ref ?? null, source: input.source ?? 'SHORTLINK', type: input.type ?? 'OPEN_THREAD', received_at: now }
    return this.#state.transaction(() => {
      const chat = this.#chatFor(account, profileId, {
        external_id: input.participant_external_id,
        username: input.participant_username,
        name: input.participant_name
      })
      const updated: Chat = { ...chat, metadata: { ...(chat.metadata ?? {}), referral, last_referral_at: now } }
      this.#state.putChat(account, updated)
      this.#webhooks.emit(account, 'referral.received', { chat: updated, referral })
      return updated
    })
  }

  /** A comment on one of the business's posts, for a private reply to answer. */
  createComment(account: AccountId, profileId: string, input: CommentInput): SimComment {
    requireParticipant(input.participant_external_id)
    if (!this.#state.profile(account, profileId)) throw notFound()
    if (typeof input.text !== 'string' || input.text.trim() === '') throw unprocessable(["Text can't be blank."])
    const createdAt = input.created_at ?? this.#clock.nowIso()
    if (Number.isNaN(Date.parse(createdAt))) throw unprocessable(['Created at must be an ISO 8601 timestamp.'])
    const comment: SimComment = {
      id: newId('cmt'),
      post_id: input.post_id || newId('post'),
      profile_id: profileId,
      participant_external_id: input.participant_external_id,
      participant_username: input.participant_username ?? null,
      participant_name: input.participant_name ?? null,
      text: input.text,
      created_at: new Date(createdAt).toISOString()
    }
    this.#state.putComment(account, comment)
    return comment
  }

  listChats(account: AccountId, profileId: string): Chat[] {
    return this.#state.allChats(account, profileId)
  }

  listMessages(account: AccountId, chatId: string, limit: number): Message[] {
    const chat = this.#state.chat(account, chatId)
    if (!chat) throw notFound()
    return this.#state.recentMessages(chat.id, limit)
  }

  /** The profile's chat with this participant, created (not yet stored) when there is none. */
  #chatFor(account: AccountId, profileId: string, participant: Participant): Chat {
    const profile = this.#state.profile(account, profileId)
    if (!profile) throw notFound()
    const existing = this.#state.chatWithParticipant(account, profileId, participant.external_id)
    if (!existing) return newChat(profile, participant, this.#clock.nowIso(), { conversationId: newConversationId() })
    return {
      ...existing,
      participant_username: participant.username ?? existing.participant_username,
      participant_name: participant.name ?? existing.participant_name,
      participant_avatar_url: participant.avatar_url ?? existing.participant_avatar_url
    }
  }

  #messageWithChat(account: AccountId, messageId: string): { message: Message; chat: Chat } {
    const message = this.#state.message(account, messageId)
    const chat = message && this.#state.chat(account, message.chat_id)
    if (!message || !chat) throw notFound()
    return { message, chat }
  }

  #publishedOutbound(account: AccountId, messageId: string, what: string): Message {
    const { message } = this.#messageWithChat(account, messageId)
    if (message.direction !== 'outbound' || message.status !== 'published') {
      throw unprocessable([`Only published outbound messages get ${what}; this one is ${message.direction} and ${message.status}.`])
    }
    return message
  }

  #inbound(account: AccountId, messageId: string, what: string): Message {
    const { message } = this.#messageWithChat(account, messageId)
    if (message.direction !== 'inbound') throw unprocessable([`Only the participant's own (inbound) messages can be ${what}.`])
    return message
  }
}

function requireParticipant(value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') throw unprocessable(["Participant external id can't be blank."])
}

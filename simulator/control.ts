// What the participants (and Meta) do on their side: write, tap, react, read, unsend, edit, follow a
// referral link, comment. The control API, the personas of the demo scenario and tests drive the
// simulator through these; each one stores its effect and emits the webhook Postproxy would.
// Each follows the platform of the profile: Meta gives participant signals on Instagram only; story
// replies, story mentions and unsends are Instagram's; Messenger's message ids read `m_…`. Nothing
// reaches a profile whose connection is expired or disconnected (422 naming it).
import type { Attachment, Chat, ChatMetadata, Message, MessageReaction, Profile } from '../shared/postproxy.ts'
import { COMMENT_CREATED_EVENT, DM_PLATFORMS } from '../shared/postproxy.ts'
import { platformName } from '../shared/platforms.ts'
import { LOVE_EMOJI, reactionNameForEmoji } from '../shared/reaction-rules.ts'
import { businessSenderId } from './business-identity.ts'
import { commentCreatedData } from './comment-records.ts'
import type { AccountId, CommentInput, InboundInput, SimComment, SimControl, SimPost, WebhookDispatcher } from './contracts.ts'
import type { SimulatedClock } from './clock.ts'
import { notFound, unprocessable } from './http-errors.ts'
import {
  newConversationId,
  newFacebookCommentId,
  newFacebookPostId,
  newId,
  newInstagramCommentId,
  newInstagramMediaId,
  newMetaMessageId,
  newShortcode
} from './ids.ts'
import { attachmentTypeForUrl, describeInboundBytes, storeAttachment, urlAttachment } from './media-input.ts'
import { commentPermalink, facebookPostPermalink, postPermalink } from './post-records.ts'
import { disconnectedSentence, isConnected } from './profile-connections.ts'
import { newChat, newMessage, withInbound, type Participant } from './records.ts'
import { requireReplyTarget } from './reply-target.ts'
import { paintArtwork, type Scene } from './scenarios/artwork.ts'
import type { SimState } from './state.ts'

/** What Meta reports about a participant on Instagram once they have written, when a test gives nothing. */
const DEFAULT_SIGNALS: ChatMetadata = {
  is_verified_user: false,
  follower_count: 0,
  is_user_follow_business: false,
  is_business_follow_user: false
}
const SIGNAL_KEYS = Object.keys(DEFAULT_SIGNALS)

/** The chat's metadata after an inbound message: Instagram's participant signals, which Meta gives nowhere else. */
function metadataAfterInbound(platform: string, current: ChatMetadata | null | undefined, given: Record<string, unknown> | null | undefined): ChatMetadata {
  if (platform === 'instagram') return { ...DEFAULT_SIGNALS, ...(current ?? {}), ...(given ?? {}) }
  const merged: Record<string, unknown> = { ...(current ?? {}), ...(given ?? {}) }
  for (const key of SIGNAL_KEYS) delete merged[key]
  return merged as ChatMetadata
}

export interface ReferralInput {
  participant_external_id: string
  participant_username?: string | null
  participant_name?: string | null
  ref?: string | null
  source?: string | null
  type?: string | null
}

export interface PostInput {
  caption?: string | null
  /** A public image URL; omitted: the simulator paints one and serves it. */
  image_url?: string | null
  /** Defaults to now (simulated). */
  created_at?: string | null
  /** Reuse this id (older callers of /_sim/comments named posts the simulator did not know). */
  id?: string
}

/** The pictures of posts made through the control API, in turn. */
const POST_SCENES: readonly Scene[] = ['mug', 'bowl', 'vase', 'plate']

export class SimulatorControl implements SimControl {
  #state: SimState
  #clock: SimulatedClock
  #webhooks: WebhookDispatcher
  #paintedPosts = 0

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
    const profile = this.#reachableProfile(account, profileId, 'receive messages')
    if ((input.story_reply || input.story_mention) && profile.platform !== 'instagram') {
      throw unprocessable([`Story replies and story mentions exist on Instagram only, not on ${platformName(profile.platform)}.`])
    }
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
      const replyTo = input.reply_to_external_id ? requireReplyTarget(this.#state, account, chat.id, input.reply_to_external_id) : null
      const message = newMessage({
        chat_id: chat.id,
        direction: 'inbound',
        status: 'received',
        created_at: now,
        body: input.body ?? null,
        attachments,
        external_id: newMetaMessageId(profile.platform),
        external_posted_at: now,
        platform_data: input.story_reply ? { story_reply: { id: input.story_reply.id, url: input.story_reply.url } } : null,
        reply_to_external_id: replyTo?.external_id ?? null,
        tapped_action: input.tapped_action ?? null
      })
      const metadata = metadataAfterInbound(profile.platform, chat.metadata, input.metadata)
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

  /**
   * A participant reacts to (or takes back their reaction to) a message. `emoji` defaults to ❤️; it is
   * named as Meta names it on the platform (Instagram: `love` or `other`; Messenger: `like`, `wow`, …).
   */
  userReaction(account: AccountId, messageId: string, action: 'react' | 'unreact', emoji: string = LOVE_EMOJI): Message {
    const { message, chat } = this.#messageWithChat(account, messageId)
    this.#reachableProfile(account, chat.profile_id, 'receive reactions')
    const sender = chat.participant_external_id
    const others = (message.reactions ?? []).filter((reaction) => reaction.sender_external_id !== sender)
    const at = this.#clock.nowIso()
    const reaction: MessageReaction = { sender_external_id: sender, emoji, reaction: reactionNameForEmoji(emoji, chat.platform), at }
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

  /** The participant unsends one of their messages (Instagram: Meta reports no unsend on Messenger). */
  unsend(account: AccountId, messageId: string): Message {
    const { chat } = this.#messageWithChat(account, messageId)
    if (chat.platform !== 'instagram') {
      throw unprocessable([`Unsent messages are reported on Instagram only, not on ${platformName(chat.platform)}.`])
    }
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
    this.#reachableProfile(account, profileId, 'receive referrals')
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

  /** The business publishes a post on the profile (what the demo's posts are; tests make their own). */
  createPost(account: AccountId, profileId: string, input: PostInput = {}): SimPost {
    const profile = this.#connectedProfile(account, profileId, 'publish posts')
    const createdAt = isoOrNow(input.created_at, 'Created at', this.#clock.nowIso())
    if (input.image_url !== undefined && input.image_url !== null && !/^https?:\/\//.test(input.image_url)) {
      throw unprocessable(['Image url must be an http(s) URL.'])
    }
    return this.#state.transaction(() => {
      let media: SimPost['media'] = []
      if (input.image_url) media = [{ id: newId('med'), url: input.image_url, content_type: 'image/jpeg' }]
      else {
        const scene = POST_SCENES[this.#paintedPosts++ % POST_SCENES.length]
        const mediaId = newId('med')
        this.#state.putMedia(account, mediaId, paintArtwork({ scene, glaze: 'sage', backdrop: 'cream' }, `post-${scene}.png`))
        media = [{ id: mediaId, url: this.#state.urls.media(mediaId), content_type: 'image/png' }]
      }
      const externalId = profile.platform === 'facebook' ? newFacebookPostId(businessSenderId(profile)) : newInstagramMediaId()
      const post: SimPost = {
        id: input.id ?? newId('post'),
        profile_id: profile.id,
        platform: profile.platform,
        external_id: externalId,
        caption: input.caption ?? null,
        media,
        permalink: profile.platform === 'facebook' ? facebookPostPermalink(externalId) : postPermalink(profile.platform, newShortcode()),
        created_at: createdAt
      }
      this.#state.posts.putPost(account, post)
      return post
    })
  }

  /**
   * A participant comments on a post of the profile (its newest when none is named), or replies to a
   * comment; emits comment.created. Replies thread one level deep, as on Instagram: a reply to a
   * reply joins the top-level comment's thread.
   */
  createComment(account: AccountId, profileId: string, input: CommentInput): SimComment {
    requireParticipant(input.participant_external_id)
    this.#connectedProfile(account, profileId, 'receive comments')
    if (typeof input.text !== 'string' || input.text.trim() === '') throw unprocessable(["Text can't be blank."])
    const createdAt = isoOrNow(input.created_at, 'Created at', this.#clock.nowIso())
    return this.#state.transaction(() => {
      const post = this.#postForComment(account, profileId, input.post_id ?? null, createdAt)
      const parentExternalId = input.parent_id ? this.#threadOf(account, post, input.parent_id) : null
      const chat = this.#state.chatWithParticipant(account, profileId, input.participant_external_id)
      const externalId = post.platform === 'facebook' ? newFacebookCommentId(post.external_id) : newInstagramCommentId()
      const comment: SimComment = {
        id: newId('cmt'),
        external_id: externalId,
        post_id: post.id,
        profile_id: profileId,
        platform: post.platform,
        parent_external_id: parentExternalId,
        body: input.text,
        author_external_id: input.participant_external_id,
        author_username: input.participant_username ?? chat?.participant_username ?? null,
        author_name: input.participant_name ?? chat?.participant_name ?? null,
        author_avatar_url: input.participant_avatar_url ?? chat?.participant_avatar_url ?? null,
        from_business: false,
        like_count: 0,
        liked_by_business: false,
        is_hidden: false,
        permalink: commentPermalink(post.permalink, externalId, post.platform),
        posted_at: createdAt,
        created_at: createdAt
      }
      this.#state.posts.putComment(account, comment)
      this.#webhooks.emit(account, COMMENT_CREATED_EVENT, { ...commentCreatedData(comment, post, 0) })
      return comment
    })
  }

  recentPosts(account: AccountId, profileId: string, limit: number): SimPost[] {
    return this.#state.posts.recentPosts(account, profileId, limit)
  }

  recentComments(account: AccountId, postId: string, limit: number): SimComment[] {
    if (!this.#state.posts.post(account, postId)) throw notFound()
    return this.#state.posts.topLevelPage(postId, { fromMs: null, toMs: null }, 0, limit).data
  }

  /**
   * The post a comment goes on: the one named (a name the simulator does not know becomes a post of
   * the profile, so older callers that made up post ids keep working), else the profile's newest.
   */
  #postForComment(account: AccountId, profileId: string, postId: string | null, createdAt: string): SimPost {
    if (postId) {
      const named = this.#state.posts.post(account, postId)
      if (named && named.profile_id !== profileId) throw unprocessable([`Post id ${postId} is a post of another profile.`])
      if (named) return named
      return this.createPost(account, profileId, { id: postId, created_at: createdAt })
    }
    return this.#state.posts.recentPosts(account, profileId, 1)[0] ?? this.createPost(account, profileId, { created_at: createdAt })
  }

  /** The thread a reply to `parentId` (hashid or Instagram id) joins. */
  #threadOf(account: AccountId, post: SimPost, parentId: string): string {
    const thread = this.#state.posts.threadFor(account, post.id, parentId)
    if (thread === null) throw unprocessable([`Parent id ${parentId} does not name a comment on post ${post.id}.`])
    return thread
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

  /** The profile, if the platform would deliver `what` to Postproxy through it now; 422 naming why not. */
  #connectedProfile(account: AccountId, profileId: string, what: string): Profile {
    const profile = this.#state.profile(account, profileId)
    if (!profile) throw notFound()
    if (!isConnected(profile)) throw unprocessable([disconnectedSentence(profile, what)])
    return profile
  }

  /** A connected profile on a platform with direct messages. */
  #reachableProfile(account: AccountId, profileId: string, what: string): Profile {
    const profile = this.#connectedProfile(account, profileId, what)
    if (!(DM_PLATFORMS as readonly string[]).includes(profile.platform)) {
      throw unprocessable([`Profile ${profile.id} is on ${profile.platform}, which has no direct messages in Postproxy.`])
    }
    return profile
  }

  #messageWithChat(account: AccountId, messageId: string): { message: Message; chat: Chat } {
    const message = this.#state.message(account, messageId)
    const chat = message && this.#state.chat(account, message.chat_id)
    if (!message || !chat) throw notFound()
    return { message, chat }
  }

  #publishedOutbound(account: AccountId, messageId: string, what: string): Message {
    const { message, chat } = this.#messageWithChat(account, messageId)
    this.#reachableProfile(account, chat.profile_id, `receive ${what}`)
    if (message.direction !== 'outbound' || message.status !== 'published') {
      throw unprocessable([`Only published outbound messages get ${what}; this one is ${message.direction} and ${message.status}.`])
    }
    return message
  }

  #inbound(account: AccountId, messageId: string, what: string): Message {
    const { message, chat } = this.#messageWithChat(account, messageId)
    this.#reachableProfile(account, chat.profile_id, 'receive changes to messages')
    if (message.direction !== 'inbound') throw unprocessable([`Only the participant's own (inbound) messages can be ${what}.`])
    return message
  }
}

function requireParticipant(value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') throw unprocessable(["Participant external id can't be blank."])
}

/** An ISO 8601 timestamp given by a caller, normalised; `fallback` when absent. */
function isoOrNow(value: string | null | undefined, field: string, fallback: string): string {
  if (value === undefined || value === null) return fallback
  if (Number.isNaN(Date.parse(value))) throw unprocessable([`${field} must be an ISO 8601 timestamp.`])
  return new Date(value).toISOString()
}

// The seams inside the simulator: the HTTP server (server, state, endpoints, control API) on one
// side; webhook delivery and scenario data on the other. Each side depends only on these types.
import type Database from 'better-sqlite3'
import type { Chat, Message, Profile, Webhook, WebhookDelivery, Page } from '../shared/postproxy.ts'
import type { IceBreaker, TappedAction } from '../shared/postproxy-interactive.ts'

/** The simulator's clock: real time plus an offset that the control API can advance. */
export interface SimClock {
  /** Milliseconds since the epoch, simulated. */
  now(): number
}

/** An account is what one API key sees (per-key scoping: anything else is 404). */
export type AccountId = string

export interface WebhookInput {
  url: string
  events: string[]
  description?: string | null
  enabled?: boolean
}

export interface WebhookDispatcherOptions {
  /** The simulator's database; the dispatcher creates and owns its own tables in it. */
  db: Database.Database
  clock: SimClock
  /**
   * Multiplies the documented retry schedule (now, +1 min, +5 min, +30 min, +2 h) so tests can run
   * it in milliseconds. 1 = real time.
   */
  retryDelayScale?: number
  /** A delivery that takes longer than this is a failure (documented: 30 s). */
  deliveryTimeoutMs?: number
}

export interface WebhookDispatcher {
  /** Validates the input (422 messages as `WebhookInputError`) and returns the webhook with its `secret`. */
  create(account: AccountId, input: WebhookInput): Webhook
  list(account: AccountId): Webhook[]
  get(account: AccountId, id: string): Webhook | null
  update(account: AccountId, id: string, patch: Partial<WebhookInput>): Webhook | null
  remove(account: AccountId, id: string): boolean
  deliveries(account: AccountId, webhookId: string, page: number, perPage: number): Page<WebhookDelivery> | null
  /**
   * Builds the envelope `{id: "evt_…", object: "event", type, created_at, data}` and delivers it to
   * every enabled webhook of the account subscribed to `type` (or "*"), asynchronously, with retries.
   * For message events `data` holds the Message under both `message` and `object`.
   */
  emit(account: AccountId, type: string, data: Record<string, unknown>): void
  /** Resolves once no delivery is in flight or scheduled within `withinMs` (tests). */
  idle(withinMs?: number): Promise<void>
  close(): Promise<void>
}

export class WebhookInputError extends Error {
  readonly errors: string[]
  constructor(errors: string[]) {
    super(errors.join('; '))
    this.name = 'WebhookInputError'
    this.errors = errors
  }
}

/**
 * A post of the profile group as the simulator keeps it: published to one profile. The wire Post
 * (`GET /api/posts`) is built from it (simulator/post-records.ts).
 */
export interface SimPost {
  /** `post_…` */
  id: string
  profile_id: string
  platform: string
  /** The platform's id for the post (Instagram media id): `platform_post_id` in comment.created. */
  external_id: string
  caption: string | null
  /** Images the simulator serves (`/media/<id>` paths) or public URLs. */
  media: { id: string; url: string; content_type: string }[]
  permalink: string | null
  /** When it was published. */
  created_at: string
}

/**
 * A comment on a post as the simulator keeps it. The wire shapes (Comment with `replies`, the flat
 * BulkComment, comment.created's data) are built from it (simulator/comment-records.ts).
 */
export interface SimComment {
  /** `cmt_…` */
  id: string
  /** Instagram's comment id: numeric, what a private reply's `external_comment_id` names. */
  external_id: string
  post_id: string
  profile_id: string
  platform: string
  /** Set on a reply: the top-level comment's `external_id` (Instagram threads one level deep). */
  parent_external_id: string | null
  body: string
  author_external_id: string
  author_username: string | null
  author_name: string | null
  author_avatar_url: string | null
  /** Written by the business itself (a public reply through the API): the only ones it may delete. */
  from_business: boolean
  like_count: number
  liked_by_business: boolean
  is_hidden: boolean
  permalink: string | null
  /** When the person posted it on the platform. */
  posted_at: string
  /** When Postproxy received it: what `from` / `to` filter on. */
  created_at: string
}

/** What a participant's comment carries (the control API's `POST /_sim/comments`, personas). */
export interface CommentInput {
  participant_external_id: string
  participant_username?: string | null
  participant_name?: string | null
  participant_avatar_url?: string | null
  text: string
  /** A post of the profile; omitted: the profile's newest post. */
  post_id?: string | null
  /** A reply to this comment (its hashid or `external_id`). */
  parent_id?: string | null
  /** Defaults to now (simulated). */
  created_at?: string | null
}

/** A media file the simulator stores and serves at a stable URL, as Postproxy mirrors media. */
export interface SimMedia {
  mime: string
  bytes: Uint8Array
  filename?: string
}

/** Where a scenario writes its data. The server implements it over its state. */
export interface ScenarioSink {
  profile(profile: Profile): void
  chat(chat: Chat): void
  /** Attachments may point at media stored with `media()`. */
  message(message: Message): void
  post(post: SimPost): void
  /** Comments after their post, replies after their parent. */
  comment(comment: SimComment): void
  iceBreakers(profileId: string, iceBreakers: IceBreaker[]): void
  /** Stores a media file and returns its public URL. */
  media(id: string, media: SimMedia): string
}

export interface ScenarioOptions {
  account: AccountId
  profileId: string
  clock: SimClock
  seed: number
}

export interface ScaleOptions extends ScenarioOptions {
  chats: number
  messagesPerChat: number
}

/** What an inbound injection may carry (also the control API's body). */
export interface InboundInput {
  participant_external_id: string
  participant_username?: string | null
  participant_name?: string | null
  participant_avatar_url?: string | null
  metadata?: Record<string, unknown> | null
  body?: string | null
  /** An attachment: stored media, or an existing URL. */
  media?: (SimMedia & { type?: string }) | { url: string; type?: string } | null
  story_reply?: { id: string; url: string } | null
  /** A story mention: the story asset, mirrored by the simulator. */
  story_mention?: SimMedia | { url: string } | null
  /** The `external_id` of a message in the same chat that this one answers. */
  reply_to_external_id?: string | null
  /** Set when the message is a tap on a quick reply, a button or an ice breaker. */
  tapped_action?: TappedAction | null
}

/** The control operations personas drive; the same ones the `/_sim/` control API exposes. */
export interface SimControl {
  injectInbound(account: AccountId, profileId: string, input: InboundInput): Message
  /** `emoji` defaults to ❤️. */
  userReaction(account: AccountId, messageId: string, action: 'react' | 'unreact', emoji?: string): Message
  markDelivered(account: AccountId, messageId: string): Message
  markRead(account: AccountId, messageId: string): Message
  unsend(account: AccountId, messageId: string): Message
  listChats(account: AccountId, profileId: string): Chat[]
  /** Newest first. */
  listMessages(account: AccountId, chatId: string, limit: number): Message[]
  /** A participant comments on a post (or replies to a comment); emits comment.created. */
  createComment(account: AccountId, profileId: string, input: CommentInput): SimComment
  /** The profile's posts, newest first. */
  recentPosts(account: AccountId, profileId: string, limit: number): SimPost[]
  /** A post's top-level comments, newest first. */
  recentComments(account: AccountId, postId: string, limit: number): SimComment[]
}

export interface PersonaOptions {
  account: AccountId
  profileId: string
  /** The profile's platform: on Messenger people have PSIDs, no signals, no stories, and react with any emoji. Default instagram. */
  platform?: string
  control: SimControl
  clock: SimClock
  seed: number
  /** Mean milliseconds between persona actions. */
  meanIntervalMs: number
}

// The seams inside the simulator: the HTTP server (server, state, endpoints, control API) on one
// side; webhook delivery and scenario data on the other. Each side depends only on these types.
import type Database from 'better-sqlite3'
import type { Chat, Message, Profile, Webhook, WebhookDelivery, Page } from '../shared/postproxy.ts'

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

/** A comment on one of the business's posts; the target of a private reply. */
export interface SimComment {
  id: string
  post_id: string
  profile_id: string
  participant_external_id: string
  participant_username: string | null
  participant_name: string | null
  text: string
  created_at: string
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
  comment(comment: SimComment): void
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
}

/** The control operations personas drive; the same ones the `/_sim/` control API exposes. */
export interface SimControl {
  injectInbound(account: AccountId, profileId: string, input: InboundInput): Message
  userReaction(account: AccountId, messageId: string, action: 'react' | 'unreact'): Message
  markDelivered(account: AccountId, messageId: string): Message
  markRead(account: AccountId, messageId: string): Message
  unsend(account: AccountId, messageId: string): Message
  listChats(account: AccountId, profileId: string): Chat[]
  /** Newest first. */
  listMessages(account: AccountId, chatId: string, limit: number): Message[]
}

export interface PersonaOptions {
  account: AccountId
  profileId: string
  control: SimControl
  clock: SimClock
  seed: number
  /** Mean milliseconds between persona actions. */
  meanIntervalMs: number
}

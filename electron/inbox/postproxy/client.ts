// The typed Postproxy DM API (POSTPROXY.md §5, §9): one method per endpoint, each response checked against
// the shared schemas. Wire concerns (auth, retries, timeouts, limits) live in transport.ts; the shape of
// a send in message-send.ts; answers that only acknowledge in acknowledgements.ts.
import type { z } from 'zod'
import {
  ChatPageSchema,
  ChatSchema,
  MessagePageSchema,
  MessageSchema,
  ProfileListSchema,
  ProfileSchema,
  WebhookDeliverySchema,
  WebhookSchema,
  listSchema,
  pageSchema,
  type Chat,
  type Message,
  type MessageDirection,
  type MessageStatus,
  type Page,
  type Profile,
  type Webhook,
  type WebhookDelivery
} from '../../../shared/postproxy.ts'
import {
  BulkCommentSchema,
  CommentSchema,
  PostSchema,
  type BulkComment,
  type Comment,
  type Post
} from '../../../shared/postproxy-comments.ts'
import { IceBreakersResponseSchema, type IceBreaker } from '../../../shared/postproxy-interactive.ts'
import { networkName, platformName } from '../../../shared/platforms.ts'
import {
  ACCEPTED,
  CommentActionResultSchema,
  DELETED,
  DeleteResultSchema,
  IceBreakersRemovedSchema,
  type CommentActionResult,
  type DeleteResult
} from './acknowledgements.ts'
import { sendMessageRequest, type MessageContent, type MessageExtras } from './message-send.ts'
import type { RequestBudget, RequestBudgetLoad, RequestPriority } from './request-budget.ts'
import {
  PostproxyTransport,
  type HttpMethod,
  type PostproxyTransportOptions,
  type RequestSpec,
  type TransportResponse
} from './transport.ts'

export interface PostproxyClientOptions extends PostproxyTransportOptions {
  /** Who a 422 on a DM call without a `platform` speaks for in user messages ("Instagram says: …"). Default "Instagram". */
  platformLabel?: string
}

export interface CallOptions {
  signal?: AbortSignal
  /** `background` for sync and catch-up work: it waits behind what the creator is waiting for. Default `interactive`. */
  priority?: RequestPriority
}

export interface WriteOptions extends CallOptions {
  /** Reuse the key of an earlier attempt (e.g. an outbox row) so Postproxy never acts twice. ≤ 255 chars. */
  idempotencyKey?: string
  /**
   * The platform of the chat (or comment) the call acts on: a 422 then speaks for it ("Facebook Messenger
   * says: …", "Facebook says: …" on a Page's comments). Without it, the client's `platformLabel`.
   */
  platform?: string
}

export interface PageOptions {
  /** Zero-based. */
  page?: number
  perPage?: number
}

export interface ListChatsOptions extends PageOptions, CallOptions {
  /** Only chats whose `last_message_at` is before / after this instant (exclusive). */
  before?: string | Date
  after?: string | Date
}

export interface ListMessagesOptions extends PageOptions, CallOptions {
  direction?: MessageDirection
  status?: MessageStatus
}

export interface ChatParticipant {
  participant_external_id: string
  participant_username?: string
  participant_name?: string
}

export interface SendMessageOptions extends WriteOptions, MessageExtras {}

export interface EditMessageInput {
  body?: string
  /** Telegram's keyboard markup, passed through as given. */
  replyMarkup?: Record<string, unknown>
}

export interface ListPostsOptions extends PageOptions, CallOptions {
  /** e.g. `["instagram"]`: only posts that went out there. */
  platforms?: readonly string[]
}

/** `from` / `to` filter on when Postproxy received the comment. */
export interface CommentWindow {
  from?: string | Date
  to?: string | Date
}

export interface ListPostCommentsOptions extends PageOptions, CommentWindow, CallOptions {}

export interface ListCommentsOptions extends PageOptions, CommentWindow, CallOptions {
  /** Profile ids; all of the group's when absent. */
  profiles?: readonly string[]
  postIds?: readonly string[]
}

export interface CreateCommentOptions extends WriteOptions {
  /** The comment this one answers, making it a reply. */
  parentId?: string
}

export interface WebhookInput {
  url: string
  /** DM event types, or `["*"]`. */
  events: string[]
  description?: string
}

export interface WebhookPatch {
  url?: string
  events?: string[]
  description?: string | null
  enabled?: boolean
}

const WebhookListSchema = listSchema(WebhookSchema)
const WebhookDeliveryPageSchema = pageSchema(WebhookDeliverySchema)
const PostPageSchema = pageSchema(PostSchema)
const CommentPageSchema = pageSchema(CommentSchema)
const BulkCommentPageSchema = pageSchema(BulkCommentSchema)

const id = (value: string) => encodeURIComponent(value)

function isoInstant(value: string | Date | undefined): string | undefined {
  return value instanceof Date ? value.toISOString() : value
}

/** Several values of one query parameter, as the SDKs send them: comma-separated. */
function commaList(values: readonly string[] | undefined): string | undefined {
  return values === undefined || values.length === 0 ? undefined : values.join(',')
}

const commentPath = (postId: string, commentId: string) => `/api/posts/${id(postId)}/comments/${id(commentId)}`

export class PostproxyClient {
  readonly #transport: PostproxyTransport
  readonly #platformLabel: string

  constructor(options: PostproxyClientOptions) {
    this.#transport = new PostproxyTransport(options)
    this.#platformLabel = options.platformLabel ?? 'Instagram'
  }

  /** Requests on the wire and calls waiting for their turn. */
  get load(): RequestBudgetLoad {
    return this.#transport.load
  }

  /** The API key's request budget (pace, 429s seen); pass it to another client of the same key to share it. */
  get budget(): RequestBudget {
    return this.#transport.budget
  }

  // ---- profiles

  async listProfiles(options: CallOptions = {}): Promise<Profile[]> {
    const { data } = await this.#get('/api/profiles', ProfileListSchema, 'profile list', options)
    return data.data
  }

  async getProfile(profileId: string, options: CallOptions = {}): Promise<Profile> {
    return (await this.#get(`/api/profiles/${id(profileId)}`, ProfileSchema, 'profile', options)).data
  }

  // ---- chats

  async listChats(profileId: string, options: ListChatsOptions = {}): Promise<Page<Chat>> {
    const query = {
      page: options.page,
      per_page: options.perPage,
      before: isoInstant(options.before),
      after: isoInstant(options.after)
    }
    return (await this.#get(`/api/profiles/${id(profileId)}/chats`, ChatPageSchema, 'profile', options, query)).data
  }

  /** Finds the chat with this participant or creates it (which does not open the messaging window). */
  async findOrCreateChat(
    profileId: string,
    participant: ChatParticipant,
    options: WriteOptions = {}
  ): Promise<{ chat: Chat; created: boolean }> {
    const response = await this.#write('POST', `/api/profiles/${id(profileId)}/chats`, ChatSchema, 'profile', options, {
      json: participant,
      rejectedBy: this.#speaker(options)
    })
    return { chat: response.data, created: response.status === 201 }
  }

  /** By hashid or the platform's `external_conversation_id`. */
  async getChat(chatId: string, options: CallOptions = {}): Promise<Chat> {
    return (await this.#get(`/api/chats/${id(chatId)}`, ChatSchema, 'chat', options)).data
  }

  /** Bluesky only: on Instagram Postproxy answers 422 naming the platform (an inbox archives locally there). */
  async archiveChat(chatId: string, options: WriteOptions = {}): Promise<Chat> {
    return (await this.#write('POST', `/api/chats/${id(chatId)}/archive`, ChatSchema, 'chat', options, {})).data
  }

  async unarchiveChat(chatId: string, options: WriteOptions = {}): Promise<Chat> {
    return (await this.#write('DELETE', `/api/chats/${id(chatId)}/archive`, ChatSchema, 'chat', options, {})).data
  }

  // ---- messages

  async listMessages(chatId: string, options: ListMessagesOptions = {}): Promise<Page<Message>> {
    const query = { page: options.page, per_page: options.perPage, direction: options.direction, status: options.status }
    return (await this.#get(`/api/chats/${id(chatId)}/messages`, MessagePageSchema, 'chat', options, query)).data
  }

  /** By hashid or the platform's `external_id` (Meta `mid`). */
  async getMessage(messageId: string, options: CallOptions = {}): Promise<Message> {
    return (await this.#get(`/api/messages/${id(messageId)}`, MessageSchema, 'message', options)).data
  }

  /**
   * Queues a message; Postproxy answers 202 with it `pending`, and the outcome arrives later. Interactive
   * parts go on the JSON path only (see message-send.ts); a 422 carries Postproxy's sentence naming the
   * field, e.g. "buttons[1].url must be an https:// URL".
   */
  async sendMessage(chatId: string, content: MessageContent, options: SendMessageOptions = {}): Promise<Message> {
    const { tag, replyToExternalId, quickReplies, buttons, card } = options
    const request = sendMessageRequest(content, { tag, replyToExternalId, quickReplies, buttons, card })
    const path = `/api/chats/${id(chatId)}/messages`
    const response = await this.#write('POST', path, MessageSchema, 'chat', options, { ...request, rejectedBy: this.#speaker(options) })
    return response.data
  }

  /** Telegram only (and Bluesky has none): on Instagram Postproxy answers 422 naming the platform. */
  async editMessage(messageId: string, input: EditMessageInput, options: WriteOptions = {}): Promise<Message> {
    const json: Record<string, unknown> = {}
    if (input.body !== undefined) json.body = input.body
    if (input.replyMarkup !== undefined) json.reply_markup = input.replyMarkup
    return (await this.#write('PATCH', `/api/messages/${id(messageId)}`, MessageSchema, 'message', options, { json })).data
  }

  /** Instagram accepts only `love`; a second react replaces the first. */
  async react(messageId: string, reaction = 'love', options: WriteOptions = {}): Promise<Message> {
    const path = `/api/messages/${id(messageId)}/react`
    return (await this.#write('POST', path, MessageSchema, 'message', options, { json: { reaction }, rejectedBy: this.#speaker(options) })).data
  }

  async unreact(messageId: string, options: WriteOptions = {}): Promise<Message> {
    const path = `/api/messages/${id(messageId)}/unreact`
    return (await this.#write('DELETE', path, MessageSchema, 'message', options, { rejectedBy: this.#speaker(options) })).data
  }

  // ---- ice breakers (Instagram)

  async getIceBreakers(profileId: string, options: CallOptions = {}): Promise<IceBreaker[]> {
    return (await this.#get(`/api/profiles/${id(profileId)}/ice_breakers`, IceBreakersResponseSchema, 'profile', options)).data.ice_breakers
  }

  /** Replaces them all (1–4, see shared/interactive-rules.ts `checkIceBreakers`); returns them as Postproxy keeps them. */
  async setIceBreakers(profileId: string, iceBreakers: readonly IceBreaker[], options: WriteOptions = {}): Promise<IceBreaker[]> {
    const path = `/api/profiles/${id(profileId)}/ice_breakers`
    const response = await this.#write('PUT', path, IceBreakersResponseSchema, 'profile', options, {
      json: { ice_breakers: iceBreakers },
      rejectedBy: this.#speaker(options)
    })
    return response.data.ice_breakers
  }

  async deleteIceBreakers(profileId: string, options: WriteOptions = {}): Promise<DeleteResult> {
    const path = `/api/profiles/${id(profileId)}/ice_breakers`
    return (await this.#write('DELETE', path, IceBreakersRemovedSchema, 'profile', options, { emptyBodyValue: DELETED })).data
  }

  // ---- posts

  /** The profile group's posts. */
  async listPosts(options: ListPostsOptions = {}): Promise<Page<Post>> {
    const query = { page: options.page, per_page: options.perPage, platforms: commaList(options.platforms) }
    return (await this.#get('/api/posts', PostPageSchema, 'post', options, query)).data
  }

  async getPost(postId: string, options: CallOptions = {}): Promise<Post> {
    return (await this.#get(`/api/posts/${id(postId)}`, PostSchema, 'post', options)).data
  }

  // ---- comments

  /** A post's top-level comments, each with its `replies`. */
  async listPostComments(postId: string, profileId: string, options: ListPostCommentsOptions = {}): Promise<Page<Comment>> {
    const query = { profile_id: profileId, ...pageQuery(options), ...windowQuery(options) }
    return (await this.#get(`/api/posts/${id(postId)}/comments`, CommentPageSchema, 'post', options, query)).data
  }

  /** Every comment across the group's posts, flat (a reply is its own entry, linked by `parent_external_id`). */
  async listComments(options: ListCommentsOptions = {}): Promise<Page<BulkComment>> {
    const query = {
      profiles: commaList(options.profiles),
      post_ids: commaList(options.postIds),
      ...windowQuery(options),
      ...pageQuery(options)
    }
    return (await this.#get('/api/comments', BulkCommentPageSchema, 'comment', options, query)).data
  }

  async getComment(postId: string, commentId: string, profileId: string, options: CallOptions = {}): Promise<Comment> {
    return (await this.#get(commentPath(postId, commentId), CommentSchema, 'comment', options, { profile_id: profileId })).data
  }

  /** A public comment on the post, or a reply with `parentId`. Postproxy answers with the comment (pending). */
  async createComment(postId: string, profileId: string, text: string, options: CreateCommentOptions = {}): Promise<Comment> {
    const json = options.parentId !== undefined ? { text, parent_id: options.parentId } : { text }
    const response = await this.#write('POST', `/api/posts/${id(postId)}/comments`, CommentSchema, 'post', options, {
      json,
      query: { profile_id: profileId },
      rejectedBy: this.#speaker(options, networkName)
    })
    return response.data
  }

  /** The business's own comments only. */
  deleteComment(postId: string, commentId: string, profileId: string, options: WriteOptions = {}): Promise<CommentActionResult> {
    return this.#commentAction('DELETE', commentPath(postId, commentId), profileId, options)
  }

  hideComment(postId: string, commentId: string, profileId: string, options: WriteOptions = {}): Promise<CommentActionResult> {
    return this.#commentAction('POST', `${commentPath(postId, commentId)}/hide`, profileId, options)
  }

  unhideComment(postId: string, commentId: string, profileId: string, options: WriteOptions = {}): Promise<CommentActionResult> {
    return this.#commentAction('POST', `${commentPath(postId, commentId)}/unhide`, profileId, options)
  }

  likeComment(postId: string, commentId: string, profileId: string, options: WriteOptions = {}): Promise<CommentActionResult> {
    return this.#commentAction('POST', `${commentPath(postId, commentId)}/like`, profileId, options)
  }

  unlikeComment(postId: string, commentId: string, profileId: string, options: WriteOptions = {}): Promise<CommentActionResult> {
    return this.#commentAction('POST', `${commentPath(postId, commentId)}/unlike`, profileId, options)
  }

  /**
   * Answers a comment in DMs: up to 7 days after it, once per comment, even outside the 24 h window. The
   * pending Message's `external_comment_id` is the comment's Instagram id (`external_id`), not `commentId`.
   */
  async privateReply(
    postId: string,
    commentId: string,
    profileId: string,
    text: string,
    options: WriteOptions = {}
  ): Promise<Message> {
    const response = await this.#write('POST', `${commentPath(postId, commentId)}/private_reply`, MessageSchema, 'comment', options, {
      json: { text },
      query: { profile_id: profileId },
      rejectedBy: this.#speaker(options)
    })
    return response.data
  }

  // ---- webhooks

  /** The result holds the signing `secret` (whsec_…): hand it to the keychain, nowhere else. */
  async createWebhook(input: WebhookInput, options: WriteOptions = {}): Promise<Webhook> {
    return (await this.#write('POST', '/api/webhooks', WebhookSchema, 'webhook', options, { json: input })).data
  }

  async listWebhooks(options: CallOptions = {}): Promise<Webhook[]> {
    return (await this.#get('/api/webhooks', WebhookListSchema, 'webhook list', options)).data.data
  }

  async getWebhook(webhookId: string, options: CallOptions = {}): Promise<Webhook> {
    return (await this.#get(`/api/webhooks/${id(webhookId)}`, WebhookSchema, 'webhook', options)).data
  }

  async updateWebhook(webhookId: string, patch: WebhookPatch, options: WriteOptions = {}): Promise<Webhook> {
    const path = `/api/webhooks/${id(webhookId)}`
    return (await this.#write('PATCH', path, WebhookSchema, 'webhook', options, { json: patch })).data
  }

  async deleteWebhook(webhookId: string, options: WriteOptions = {}): Promise<DeleteResult> {
    const path = `/api/webhooks/${id(webhookId)}`
    const response = await this.#write('DELETE', path, DeleteResultSchema, 'webhook', options, {
      emptyBodyValue: DELETED
    })
    return response.data
  }

  async listWebhookDeliveries(
    webhookId: string,
    options: PageOptions & CallOptions = {}
  ): Promise<Page<WebhookDelivery>> {
    const query = { page: options.page, per_page: options.perPage }
    const path = `/api/webhooks/${id(webhookId)}/deliveries`
    return (await this.#get(path, WebhookDeliveryPageSchema, 'webhook', options, query)).data
  }

  // ---- plumbing

  async #commentAction(method: 'POST' | 'DELETE', path: string, profileId: string, options: WriteOptions): Promise<CommentActionResult> {
    const response = await this.#write(method, path, CommentActionResultSchema, 'comment', options, {
      query: { profile_id: profileId },
      emptyBodyValue: ACCEPTED,
      rejectedBy: this.#speaker(options, networkName)
    })
    return response.data
  }

  #get<T>(
    path: string,
    schema: z.ZodType<T>,
    resource: string,
    options: CallOptions,
    query?: RequestSpec<T>['query']
  ): Promise<TransportResponse<T>> {
    return this.#transport.request({
      method: 'GET',
      path,
      query,
      schema,
      resource,
      rejectedBy: 'Postproxy',
      signal: options.signal,
      priority: options.priority
    })
  }

  /** Who a 422 speaks for: the call's platform (named for DMs, or `name` it otherwise), else the client's label. */
  #speaker(options: WriteOptions, name: (platform: string) => string = platformName): string {
    return options.platform ? name(options.platform) : this.#platformLabel
  }

  #write<T>(
    method: Exclude<HttpMethod, 'GET'>,
    path: string,
    schema: z.ZodType<T>,
    resource: string,
    options: WriteOptions,
    extra: Partial<Pick<RequestSpec<T>, 'json' | 'multipart' | 'query' | 'emptyBodyValue' | 'rejectedBy'>>
  ): Promise<TransportResponse<T>> {
    return this.#transport.request({
      method,
      path,
      schema,
      resource,
      rejectedBy: 'Postproxy',
      ...extra,
      idempotencyKey: options.idempotencyKey,
      signal: options.signal,
      priority: options.priority
    })
  }
}

function pageQuery(options: PageOptions): { page?: number; per_page?: number } {
  return { page: options.page, per_page: options.perPage }
}

function windowQuery(options: CommentWindow): { from?: string; to?: string } {
  return { from: isoInstant(options.from), to: isoInstant(options.to) }
}

export function createPostproxyClient(options: PostproxyClientOptions): PostproxyClient {
  return new PostproxyClient(options)
}

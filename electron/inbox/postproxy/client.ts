// The typed Postproxy DM API (POSTPROXY.md §5): one method per endpoint, each response checked against
// the shared schemas. Wire concerns (auth, retries, timeouts, limits) live in transport.ts.
import { z } from 'zod'
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
import type { MessageTag } from '../../../shared/messaging-window.ts'
import { encodeMultipart } from './multipart.ts'
import {
  PostproxyTransport,
  type HttpMethod,
  type PostproxyTransportOptions,
  type RequestSpec,
  type TransportResponse
} from './transport.ts'

export interface PostproxyClientOptions extends PostproxyTransportOptions {
  /** Who a 422 on a DM call speaks for in user messages ("Instagram says: …"). Default "Instagram". */
  platformLabel?: string
}

export interface CallOptions {
  signal?: AbortSignal
}

export interface WriteOptions extends CallOptions {
  /** Reuse the key of an earlier attempt (e.g. an outbox row) so Postproxy never acts twice. ≤ 255 chars. */
  idempotencyKey?: string
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

/** A file sent as the multipart part `media[]`. */
export interface MediaFile {
  bytes: Uint8Array
  filename: string
  mime: string
}

/** A public URL, a base64 `data:` URI, or a file. */
export type MediaItem = string | MediaFile

/** Text or one media item, never both (Postproxy answers 422 otherwise). */
export type MessageContent = { body: string; media?: undefined } | { media: MediaItem; body?: undefined }

export interface SendMessageOptions extends WriteOptions {
  tag?: MessageTag
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

export const DeleteResultSchema = z.looseObject({ deleted: z.literal(true) })
export type DeleteResult = z.infer<typeof DeleteResultSchema>

const WebhookListSchema = listSchema(WebhookSchema)
const WebhookDeliveryPageSchema = pageSchema(WebhookDeliverySchema)

const id = (value: string) => encodeURIComponent(value)

function isoInstant(value: string | Date | undefined): string | undefined {
  return value instanceof Date ? value.toISOString() : value
}

export class PostproxyClient {
  readonly #transport: PostproxyTransport
  readonly #platformLabel: string

  constructor(options: PostproxyClientOptions) {
    this.#transport = new PostproxyTransport(options)
    this.#platformLabel = options.platformLabel ?? 'Instagram'
  }

  /** Requests on the wire and calls waiting for a slot. */
  get load(): { active: number; waiting: number } {
    return this.#transport.load
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
      rejectedBy: this.#platformLabel
    })
    return { chat: response.data, created: response.status === 201 }
  }

  /** By hashid or the platform's `external_conversation_id`. */
  async getChat(chatId: string, options: CallOptions = {}): Promise<Chat> {
    return (await this.#get(`/api/chats/${id(chatId)}`, ChatSchema, 'chat', options)).data
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

  /** Queues a message; Postproxy answers 202 with it `pending`, and the outcome arrives later. */
  async sendMessage(chatId: string, content: MessageContent, options: SendMessageOptions = {}): Promise<Message> {
    const hasBody = typeof content.body === 'string'
    const hasMedia = content.media !== undefined
    if (hasBody === hasMedia) throw new TypeError('sendMessage needs either body or media, not both and not neither')
    const path = `/api/chats/${id(chatId)}/messages`
    const tag = options.tag !== undefined ? { tag: options.tag } : {}
    const media = content.media
    const request =
      media !== undefined && typeof media !== 'string'
        ? {
            multipart: encodeMultipart([
              { name: 'media[]', filename: media.filename, mime: media.mime, bytes: media.bytes },
              ...(options.tag !== undefined ? [{ name: 'tag', value: options.tag }] : [])
            ])
          }
        : { json: media !== undefined ? { media: [media], ...tag } : { body: content.body, ...tag } }
    const response = await this.#write('POST', path, MessageSchema, 'chat', options, {
      ...request,
      rejectedBy: this.#platformLabel
    })
    return response.data
  }

  /** Instagram accepts only `love`; a second react replaces the first. */
  async react(messageId: string, reaction = 'love', options: WriteOptions = {}): Promise<Message> {
    const path = `/api/messages/${id(messageId)}/react`
    return (await this.#write('POST', path, MessageSchema, 'message', options, { json: { reaction }, rejectedBy: this.#platformLabel })).data
  }

  async unreact(messageId: string, options: WriteOptions = {}): Promise<Message> {
    const path = `/api/messages/${id(messageId)}/unreact`
    return (await this.#write('DELETE', path, MessageSchema, 'message', options, { rejectedBy: this.#platformLabel })).data
  }

  /** Answers a comment in DMs: up to 7 days after it, once per comment, even outside the 24 h window. */
  async privateReply(
    postId: string,
    commentId: string,
    profileId: string,
    text: string,
    options: WriteOptions = {}
  ): Promise<Message> {
    const path = `/api/posts/${id(postId)}/comments/${id(commentId)}/private_reply`
    const response = await this.#write('POST', path, MessageSchema, 'comment', options, {
      json: { text },
      query: { profile_id: profileId },
      rejectedBy: this.#platformLabel
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
      emptyBodyValue: { deleted: true as const }
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
      signal: options.signal
    })
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
      signal: options.signal
    })
  }
}

export function createPostproxyClient(options: PostproxyClientOptions): PostproxyClient {
  return new PostproxyClient(options)
}

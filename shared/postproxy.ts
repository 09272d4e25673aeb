// The Postproxy DM objects (../shared/POSTPROXY.md §4, §6) as zod schemas.
// One definition serves the simulator (what it serves) and the client (what it accepts).
// Objects are `looseObject`s: Postproxy adds fields over time and we must keep, not drop, them.
import { z } from 'zod'
import { MessageButtonSchema, MessageCardSchema, QuickReplySchema, TappedActionSchema } from './postproxy-interactive.ts'

/** An ISO 8601 timestamp. Kept as the server's string; only its parseability is checked. */
export const IsoTimestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), {
  message: 'must be an ISO 8601 timestamp'
})

const nullableTimestamp = IsoTimestamp.nullable().optional()
const nullableString = z.string().nullable().optional()

export const DM_PLATFORMS = ['instagram', 'facebook', 'telegram', 'bluesky'] as const

export const ProfileSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullable().optional(),
  platform: z.string(),
  status: z.string(),
  profile_group_id: nullableString,
  expires_at: nullableTimestamp,
  avatar_url: nullableString,
  /** Posts Postproxy knows for the profile (SDK 1.11+); older answers leave it out. */
  post_count: z.number().int().nonnegative().nullable().optional()
})
export type Profile = z.infer<typeof ProfileSchema>

export const ReferralSchema = z.looseObject({
  ref: nullableString,
  source: nullableString,
  type: nullableString,
  received_at: nullableTimestamp
})

/** Participant signals from Meta; null or partial until the user has messaged. */
export const ChatMetadataSchema = z.looseObject({
  is_verified_user: z.boolean().nullable().optional(),
  follower_count: z.number().int().nonnegative().nullable().optional(),
  is_user_follow_business: z.boolean().nullable().optional(),
  is_business_follow_user: z.boolean().nullable().optional(),
  referral: ReferralSchema.nullable().optional(),
  last_referral_at: nullableTimestamp
})
export type ChatMetadata = z.infer<typeof ChatMetadataSchema>

export const ChatSchema = z.looseObject({
  id: z.string(),
  profile_id: z.string(),
  platform: z.string(),
  participant_external_id: z.string(),
  participant_username: nullableString,
  participant_name: nullableString,
  participant_avatar_url: nullableString,
  external_conversation_id: nullableString,
  last_inbound_at: nullableTimestamp,
  last_outbound_at: nullableTimestamp,
  last_message_at: nullableTimestamp,
  metadata: ChatMetadataSchema.nullable().optional(),
  /** Bluesky's server-side archive; Instagram has none (an inbox's archive there is local state). */
  archived: z.boolean().nullable().optional(),
  created_at: IsoTimestamp
})
export type Chat = z.infer<typeof ChatSchema>

export const ATTACHMENT_TYPES = ['image', 'video', 'audio', 'file', 'sticker', 'story_mention'] as const
export type KnownAttachmentType = (typeof ATTACHMENT_TYPES)[number]

export const AttachmentSchema = z.looseObject({
  id: z.string(),
  // Known types are listed above; an unknown type is kept and shown as a generic file.
  type: z.string(),
  url: nullableString,
  status: z.string().nullable().optional(),
  external_id: nullableString
})
export type Attachment = z.infer<typeof AttachmentSchema>

export const REACTIONS = ['love'] as const

export const MessageReactionSchema = z.looseObject({
  sender_external_id: nullableString,
  emoji: nullableString,
  reaction: nullableString,
  at: nullableTimestamp
})
export type MessageReaction = z.infer<typeof MessageReactionSchema>

export const MESSAGE_STATUSES = ['pending', 'published', 'failed_waiting_for_retry', 'failed', 'received'] as const
export const MessageStatusSchema = z.enum(MESSAGE_STATUSES)
export type MessageStatus = z.infer<typeof MessageStatusSchema>

export const MessageDirectionSchema = z.enum(['inbound', 'outbound'])
export type MessageDirection = z.infer<typeof MessageDirectionSchema>

export const ErrorDetailsSchema = z.looseObject({
  platform_error_code: z.union([z.number(), z.string()]).nullable().optional(),
  platform_error_subcode: z.union([z.number(), z.string()]).nullable().optional(),
  platform_error_message: nullableString
})

export const StoryReplySchema = z.looseObject({ id: nullableString, url: nullableString })

export const PlatformDataSchema = z.looseObject({
  story_reply: StoryReplySchema.nullable().optional()
})

export const MessageSchema = z.looseObject({
  id: z.string(),
  chat_id: z.string(),
  external_id: nullableString,
  direction: MessageDirectionSchema,
  body: nullableString,
  status: MessageStatusSchema,
  tag: nullableString,
  external_comment_id: nullableString,
  error_message: nullableString,
  error_details: ErrorDetailsSchema.nullable().optional(),
  platform_data: PlatformDataSchema.nullable().optional(),
  external_posted_at: nullableTimestamp,
  external_delivered_at: nullableTimestamp,
  external_read_at: nullableTimestamp,
  external_edited_at: nullableTimestamp,
  external_deleted_at: nullableTimestamp,
  /** The `external_id` of the message in the same chat that this one answers (shown quoted). */
  reply_to_external_id: nullableString,
  /** What the business sent with the message (§9); null, not [], when absent. */
  quick_replies: z.array(QuickReplySchema).nullable().optional(),
  buttons: z.array(MessageButtonSchema).nullable().optional(),
  card: MessageCardSchema.nullable().optional(),
  /** On an inbound message created by a tap on a quick reply, a button or an ice breaker. */
  tapped_action: TappedActionSchema.nullable().optional(),
  /** Telegram's keyboard markup; opaque here (Instagram never has it). */
  reply_markup: z.unknown().optional(),
  reactions: z.array(MessageReactionSchema).nullable().optional(),
  attachments: z.array(AttachmentSchema).nullable().optional(),
  is_unsupported: z.boolean().nullable().optional(),
  created_at: IsoTimestamp
})
export type Message = z.infer<typeof MessageSchema>

/** `{total, page, per_page, data}` (POSTPROXY.md §2). */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    total: z.number().int().nonnegative(),
    page: z.number().int().nonnegative(),
    per_page: z.number().int().positive(),
    data: z.array(item)
  })
}
export type Page<T> = { total: number; page: number; per_page: number; data: T[] }

/** `{data}` for unpaginated lists. */
export function listSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({ data: z.array(item) })
}

export const ChatPageSchema = pageSchema(ChatSchema)
export const MessagePageSchema = pageSchema(MessageSchema)
export const ProfileListSchema = listSchema(ProfileSchema)

export const DM_EVENT_TYPES = [
  'message.received',
  'message.sent',
  'message.delivered',
  'message.read',
  'message.edited',
  'message.deleted',
  'message.failed_waiting_for_retry',
  'message.failed',
  'reaction.received',
  'referral.received'
] as const
export type DmEventType = (typeof DM_EVENT_TYPES)[number]

/** A new comment on one of the profile group's posts (§9); the inbox stores it with its comments. */
export const COMMENT_CREATED_EVENT = 'comment.created'

/**
 * Every other event type in the SDKs' list (§6, §9): a webhook may subscribe to them, an inbox ignores
 * them. Unknown types beyond these must be ignored too, never crash.
 */
export const NON_INBOX_EVENT_TYPES = [
  'post.processed',
  'post.imported',
  'post.published',
  'platform_post.published',
  'platform_post.failed',
  'platform_post.failed_waiting_for_retry',
  'platform_post.insights',
  'profile.stats',
  'media.failed',
  'profile_comment.created'
] as const

/**
 * A profile's connection broke (token expired, removed) or came back / was added: the inbox shows which
 * profiles can send. Data: the SDKs' ProfileEventData.
 */
export const PROFILE_EVENT_TYPES = ['profile.connected', 'profile.disconnected'] as const

export const ProfileEventDataSchema = z.looseObject({
  id: z.string(),
  name: nullableString,
  platform: z.string(),
  profile_group_id: nullableString,
  status: z.string(),
  username: nullableString
})
export type ProfileEventData = z.infer<typeof ProfileEventDataSchema>

/** Every event type a webhook may subscribe to by name (besides "*"). */
export const POSTPROXY_EVENT_TYPES = [...DM_EVENT_TYPES, COMMENT_CREATED_EVENT, ...PROFILE_EVENT_TYPES, ...NON_INBOX_EVENT_TYPES] as const
export type PostproxyEventType = (typeof POSTPROXY_EVENT_TYPES)[number]

/** What an inbox subscribes its webhook to: the DM events, new comments and profiles' connections. */
export const INBOX_EVENT_TYPES = [...DM_EVENT_TYPES, COMMENT_CREATED_EVENT, ...PROFILE_EVENT_TYPES] as const

export const WebhookSchema = z.looseObject({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  description: nullableString,
  enabled: z.boolean().optional(),
  /** Present when the webhook is created (and on reads, in the simulator). Never stored by the app outside the keychain. */
  secret: z.string().optional(),
  created_at: IsoTimestamp.optional(),
  updated_at: IsoTimestamp.optional()
})
export type Webhook = z.infer<typeof WebhookSchema>

export const WebhookDeliverySchema = z.looseObject({
  id: z.string(),
  event_id: z.string(),
  event_type: z.string(),
  response_status: z.number().int().nullable(),
  attempt_number: z.number().int().positive(),
  success: z.boolean(),
  attempted_at: IsoTimestamp,
  created_at: IsoTimestamp.optional()
})
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>

/**
 * A webhook envelope. The SDKs read `data.message`; newer docs show `data.object`.
 * The simulator sends both; the client accepts either (see `envelopeMessage`).
 */
export const WebhookEnvelopeSchema = z.looseObject({
  id: z.string(),
  object: z.string().optional(),
  type: z.string(),
  created_at: IsoTimestamp,
  data: z.looseObject({})
})
export type WebhookEnvelope = z.infer<typeof WebhookEnvelopeSchema>

export const ReactionEventDataSchema = z.looseObject({
  sender_external_id: nullableString,
  action: z.enum(['react', 'unreact']),
  reaction: nullableString,
  emoji: nullableString,
  occurred_at: nullableTimestamp
})

export const ReferralEventDataSchema = z.looseObject({
  chat: ChatSchema.optional(),
  referral: ReferralSchema.optional()
})

/** The Message inside an envelope's data, under either key; null when neither holds a valid one. */
export function envelopeMessage(envelope: WebhookEnvelope): Message | null {
  for (const candidate of [envelope.data.message, envelope.data.object]) {
    const parsed = MessageSchema.safeParse(candidate)
    if (parsed.success) return parsed.data
  }
  return null
}

/** Error bodies (POSTPROXY.md §3) in all their shapes. */
export const ErrorBodySchema = z.looseObject({
  errors: z.array(z.string()).optional(),
  message: z.string().optional(),
  error: z.string().optional(),
  status: z.number().optional()
})

/**
 * What to tell a person about an error body: `errors[]` joined, then `message`, then `error`, then the
 * status text. Read field by field, so one field of an unexpected type (a numeric `status` sent as text,
 * `errors` as objects or as Rails' `{field: [sentences]}`) never hides the sentence in another.
 */
export function errorBodyMessage(body: unknown, statusText: string): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return statusText
  const { errors, message, error } = body as Record<string, unknown>
  const listed = errorSentences(errors)
  if (listed.length > 0) return listed.join('; ')
  if (isSentence(message)) return message
  if (isSentence(error)) return error
  return statusText
}

function isSentence(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== ''
}

/** `errors` as a list of sentences (or of `{message}` objects), one sentence, or `{field: [sentences]}`. */
function errorSentences(errors: unknown): string[] {
  if (isSentence(errors)) return [errors]
  if (Array.isArray(errors)) {
    return errors.flatMap((item) => {
      if (isSentence(item)) return [item]
      const nested = typeof item === 'object' && item !== null ? (item as { message?: unknown }).message : undefined
      return isSentence(nested) ? [nested] : []
    })
  }
  if (typeof errors === 'object' && errors !== null) {
    return Object.entries(errors).flatMap(([field, sentences]) =>
      (Array.isArray(sentences) ? sentences : [sentences]).filter(isSentence).map((sentence) => `${field} ${sentence}`)
    )
  }
  return []
}

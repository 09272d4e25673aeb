// Interactive direct messages (POSTPROXY.md §9): quick-reply chips, buttons and the card that carries
// them, the tap a participant makes on one of them, and Instagram's ice breakers. Schemas for what
// Postproxy echoes; the rules for what it accepts live in interactive-rules.ts.
import { z } from 'zod'

const nullableString = z.string().nullable().optional()

/** A chip above the participant's composer, gone once tapped. `content_type` is always "text" in answers. */
export const QuickReplySchema = z.looseObject({
  content_type: nullableString,
  title: z.string(),
  payload: z.string()
})
export type QuickReply = z.infer<typeof QuickReplySchema>

export const BUTTON_TYPES = ['web_url', 'postback'] as const
export type ButtonType = (typeof BUTTON_TYPES)[number]

/**
 * A button on the message, delivered as a Meta generic template. `type` stays a plain string so a new
 * Meta button type does not break parsing; `web_url` carries `url`, `postback` carries `payload`.
 */
export const MessageButtonSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  url: nullableString,
  payload: nullableString
})
export type MessageButton = z.infer<typeof MessageButtonSchema>

export const CardDefaultActionSchema = z.looseObject({ type: z.string(), url: z.string() })

/** The rest of the generic-template element that carries `buttons` (whose title is the message body). */
export const MessageCardSchema = z.looseObject({
  subtitle: nullableString,
  image_url: nullableString,
  default_action: CardDefaultActionSchema.nullable().optional()
})
export type MessageCard = z.infer<typeof MessageCardSchema>

/** `quick_reply` and `postback` on Meta platforms; Telegram's `callback_query` parses too. */
export const TAPPED_ACTION_KINDS = ['quick_reply', 'postback', 'callback_query'] as const

/** Set on an inbound message created by a tap on something the business sent (or an ice breaker). */
export const TappedActionSchema = z.looseObject({
  kind: z.string(),
  payload: nullableString,
  title: nullableString
})
export type TappedAction = z.infer<typeof TappedActionSchema>

/** An FAQ prompt Instagram shows when someone opens a chat with the business for the first time. */
export const IceBreakerSchema = z.looseObject({ question: z.string(), payload: z.string() })
export type IceBreaker = z.infer<typeof IceBreakerSchema>

/** `GET/PUT /api/profiles/:id/ice_breakers`. */
export const IceBreakersResponseSchema = z.looseObject({ ice_breakers: z.array(IceBreakerSchema) })

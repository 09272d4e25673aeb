// What Postproxy accepts in an interactive send (POSTPROXY.md §9): quick replies, buttons, a card, and
// ice breakers. The simulator answers 422 with exactly these sentences, and the app checks a draft with
// the same function, so a creator hears the server's own words before anything leaves the machine.
// Inputs are `unknown` on purpose: the simulator reads them from a request body.
import { platformName } from './platforms.ts'
import type { IceBreaker, MessageButton, MessageCard, QuickReply } from './postproxy-interactive.ts'

export { platformName } from './platforms.ts'

export const QUICK_REPLIES_MAX = 13
export const QUICK_REPLY_TITLE_MAX = 20
export const QUICK_REPLY_PAYLOAD_MAX = 1000
export const BUTTONS_MAX = 3
/** With buttons the body becomes the generic template's element title, which Meta caps at 80. */
export const BODY_WITH_BUTTONS_MAX = 80
export const CARD_SUBTITLE_MAX = 80
export const ICE_BREAKERS_MIN = 1
export const ICE_BREAKERS_MAX = 4
export const ICE_BREAKER_QUESTION_MAX = 80

/** The platforms whose DMs carry quick replies, buttons and cards (Meta's). */
export const INTERACTIVE_PLATFORMS = ['instagram', 'facebook'] as const

/** Length in characters as a person counts them (an emoji is one), not UTF-16 units. */
export function characterCount(text: string): number {
  return Array.from(text).length
}

export function isHttpsUrl(value: unknown): value is string {
  if (typeof value !== 'string' || !URL.canParse(value)) return false
  return new URL(value).protocol === 'https:'
}

export interface InteractiveSendInput {
  /** The chat's platform. */
  platform: string
  /** The text of the message; null or empty when there is none. */
  body: string | null
  hasMedia: boolean
  /** As given: undefined or null when absent. */
  quickReplies?: unknown
  buttons?: unknown
  card?: unknown
}

export interface InteractiveParts {
  /** Null (not []) when absent, as Postproxy echoes them. */
  quickReplies: QuickReply[] | null
  buttons: MessageButton[] | null
  card: MessageCard | null
}

export type InteractiveCheck = { ok: true; value: InteractiveParts } | { ok: false; errors: string[] }

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A required text field of an item: an error unless it is non-blank text within `max` characters. */
function requiredText(item: Record<string, unknown>, field: string, path: string, max: number | null, errors: string[]): string | null {
  const value = item[field]
  if (typeof value !== 'string' || value.trim() === '') {
    errors.push(`${path}.${field} can't be blank.`)
    return null
  }
  if (max !== null && characterCount(value) > max) {
    errors.push(`${path}.${field} must be at most ${max} characters (it has ${characterCount(value)}).`)
    return null
  }
  return value
}

/** A list of at most `max` objects; each item that is not an object is an error. */
function objectList(value: unknown, name: string, max: number, errors: string[]): Record<string, unknown>[] | null {
  if (!Array.isArray(value)) {
    errors.push(`${name} must be a list.`)
    return null
  }
  if (value.length > max) {
    errors.push(`${name} can have at most ${max} items; this message has ${value.length}.`)
    return null
  }
  const items: Record<string, unknown>[] = []
  value.forEach((item, index) => {
    if (isRecord(item)) items.push(item)
    else errors.push(`${name}[${index}] must be an object.`)
  })
  return items.length === value.length ? items : null
}

function checkQuickReplies(value: unknown, errors: string[]): QuickReply[] | null {
  const items = objectList(value, 'quick_replies', QUICK_REPLIES_MAX, errors)
  if (!items || items.length === 0) return null
  const replies: QuickReply[] = []
  items.forEach((item, index) => {
    const path = `quick_replies[${index}]`
    if (isPresent(item.content_type) && item.content_type !== 'text') errors.push(`${path}.content_type must be "text".`)
    const title = requiredText(item, 'title', path, QUICK_REPLY_TITLE_MAX, errors)
    const payload = requiredText(item, 'payload', path, QUICK_REPLY_PAYLOAD_MAX, errors)
    if (title !== null && payload !== null) replies.push({ content_type: 'text', title, payload })
  })
  return replies
}

function checkButtons(value: unknown, errors: string[]): MessageButton[] | null {
  const items = objectList(value, 'buttons', BUTTONS_MAX, errors)
  if (!items || items.length === 0) return null
  const buttons: MessageButton[] = []
  items.forEach((item, index) => {
    const path = `buttons[${index}]`
    const title = requiredText(item, 'title', path, null, errors)
    if (item.type === 'web_url') {
      if (!isHttpsUrl(item.url)) errors.push(`${path}.url must be an https:// URL`)
      else if (title !== null) buttons.push({ type: 'web_url', title, url: item.url, payload: null })
    } else if (item.type === 'postback') {
      const payload = requiredText(item, 'payload', path, null, errors)
      if (title !== null && payload !== null) buttons.push({ type: 'postback', title, url: null, payload })
    } else {
      errors.push(`${path}.type must be "web_url" or "postback".`)
    }
  })
  return buttons
}

function checkCard(value: unknown, errors: string[]): MessageCard | null {
  if (!isRecord(value)) {
    errors.push('card must be an object with subtitle, image_url or default_action.')
    return null
  }
  const before = errors.length
  const card: MessageCard = { subtitle: null, image_url: null, default_action: null }
  if (isPresent(value.subtitle)) {
    if (typeof value.subtitle !== 'string') errors.push('card.subtitle must be text.')
    else if (characterCount(value.subtitle) > CARD_SUBTITLE_MAX) {
      errors.push(`card.subtitle must be at most ${CARD_SUBTITLE_MAX} characters (it has ${characterCount(value.subtitle)}).`)
    } else card.subtitle = value.subtitle
  }
  if (isPresent(value.image_url)) {
    if (!isHttpsUrl(value.image_url)) errors.push('card.image_url must be an https:// URL')
    else card.image_url = value.image_url
  }
  if (isPresent(value.default_action)) {
    const action = value.default_action
    if (!isRecord(action)) errors.push('card.default_action must be an object with type "web_url" and a url.')
    else {
      if (action.type !== 'web_url') errors.push('card.default_action.type must be "web_url".')
      if (!isHttpsUrl(action.url)) errors.push('card.default_action.url must be an https:// URL')
      if (action.type === 'web_url' && isHttpsUrl(action.url)) card.default_action = { type: 'web_url', url: action.url }
    }
  }
  return errors.length === before ? card : null
}

/**
 * Checks the interactive parts of a send against §9: counts, lengths, https URLs, the 80-character body
 * with buttons, no buttons with media, a card only with buttons, and Instagram's "quick replies only on
 * plain text". Returns the normalized parts (what Postproxy echoes) or one sentence per problem.
 */
export function checkInteractiveSend(input: InteractiveSendInput): InteractiveCheck {
  const given = {
    quickReplies: isPresent(input.quickReplies),
    buttons: isPresent(input.buttons),
    card: isPresent(input.card)
  }
  if (!given.quickReplies && !given.buttons && !given.card) return { ok: true, value: { quickReplies: null, buttons: null, card: null } }

  if (!(INTERACTIVE_PLATFORMS as readonly string[]).includes(input.platform)) {
    const named = [given.quickReplies && 'quick_replies', given.buttons && 'buttons', given.card && 'card'].filter(Boolean).join(', ')
    return {
      ok: false,
      errors: [`${named} can be sent on Instagram and Facebook Messenger only; this chat is on ${platformName(input.platform)}.`]
    }
  }

  const errors: string[] = []
  const quickReplies = given.quickReplies ? checkQuickReplies(input.quickReplies, errors) : null
  const buttons = given.buttons ? checkButtons(input.buttons, errors) : null
  const card = given.card ? checkCard(input.card, errors) : null
  const hasButtons = given.buttons && Array.isArray(input.buttons) && input.buttons.length > 0

  if (hasButtons) {
    if (input.hasMedia) errors.push('buttons can\'t be combined with media; send the file as its own message.')
    const body = input.body ?? ''
    if (characterCount(body) > BODY_WITH_BUTTONS_MAX) {
      errors.push(`body must be at most ${BODY_WITH_BUTTONS_MAX} characters when buttons are present (it has ${characterCount(body)}).`)
    }
  }
  if (given.card && !hasButtons) errors.push('card requires buttons.')
  const hasQuickReplies = given.quickReplies && Array.isArray(input.quickReplies) && input.quickReplies.length > 0
  if (hasQuickReplies && input.platform === 'instagram' && (input.hasMedia || hasButtons)) {
    errors.push('quick_replies can be sent only on a plain-text message on Instagram (not with media or buttons).')
  }

  if (errors.length > 0) return { ok: false, errors }
  return { ok: true, value: { quickReplies, buttons, card: hasButtons ? card : null } }
}

export type IceBreakersCheck = { ok: true; value: IceBreaker[] } | { ok: false; errors: string[] }

/** `PUT /api/profiles/:id/ice_breakers`: 1–4 items, each a non-blank question of at most 80 characters and a payload. */
export function checkIceBreakers(value: unknown): IceBreakersCheck {
  if (!Array.isArray(value) || value.length < ICE_BREAKERS_MIN || value.length > ICE_BREAKERS_MAX) {
    const count = Array.isArray(value) ? ` (this request has ${value.length})` : ''
    return { ok: false, errors: [`ice_breakers must be a list of ${ICE_BREAKERS_MIN} to ${ICE_BREAKERS_MAX} items${count}.`] }
  }
  const errors: string[] = []
  const breakers: IceBreaker[] = []
  value.forEach((item, index) => {
    const path = `ice_breakers[${index}]`
    if (!isRecord(item)) {
      errors.push(`${path} must be an object with a question and a payload.`)
      return
    }
    const question = requiredText(item, 'question', path, ICE_BREAKER_QUESTION_MAX, errors)
    const payload = requiredText(item, 'payload', path, null, errors)
    if (question !== null && payload !== null) breakers.push({ question, payload })
  })
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: breakers }
}

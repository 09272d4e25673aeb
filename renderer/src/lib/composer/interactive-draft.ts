// The quick replies, buttons and card a creator is adding to a message, as the composer edits them, and
// their shape for `sendText` (Postproxy's wire names). A left-empty payload is derived from the title,
// so a creator who does not care about payloads still sends valid ones; the rules themselves are
// shared/interactive-rules.ts's, whose sentences the composer shows.
import type { MessageButton, MessageCard, QuickReply } from '../../../../shared/postproxy-interactive.ts'

export interface DraftQuickReply {
  title: string
  payload: string
}

export interface DraftButton {
  type: 'web_url' | 'postback'
  title: string
  /** The https:// link of a `web_url` button, the payload of a `postback` one. */
  value: string
}

export interface DraftCard {
  subtitle: string
  /** Where tapping the card itself goes (its default action). */
  link: string
}

export interface DraftParts {
  quickReplies: DraftQuickReply[]
  buttons: DraftButton[]
  card: DraftCard
}

export function emptyParts(): DraftParts {
  return { quickReplies: [], buttons: [], card: { subtitle: '', link: '' } }
}

export function hasParts(parts: DraftParts): boolean {
  return parts.quickReplies.length > 0 || parts.buttons.length > 0 || parts.card.subtitle.trim() !== '' || parts.card.link.trim() !== ''
}

/** "Saturday 10am" -> "SATURDAY_10AM": what a tap sends back when no payload was given. */
export function derivePayload(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '') // accents, split off by NFKD
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase()
    .slice(0, 100)
}

export interface SendParts {
  quickReplies: QuickReply[] | null
  buttons: MessageButton[] | null
  card: MessageCard | null
}

export function toSendParts(parts: DraftParts): SendParts {
  const quickReplies = parts.quickReplies.map((reply) => ({ title: reply.title, payload: reply.payload.trim() || derivePayload(reply.title) }))
  const buttons = parts.buttons.map((button) =>
    button.type === 'web_url'
      ? { type: 'web_url', title: button.title, url: button.value.trim() }
      : { type: 'postback', title: button.title, payload: button.value.trim() || derivePayload(button.title) }
  )
  const subtitle = parts.card.subtitle.trim()
  const link = parts.card.link.trim()
  const card = subtitle || link ? { subtitle: subtitle || null, default_action: link ? { type: 'web_url', url: link } : null } : null
  return { quickReplies: quickReplies.length > 0 ? quickReplies : null, buttons: buttons.length > 0 ? buttons : null, card }
}

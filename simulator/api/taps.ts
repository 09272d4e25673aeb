// POST /_sim/taps (control API): the participant taps something the business sent, or an ice
// breaker. Postproxy turns a tap into an inbound message whose body is the tapped title and whose
// `tapped_action` is `{kind, payload, title}` (§9); it emits message.received and, like any message
// from the participant, opens the 24-hour window. One of:
//   {message_id, quick_reply: i}                    a quick-reply chip of a sent message
//   {message_id, button: i}                         a postback button (a web_url button only opens a browser)
//   {participant_external_id, ice_breaker: i}       one of the profile's current ice breakers
//   {participant_external_id, kind, payload, title} anything else, as given
// Quick replies are gone once the participant has written or tapped after the message (Instagram
// hides the chips); ice breakers are offered only to someone without a conversation yet.
import type { Message } from '../../shared/postproxy.ts'
import type { TappedAction } from '../../shared/postproxy-interactive.ts'
import { notFound, unprocessable } from '../http-errors.ts'
import type { Route, RouteContext } from '../router.ts'
import type { SimState } from '../state.ts'
import type { ApiDeps } from './deps.ts'
import { fieldsOf } from './params.ts'
import { controlProfileId, requirePlatform } from './scope.ts'

/** Who taps what, resolved from the request. */
interface Tap {
  profileId: string
  participant: { participant_external_id: string; participant_username?: string | null; participant_name?: string | null }
  action: TappedAction
}

/** Meta's tap kinds; Telegram's inline keyboards answer with `callback_query`. */
const KINDS_BY_PLATFORM: Record<string, readonly string[]> = { telegram: ['callback_query'] }
const META_KINDS = ['quick_reply', 'postback'] as const

function text(fields: Record<string, unknown>, name: string): string | null {
  return typeof fields[name] === 'string' && (fields[name] as string).trim() !== '' ? (fields[name] as string) : null
}

function index(fields: Record<string, unknown>, name: string): number {
  const value = fields[name]
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw unprocessable([`${name} must be a whole number: the index, from 0, of what is tapped.`])
  return value
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`
}

/** A published outbound message the participant has on their screen. */
function tappableMessage(state: SimState, context: RouteContext, messageId: string): Message {
  const message = state.message(context.account, messageId)
  if (!message || !state.chat(context.account, message.chat_id)) throw notFound()
  if (message.direction !== 'outbound' || message.status !== 'published') {
    throw unprocessable([`The participant can tap only what reached them; this message is ${message.direction} and ${message.status}.`])
  }
  return message
}

/** Whether the participant has written (or tapped) since the message reached them. */
function answeredSince(state: SimState, message: Message): boolean {
  const newestInbound = state.messagePage(message.chat_id, { page: 0, perPage: 1, direction: 'inbound', status: null }).data[0]
  const postedAt = Date.parse(message.external_posted_at ?? message.created_at)
  return newestInbound !== undefined && Date.parse(newestInbound.external_posted_at ?? newestInbound.created_at) >= postedAt
}

function messageTap(state: SimState, context: RouteContext, fields: Record<string, unknown>): Tap {
  const message = tappableMessage(state, context, String(fields.message_id))
  const chat = state.chat(context.account, message.chat_id)!
  const participant = { participant_external_id: chat.participant_external_id }
  if (fields.quick_reply !== undefined) {
    const i = index(fields, 'quick_reply')
    const replies = message.quick_replies ?? []
    if (i >= replies.length) throw unprocessable([`quick_reply ${i} does not exist: this message has ${plural(replies.length, 'quick reply', 'quick replies')}.`])
    if (answeredSince(state, message)) {
      throw unprocessable(['The quick replies of this message are gone: the participant has written or tapped since it arrived.'])
    }
    return { profileId: chat.profile_id, participant, action: { kind: 'quick_reply', payload: replies[i].payload, title: replies[i].title } }
  }
  const i = index(fields, 'button')
  const buttons = message.buttons ?? []
  if (i >= buttons.length) throw unprocessable([`button ${i} does not exist: this message has ${plural(buttons.length, 'button')}.`])
  const button = buttons[i]
  if (button.type !== 'postback') {
    throw unprocessable([`buttons[${i}] is a ${button.type} button: tapping it opens ${button.url ?? 'a link'} in a browser and sends nothing to the business.`])
  }
  return { profileId: chat.profile_id, participant, action: { kind: 'postback', payload: button.payload ?? '', title: button.title } }
}

function participantOf(fields: Record<string, unknown>): Tap['participant'] {
  const id = text(fields, 'participant_external_id')
  if (!id) throw unprocessable(["Participant external id can't be blank."])
  return { participant_external_id: id, participant_username: text(fields, 'participant_username'), participant_name: text(fields, 'participant_name') }
}

function iceBreakerTap(state: SimState, context: RouteContext, fields: Record<string, unknown>): Tap {
  const profileId = controlProfileId(state, context, fields)
  requirePlatform(state.profile(context.account, profileId)!, ['instagram'], 'Tapping an ice breaker')
  const participant = participantOf(fields)
  const i = index(fields, 'ice_breaker')
  const breakers = state.iceBreakers(profileId)
  if (breakers.length === 0) throw unprocessable(['The profile has no ice breakers; set them with PUT /api/profiles/:id/ice_breakers first.'])
  if (i >= breakers.length) throw unprocessable([`ice_breaker ${i} does not exist: the profile has ${plural(breakers.length, 'ice breaker')}.`])
  const chat = state.chatWithParticipant(context.account, profileId, participant.participant_external_id)
  if (chat && chat.last_inbound_at) {
    throw unprocessable([
      `Ice breakers are offered only to someone opening a chat with the business for the first time; ${participant.participant_external_id} has written before.`
    ])
  }
  return { profileId, participant, action: { kind: 'postback', payload: breakers[i].payload, title: breakers[i].question } }
}

function freeFormTap(state: SimState, context: RouteContext, fields: Record<string, unknown>): Tap {
  const profileId = controlProfileId(state, context, fields)
  const platform = state.profile(context.account, profileId)!.platform
  const kinds = KINDS_BY_PLATFORM[platform] ?? META_KINDS
  const kind = text(fields, 'kind')
  const payload = text(fields, 'payload')
  const title = text(fields, 'title')
  const errors: string[] = []
  if (!kind || !kinds.includes(kind)) errors.push(`Kind must be ${kinds.join(' or ')} on this platform.`)
  if (!payload) errors.push("Payload can't be blank.")
  if (!title) errors.push("Title can't be blank: it becomes the message's body.")
  if (errors.length > 0) throw unprocessable(errors)
  return { profileId, participant: participantOf(fields), action: { kind: kind!, payload: payload!, title: title! } }
}

function tapFrom(state: SimState, context: RouteContext, fields: Record<string, unknown>): Tap {
  if (fields.message_id !== undefined) {
    if (fields.quick_reply === undefined && fields.button === undefined) throw unprocessable(['Name what is tapped: quick_reply or button, with its index.'])
    return messageTap(state, context, fields)
  }
  if (fields.ice_breaker !== undefined) return iceBreakerTap(state, context, fields)
  return freeFormTap(state, context, fields)
}

export function tapRoutes({ state, control }: ApiDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/_sim/taps',
      handle: (context) => {
        const tap = tapFrom(state, context, fieldsOf(context.body))
        const result = control.injectInboundWithChat(context.account, tap.profileId, {
          ...tap.participant,
          body: tap.action.title,
          tapped_action: tap.action
        })
        return { status: 201, body: result }
      }
    }
  ]
}

// The life of an outbound message (POSTPROXY.md §5): accepted as `pending`, then after the publish
// delay `published` (with `external_id` + `external_posted_at`, `message.sent`) or `failed`
// (`message.failed`), possibly by way of `failed_waiting_for_retry`. The outcome is decided when
// the send is accepted (window, injected faults) and played out on the simulated clock; a profile
// whose connection broke meanwhile makes it fail as Meta refuses an expired token (code 190).
import type { Attachment, Chat, Message } from '../shared/postproxy.ts'
import type { MessageButton, MessageCard, QuickReply } from '../shared/postproxy-interactive.ts'
import { OUTSIDE_WINDOW_CODE, OUTSIDE_WINDOW_ERROR, OUTSIDE_WINDOW_SUBCODE, isWithinWindow } from '../shared/messaging-window.ts'
import type { AccountId, WebhookDispatcher } from './contracts.ts'
import type { SimulatedClock } from './clock.ts'
import type { Faults, SendFailure } from './faults.ts'
import { newMetaMessageId } from './ids.ts'
import { EXPIRED_TOKEN_CODE, EXPIRED_TOKEN_ERROR, isConnected } from './profile-connections.ts'
import { newMessage, withOutbound } from './records.ts'
import type { SimState } from './state.ts'

/** Meta's code 2: a temporary outage; Postproxy retries it. */
const TRANSIENT_ERROR = '(#2) Service temporarily unavailable'
const TRANSIENT_ERROR_CODE = 2

type Outcome = { kind: 'publish' } | { kind: 'outside_window' } | { kind: 'fail'; failure: SendFailure }

export interface OutboundRequest {
  chat: Chat
  body: string | null
  attachments: Attachment[]
  tag: string | null
  /** Set for a private reply, which the messaging window does not govern. */
  externalCommentId: string | null
  /** The `external_id` of the message in the chat this one answers. */
  replyToExternalId?: string | null
  quickReplies?: QuickReply[] | null
  buttons?: MessageButton[] | null
  card?: MessageCard | null
  /** Telegram's keyboard markup, kept as given. */
  replyMarkup?: unknown
}

export class Outbox {
  #state: SimState
  #clock: SimulatedClock
  #webhooks: WebhookDispatcher
  #faults: Faults
  #publishDelayMs: number

  constructor(deps: { state: SimState; clock: SimulatedClock; webhooks: WebhookDispatcher; faults: Faults; publishDelayMs: number }) {
    this.#state = deps.state
    this.#clock = deps.clock
    this.#webhooks = deps.webhooks
    this.#faults = deps.faults
    this.#publishDelayMs = deps.publishDelayMs
  }

  /**
   * Stores the pending message and schedules its outcome. The chat's `last_outbound_at` moves when
   * the message is published: a send that never reached Instagram is not activity.
   */
  accept(account: AccountId, request: OutboundRequest): Message {
    const now = this.#clock.nowIso()
    const message = newMessage({
      chat_id: request.chat.id,
      direction: 'outbound',
      status: 'pending',
      created_at: now,
      body: request.body,
      attachments: request.attachments,
      tag: request.tag,
      external_comment_id: request.externalCommentId,
      reply_to_external_id: request.replyToExternalId ?? null,
      quick_replies: request.quickReplies ?? null,
      buttons: request.buttons ?? null,
      card: request.card ?? null,
      reply_markup: request.replyMarkup ?? null
    })
    this.#state.putMessage(account, message)
    this.#schedule(account, message.id, this.#decideOutcome(request))
    return message
  }

  /** After a restart with `--data`: finish the deliveries that were under way. */
  resumeUnsettled(): void {
    for (const { account, message } of this.#state.unsettledMessages()) {
      if (message.direction !== 'outbound') continue
      const chat = this.#state.chat(account, message.chat_id)
      const sentAt = Date.parse(message.created_at)
      const allowed =
        message.external_comment_id !== null || (chat !== null && isWithinWindow(chat.last_inbound_at, sentAt, message.tag === 'HUMAN_AGENT' ? 'HUMAN_AGENT' : null))
      this.#schedule(account, message.id, allowed ? { kind: 'publish' } : { kind: 'outside_window' })
    }
  }

  #decideOutcome(request: OutboundRequest): Outcome {
    if (request.externalCommentId === null) {
      const tag = request.tag === 'HUMAN_AGENT' ? 'HUMAN_AGENT' : null
      if (!isWithinWindow(request.chat.last_inbound_at, this.#clock.now(), tag)) return { kind: 'outside_window' }
    }
    const failure = this.#faults.takeSendFailure()
    return failure ? { kind: 'fail', failure } : { kind: 'publish' }
  }

  #schedule(account: AccountId, messageId: string, outcome: Outcome): void {
    this.#clock.schedule(this.#clock.now() + this.#publishDelayMs, () => this.#settle(account, messageId, outcome))
  }

  #settle(account: AccountId, messageId: string, outcome: Outcome): void {
    const message = this.#state.message(account, messageId)
    if (!message) return // the account was reset meanwhile
    const chat = this.#state.chat(account, message.chat_id)
    const profile = chat && this.#state.profile(account, chat.profile_id)
    if (profile && !isConnected(profile)) return this.#fail(account, message, EXPIRED_TOKEN_ERROR, EXPIRED_TOKEN_CODE, null)
    switch (outcome.kind) {
      case 'publish':
        return this.#publish(account, message, chat?.platform ?? 'instagram')
      case 'outside_window':
        return this.#fail(account, message, OUTSIDE_WINDOW_ERROR, OUTSIDE_WINDOW_CODE, OUTSIDE_WINDOW_SUBCODE)
      case 'fail':
        if (outcome.failure.kind === 'permanent') {
          const code = /^\(#(\d+)\)/.exec(outcome.failure.errorMessage)
          return this.#fail(account, message, outcome.failure.errorMessage, code ? Number(code[1]) : null, null)
        }
        return this.#failForRetry(account, message)
    }
  }

  #publish(account: AccountId, message: Message, platform: string): void {
    const postedAt = this.#clock.nowIso()
    const published: Message = {
      ...message,
      status: 'published',
      external_id: newMetaMessageId(platform),
      external_posted_at: postedAt,
      error_message: null,
      error_details: null
    }
    this.#state.transaction(() => {
      this.#state.putMessage(account, published)
      const chat = this.#state.chat(account, message.chat_id)
      if (chat) this.#state.putChat(account, withOutbound(chat, postedAt))
    })
    this.#webhooks.emit(account, 'message.sent', { message: published })
  }

  #fail(account: AccountId, message: Message, errorMessage: string, code: number | null, subcode: number | null): void {
    const failed: Message = {
      ...message,
      status: 'failed',
      error_message: errorMessage,
      error_details: { platform_error_code: code, platform_error_subcode: subcode, platform_error_message: errorMessage }
    }
    this.#state.putMessage(account, failed)
    this.#webhooks.emit(account, 'message.failed', { message: failed })
  }

  #failForRetry(account: AccountId, message: Message): void {
    const waiting: Message = {
      ...message,
      status: 'failed_waiting_for_retry',
      error_message: TRANSIENT_ERROR,
      error_details: { platform_error_code: TRANSIENT_ERROR_CODE, platform_error_subcode: null, platform_error_message: TRANSIENT_ERROR }
    }
    this.#state.putMessage(account, waiting)
    this.#webhooks.emit(account, 'message.failed_waiting_for_retry', { message: waiting })
    this.#schedule(account, message.id, { kind: 'publish' })
  }
}

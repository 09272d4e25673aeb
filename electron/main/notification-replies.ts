// A reply typed into a notification (macOS offers one) goes through the durable outbox, like the composer's:
// its row shows in the thread at once, and it survives a quit or a lost connection. The creator may never
// look at that thread, so a reply that fails says so in a follow-up notification, in plain words; the failed
// row stays in the thread, to retry or discard. A reply refused before it reached the outbox (the messaging
// window closed meanwhile, say) is kept as the chat's draft, so the words are not lost.
import type { InboxApi, InboxEventListener } from '../../shared/inbox-api.ts'
import { INSTAGRAM } from '../../shared/platforms.ts'
import { explainSendFailure } from '../inbox/views.ts'

export interface ReplyInbox {
  api: Pick<InboxApi, 'sendText' | 'getDraft' | 'saveDraft'>
  on(listener: InboxEventListener): () => void
  /**
   * A send's row in its thread, by local id: pending until the platform took or refused it; null once
   * discarded. Its chat, whose platform a failure names.
   */
  cache: {
    messages: { getByLocalId(localId: string): { message: { status: string; error_message?: string | null } } | null }
    chats: { getChat(chatId: string): { chat: { platform: string } } | null }
  }
}

/** A reply on its way: in the outbox, or accepted by Postproxy and not yet delivered or refused by Instagram. */
const ON_ITS_WAY = new Set(['pending', 'failed_waiting_for_retry'])

export interface ReplyFollowUp {
  chatId: string
  title: string
  body: string
}

/** Replies still on their way, watched at most this many (the oldest are then only in their thread). */
const MAX_WATCHED = 200

export class NotificationReplies {
  readonly #inbox: ReplyInbox
  readonly #notify: (followUp: ReplyFollowUp) => void
  /** Replies on their way, by local id. */
  readonly #watched = new Map<string, { chatId: string; recipient: string }>()
  readonly #unsubscribe: () => void

  constructor(options: { inbox: ReplyInbox; notify: (followUp: ReplyFollowUp) => void }) {
    this.#inbox = options.inbox
    this.#notify = options.notify
    // Every change of a reply's row (sent, refused, published) is reported as `messages-changed` of its chat.
    this.#unsubscribe = options.inbox.on((name, payload) => {
      if (name === 'messages-changed') this.#check((payload as { chatId: string }).chatId)
    })
  }

  /** Sends `text` to the chat the notification was about; `recipient` is how that notification named them. */
  async send(chatId: string, recipient: string, text: string): Promise<void> {
    const result = await this.#inbox.api.sendText({ chatId, text })
    if (!result.ok) {
      await this.#keepAsDraft(chatId, text)
      this.#notify({ chatId, title: `Your reply to ${recipient} wasn't sent`, body: `${result.error.message} Your reply is saved as a draft in the conversation.` })
      return
    }
    if (!result.value.localId) return
    this.#watched.set(result.value.localId, { chatId, recipient })
    if (this.#watched.size > MAX_WATCHED) this.#watched.delete(this.#watched.keys().next().value!)
    this.#check(chatId)
  }

  dispose(): void {
    this.#unsubscribe()
    this.#watched.clear()
  }

  #check(chatId: string): void {
    for (const [localId, reply] of this.#watched) {
      if (reply.chatId !== chatId) continue
      const row = this.#inbox.cache.messages.getByLocalId(localId)
      if (row && ON_ITS_WAY.has(row.message.status)) continue
      this.#watched.delete(localId)
      if (row?.message.status === 'failed') {
        this.#notify({
          chatId,
          title: `Your reply to ${reply.recipient} wasn't sent`,
          body: `${explainSendFailure(row.message.error_message, this.#inbox.cache.chats.getChat(chatId)?.chat.platform ?? INSTAGRAM)} It's in the conversation, marked as failed.`
        })
      }
    }
  }

  async #keepAsDraft(chatId: string, text: string): Promise<void> {
    const draft = await this.#inbox.api.getDraft({ chatId })
    const earlier = draft.ok ? draft.value.trim() : ''
    await this.#inbox.api.saveDraft({ chatId, text: earlier ? `${earlier}\n\n${text}` : text })
  }
}

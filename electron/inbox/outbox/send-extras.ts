// What goes with a send besides its content: the message it answers (`reply_to_external_id`) and the
// interactive parts (quick replies, buttons, a card). Checked here before anything is queued, with the
// rules and the very sentences Postproxy answers with (shared/interactive-rules.ts), so a refused send
// reaches the creator at once, in the server's words, and nothing is stored or sent.
import { checkInteractiveSend } from '../../../shared/interactive-rules.ts'
import { REPLY_TARGET_MISSING, replyTargetPendingText } from '../../../shared/reply-to-rules.ts'
import type { MessageButton, MessageCard, QuickReply } from '../../../shared/postproxy-interactive.ts'
import type { Chat } from '../../../shared/postproxy.ts'
import { InboxFailure } from '../inbox-failure.ts'
import type { InboxStore, OutboxExtras } from '../store/index.ts'
import type { MessageExtras } from '../postproxy/index.ts'

export interface SendExtrasInput {
  replyToExternalId?: string | null
  quickReplies?: readonly QuickReply[] | null
  buttons?: readonly MessageButton[] | null
  card?: MessageCard | null
}


/** Checks the extras of a send to `chat`; throws an `invalid_argument` failure with the reasons. */
export function checkSendExtras(store: InboxStore, chat: Chat, body: string | null, hasMedia: boolean, input: SendExtrasInput): OutboxExtras | null {
  const check = checkInteractiveSend({
    platform: chat.platform,
    body,
    hasMedia,
    quickReplies: emptyAsAbsent(input.quickReplies),
    buttons: emptyAsAbsent(input.buttons),
    card: input.card ?? undefined
  })
  if (!check.ok) throw new InboxFailure('invalid_argument', check.errors.join(' '))

  const extras: OutboxExtras = {}
  if (input.replyToExternalId) {
    // A pending send is known by its local id only: found, so the creator hears why it can't be quoted.
    const quoted = store.messages.getMessage(input.replyToExternalId) ?? store.messages.getByLocalId(input.replyToExternalId)
    if (!quoted || quoted.message.chat_id !== chat.id) throw new InboxFailure('invalid_argument', REPLY_TARGET_MISSING)
    if (!quoted.message.external_id) throw new InboxFailure('invalid_argument', replyTargetPendingText(chat.platform))
    extras.reply_to_external_id = quoted.message.external_id
  }
  const { quickReplies, buttons, card } = check.value
  if (quickReplies) extras.quick_replies = quickReplies
  if (buttons) extras.buttons = buttons
  if (card) extras.card = card
  return Object.keys(extras).length > 0 ? extras : null
}

/** The extras of a queued send as the client's `sendMessage` takes them. */
export function messageExtrasOf(extras: OutboxExtras | null): Omit<MessageExtras, 'tag'> {
  if (!extras) return {}
  return {
    replyToExternalId: extras.reply_to_external_id,
    quickReplies: extras.quick_replies,
    buttons: extras.buttons,
    card: extras.card
  }
}

/** An empty list means "none", as the composer sends it when the creator removed every chip. */
function emptyAsAbsent<T>(list: readonly T[] | null | undefined): readonly T[] | undefined {
  return list && list.length > 0 ? list : undefined
}

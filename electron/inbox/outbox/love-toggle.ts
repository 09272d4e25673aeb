// The love reaction on an inbound message: shown at once, confirmed by Postproxy, rolled back with
// a reason if Postproxy refuses. Instagram's outbound reaction API accepts only "love"; Messenger has it
// too (❤️, among its named reactions: shared/reaction-rules.ts), so the same toggle works on both.
import type { Message, MessageReaction } from '../../../shared/postproxy.ts'
import { LOVE, LOVE_EMOJI } from '../../../shared/reaction-rules.ts'
import { InboxFailure } from '../inbox-failure.ts'
import { isPostproxyError, type PostproxyClient } from '../postproxy/index.ts'
import type { InboxStore, StoredMessage } from '../store/index.ts'

/**
 * Whether the creator loved `message`. Reactions from anyone but the participant are the
 * business's own (Postproxy reports them under the account's id, which the cache need not know).
 */
export function lovedByYou(message: Message, participantExternalId: string): boolean {
  return (message.reactions ?? []).some((r) => r.reaction === LOVE && r.sender_external_id !== participantExternalId)
}

export class LoveToggle {
  private readonly client: PostproxyClient
  private readonly store: InboxStore
  private readonly now: () => number

  constructor(options: { client: PostproxyClient; store: InboxStore; now?: () => number }) {
    this.client = options.client
    this.store = options.store
    this.now = options.now ?? Date.now
  }

  async toggle(messageId: string): Promise<StoredMessage> {
    const stored = this.store.messages.getMessage(messageId)
    const chat = stored && this.store.chats.getChat(stored.message.chat_id)
    if (!stored || !chat) throw new InboxFailure('not_found', 'This message is no longer in your inbox.')
    const { message } = stored
    if (message.direction !== 'inbound') throw new InboxFailure('invalid_argument', 'You can love messages you received, not your own.')
    if (message.external_deleted_at) throw new InboxFailure('invalid_argument', 'This message was unsent, so it can no longer be loved.')

    const participant = chat.chat.participant_external_id
    const previous: MessageReaction[] = message.reactions ?? []
    const loved = lovedByYou(message, participant)
    const theirs = previous.filter((r) => r.sender_external_id === participant)
    const optimistic = loved ? theirs : [...theirs, { sender_external_id: null, emoji: LOVE_EMOJI, reaction: LOVE, at: new Date(this.now()).toISOString() }]
    this.store.messages.replaceReactions(stored.rowId, optimistic)
    try {
      const options = { platform: chat.chat.platform }
      const confirmed = loved ? await this.client.unreact(message.id, options) : await this.client.react(message.id, LOVE, options)
      this.store.messages.upsertMessage(confirmed)
    } catch (error) {
      this.store.messages.replaceReactions(stored.rowId, previous)
      const why = isPostproxyError(error) ? error.userMessage : 'Something went wrong.'
      throw new InboxFailure(isPostproxyError(error) && error.kind === 'network' ? 'network' : 'internal', `${loved ? 'Could not remove your love' : 'Could not love this message'}: ${why}`, error)
    }
    return this.store.messages.storedByRowId(stored.rowId) as StoredMessage
  }
}

// "New chat": the one other way to begin a conversation (POSTPROXY.md §5, §7): find or create the chat with a
// person by their Instagram-scoped ID. Creating it does not open the messaging window: Instagram still lets
// the creator write only after the person does, or through a private reply to one of their comments.
import { randomUUID } from 'node:crypto'
import type { ChatSummary } from '../../../shared/inbox-api.ts'
import { InboxFailure } from '../inbox-failure.ts'
import { isPostproxyError, type PostproxyClient } from '../postproxy/index.ts'
import type { InboxStore } from '../store/index.ts'
import { toChatSummary } from '../views.ts'

export interface NewChatInput {
  participantExternalId: string
  username?: string
  name?: string
}

export async function startChat(client: PostproxyClient, store: InboxStore, profileId: string, input: NewChatInput): Promise<ChatSummary> {
  let chat
  try {
    const { chat: found } = await client.findOrCreateChat(
      profileId,
      {
        participant_external_id: input.participantExternalId,
        ...(input.username ? { participant_username: input.username.replace(/^@/, '') } : {}),
        ...(input.name ? { participant_name: input.name } : {})
      },
      // Find-or-create is safe to repeat; the key makes a retried request one creation all the same.
      { idempotencyKey: randomUUID() }
    )
    chat = found
  } catch (error) {
    if (isPostproxyError(error) && (error.kind === 'network' || error.kind === 'timeout')) {
      throw new InboxFailure('network', "dmdesk can't reach Postproxy right now, so the chat could not be created. Try again when you're back online.", error)
    }
    throw error
  }
  store.chats.upsertChat(chat)
  const item = store.chats.getChat(chat.id)
  if (!item) throw new InboxFailure('internal', 'The chat was created but could not be saved. Try again.')
  return toChatSummary(item)
}

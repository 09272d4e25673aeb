// `reply_to_external_id` (POSTPROXY.md §9): the message a new one answers, named by its platform id
// (`mid.…`, on Messenger `m_…`) and required to be in the same chat. Shared by the send endpoint and the control API.
import type { Message } from '../shared/postproxy.ts'
import type { AccountId } from './contracts.ts'
import { unprocessable } from './http-errors.ts'
import type { SimState } from './state.ts'

/** The message of `chatId` whose `external_id` is `externalId`; 422 naming the field otherwise. */
export function requireReplyTarget(state: SimState, account: AccountId, chatId: string, externalId: unknown): Message {
  if (typeof externalId !== 'string' || externalId.trim() === '') {
    // Meta's message ids read `mid.…` on Instagram, `m_…` on Messenger.
    const shape = state.chat(account, chatId)?.platform === 'facebook' ? 'm_…' : 'mid.…'
    throw unprocessable([`reply_to_external_id must be the external_id (${shape}) of a message in this chat.`])
  }
  const message = state.message(account, externalId)
  if (!message || message.chat_id !== chatId || message.external_id !== externalId) {
    throw unprocessable([`reply_to_external_id ${externalId} is not the external_id of a message in this chat.`])
  }
  return message
}

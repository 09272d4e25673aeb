// The business reacting to a message: POST /api/messages/:id/react, DELETE …/unreact.
// Instagram has one reaction, `love`; a second react replaces the first. Meta sends no webhook
// for the business's own reactions, so none is emitted.
import type { Message, MessageReaction } from '../../shared/postproxy.ts'
import { businessSenderId } from '../business-identity.ts'
import { unprocessable } from '../http-errors.ts'
import type { Route } from '../router.ts'
import type { ApiDeps } from './deps.ts'
import { fieldsOf } from './params.ts'
import { requireDmPlatform, scopedMessage } from './scope.ts'

const REACTION_EMOJI: Record<string, string> = { love: '❤️', like: '👍', haha: '😆', wow: '😮', sad: '😢', angry: '😠' }

export function reactionRoutes({ state, clock }: ApiDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/messages/:id/react',
      handle: (context) => {
        const { message, profile } = scopedMessage(state, context, context.params.id)
        requireDmPlatform(profile)
        const requested = fieldsOf(context.body).reaction ?? 'love'
        if (typeof requested !== 'string' || requested.trim() === '') throw unprocessable(['Reaction must be text, such as "love".'])
        if (profile.platform === 'instagram' && requested !== 'love') {
          throw unprocessable([`Reaction must be "love" on Instagram, the only reaction it supports; "${requested}" is not.`])
        }
        requireReactable(message)
        const reaction: MessageReaction = {
          sender_external_id: businessSenderId(profile),
          emoji: REACTION_EMOJI[requested] ?? null,
          reaction: requested,
          at: clock.nowIso()
        }
        const others = (message.reactions ?? []).filter((existing) => existing.sender_external_id !== reaction.sender_external_id)
        const updated: Message = { ...message, reactions: [...others, reaction] }
        state.putMessage(context.account, updated)
        return { status: 200, body: updated }
      }
    },
    {
      method: 'DELETE',
      path: '/api/messages/:id/unreact',
      handle: (context) => {
        const { message, profile } = scopedMessage(state, context, context.params.id)
        requireDmPlatform(profile)
        const updated: Message = {
          ...message,
          reactions: (message.reactions ?? []).filter((existing) => existing.sender_external_id !== businessSenderId(profile))
        }
        state.putMessage(context.account, updated)
        return { status: 200, body: updated }
      }
    }
  ]
}

function requireReactable(message: Message): void {
  if (message.external_deleted_at) throw unprocessable(['This message was unsent by the participant, so it cannot be reacted to.'])
  if (!message.external_id) throw unprocessable([`This message is ${message.status} and has not reached Instagram, so it cannot be reacted to.`])
}

// The business reacting to a message: POST /api/messages/:id/react, DELETE …/unreact (Facebook
// Messenger and Instagram only: 422 naming the platform elsewhere). What may be reacted with is
// shared/reaction-rules.ts: Instagram has one reaction, `love`; Messenger takes a named reaction or
// any emoji. A second react replaces the first. Meta sends no webhook for the business's own
// reactions, so none is emitted.
import type { Message, MessageReaction } from '../../shared/postproxy.ts'
import { platformName } from '../../shared/platforms.ts'
import { checkBusinessReaction, REACTION_PLATFORMS } from '../../shared/reaction-rules.ts'
import { businessSenderId } from '../business-identity.ts'
import { unprocessable } from '../http-errors.ts'
import { requireConnected } from '../profile-connections.ts'
import type { Route } from '../router.ts'
import type { ApiDeps } from './deps.ts'
import { fieldsOf } from './params.ts'
import { requireDmPlatform, requirePlatform, scopedMessage } from './scope.ts'

export function reactionRoutes({ state, clock }: ApiDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/messages/:id/react',
      handle: (context) => {
        const { message, profile } = scopedMessage(state, context, context.params.id)
        requireDmPlatform(profile)
        const fields = fieldsOf(context.body)
        const check = checkBusinessReaction({ platform: profile.platform, reaction: fields.reaction, emoji: fields.emoji })
        if (!check.ok) throw unprocessable(check.errors)
        requireConnected(profile, 'react to messages')
        requireReactable(message, profile.platform)
        const reaction: MessageReaction = {
          sender_external_id: businessSenderId(profile),
          emoji: check.value.emoji,
          reaction: check.value.reaction,
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
        requirePlatform(profile, REACTION_PLATFORMS, 'Reacting to a message')
        requireConnected(profile, 'react to messages')
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

function requireReactable(message: Message, platform: string): void {
  if (message.external_deleted_at) throw unprocessable(['This message was unsent by the participant, so it cannot be reacted to.'])
  if (!message.external_id) {
    throw unprocessable([`This message is ${message.status} and has not reached ${platformName(platform)}, so it cannot be reacted to.`])
  }
}

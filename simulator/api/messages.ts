// Reading messages: a chat's messages (newest first, filters `direction` and `status`) and one
// message by hashid or native id (`mid.…`); and PATCH /api/messages/:id, editing a sent message,
// which exists on Telegram only (§9: 422 naming the platform elsewhere; Instagram has no edit).
import { checkMessageText } from '../../shared/media-rules.ts'
import { MESSAGE_STATUSES, type Message } from '../../shared/postproxy.ts'
import { unprocessable } from '../http-errors.ts'
import { requireConnected } from '../profile-connections.ts'
import type { Route } from '../router.ts'
import type { ApiDeps } from './deps.ts'
import { enumParam, fieldsOf, pagination } from './params.ts'
import { requirePlatform, scopedChat, scopedMessage } from './scope.ts'

export function messageRoutes({ state, clock }: ApiDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/chats/:chat_id/messages',
      handle: (context) => {
        const { chat } = scopedChat(state, context, context.params.chat_id)
        const { page, perPage } = pagination(context.query)
        const direction = enumParam(context.query, 'direction', ['inbound', 'outbound'] as const)
        const status = enumParam(context.query, 'status', MESSAGE_STATUSES)
        return { status: 200, body: state.messagePage(chat.id, { page, perPage, direction, status }) }
      }
    },
    {
      method: 'GET',
      path: '/api/messages/:id',
      handle: (context) => ({ status: 200, body: scopedMessage(state, context, context.params.id).message })
    },
    {
      method: 'PATCH',
      path: '/api/messages/:id',
      handle: (context) => {
        const { message, profile } = scopedMessage(state, context, context.params.id)
        requirePlatform(profile, ['telegram'], 'Editing a sent message', 'Send a new message instead.')
        requireConnected(profile, 'edit messages')
        const fields = fieldsOf(context.body)
        const body = fields.body
        const hasMarkup = fields.reply_markup !== undefined && fields.reply_markup !== null
        if (body === undefined && !hasMarkup) throw unprocessable(['Give a new body or reply_markup to edit the message.'])
        if (body !== undefined && (typeof body !== 'string' || body.trim() === '')) throw unprocessable(["Body can't be blank."])
        const check = typeof body === 'string' ? checkMessageText(body) : null
        if (check && !check.ok) throw unprocessable([`Body is too long: ${check.message}`])
        if (message.direction !== 'outbound' || message.status !== 'published') {
          throw unprocessable([`Only the business's published messages can be edited; this one is ${message.direction} and ${message.status}.`])
        }
        const updated: Message = {
          ...message,
          body: typeof body === 'string' ? body : message.body,
          reply_markup: hasMarkup ? fields.reply_markup : message.reply_markup,
          external_edited_at: clock.nowIso()
        }
        state.putMessage(context.account, updated)
        return { status: 200, body: updated }
      }
    }
  ]
}

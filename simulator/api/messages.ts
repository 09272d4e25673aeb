// Reading messages: a chat's messages (newest first, filters `direction` and `status`) and one
// message by hashid or native id (`mid.…`).
import { MESSAGE_STATUSES } from '../../shared/postproxy.ts'
import type { Route } from '../router.ts'
import type { ApiDeps } from './deps.ts'
import { enumParam, pagination } from './params.ts'
import { scopedChat, scopedMessage } from './scope.ts'

export function messageRoutes({ state }: ApiDeps): Route[] {
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
    }
  ]
}

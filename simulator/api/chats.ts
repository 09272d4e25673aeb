// Chats: the paginated list (newest activity first, `before`/`after` exclusive), find-or-create by
// participant (201 new, 200 existing; creating a chat does not open the messaging window), lookup by
// hashid or native conversation id, and Bluesky's server-side archive (§9: 422 elsewhere, where an
// inbox's archive is its own local state).
import type { Chat } from '../../shared/postproxy.ts'
import type { Route, RouteContext } from '../router.ts'
import { requireConnected } from '../profile-connections.ts'
import { newChat } from '../records.ts'
import type { ApiDeps } from './deps.ts'
import { fieldsOf, optionalString, pagination, requiredParam, timestampParam } from './params.ts'
import { requireDmPlatform, requirePlatform, scopedChat, scopedProfile } from './scope.ts'

export function chatRoutes({ state, clock }: ApiDeps): Route[] {
  const archive = (context: RouteContext, archived: boolean) => {
    const { chat, profile } = scopedChat(state, context, context.params.id)
    requirePlatform(profile, ['bluesky'], 'Archiving a chat on the server', 'Keep the archive in the inbox itself.')
    requireConnected(profile, 'archive chats')
    const updated: Chat = { ...chat, archived }
    state.putChat(context.account, updated)
    return { status: 200, body: updated }
  }

  return [
    {
      method: 'GET',
      path: '/api/profiles/:profile_id/chats',
      handle: (context) => {
        const profile = scopedProfile(state, context, context.params.profile_id)
        requireDmPlatform(profile)
        const { page, perPage } = pagination(context.query)
        const beforeMs = timestampParam(context.query, 'before')
        const afterMs = timestampParam(context.query, 'after')
        return { status: 200, body: state.chatPage(profile.id, { page, perPage, beforeMs, afterMs }) }
      }
    },
    {
      method: 'POST',
      path: '/api/profiles/:profile_id/chats',
      handle: (context) => {
        const profile = scopedProfile(state, context, context.params.profile_id)
        requireDmPlatform(profile)
        const fields = fieldsOf(context.body)
        const participantId = requiredParam(fields, 'participant_external_id')
        const existing = state.chatWithParticipant(context.account, profile.id, participantId)
        if (existing) return { status: 200, body: existing }
        const chat = newChat(
          profile,
          {
            external_id: participantId,
            username: optionalString(fields, 'participant_username'),
            name: optionalString(fields, 'participant_name')
          },
          clock.nowIso()
        )
        state.putChat(context.account, chat)
        return { status: 201, body: chat }
      }
    },
    {
      method: 'GET',
      path: '/api/chats/:id',
      handle: (context) => ({ status: 200, body: scopedChat(state, context, context.params.id).chat })
    },
    { method: 'POST', path: '/api/chats/:id/archive', handle: (context) => archive(context, true) },
    { method: 'DELETE', path: '/api/chats/:id/archive', handle: (context) => archive(context, false) }
  ]
}

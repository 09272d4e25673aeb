// POST /api/posts/:post_id/comments/:comment_id/private_reply?profile_id=: the one way to reach a
// person who has not written, and to answer outside the 24-hour window. Allowed up to 7 days after
// the comment, once per comment; it opens (or creates) the chat and returns the pending message.
import { checkMessageText } from '../../shared/media-rules.ts'
import { PRIVATE_REPLY_WINDOW_MS } from '../../shared/messaging-window.ts'
import { notFound, unprocessable } from '../http-errors.ts'
import { newChat } from '../records.ts'
import type { Route } from '../router.ts'
import type { ApiDeps } from './deps.ts'
import { fieldsOf, requiredParam } from './params.ts'
import { requireDmPlatform, scopedProfile } from './scope.ts'

const DAY_MS = 24 * 60 * 60 * 1000

export function privateReplyRoutes({ state, clock, outbox }: ApiDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/posts/:post_id/comments/:comment_id/private_reply',
      isSend: true,
      handle: (context) => {
        const fields = fieldsOf(context.body)
        const profileId = context.query.get('profile_id') || requiredParam(fields, 'profile_id')
        const profile = scopedProfile(state, context, profileId)
        requireDmPlatform(profile)
        const comment = state.comment(context.account, context.params.comment_id)
        if (!comment || comment.post_id !== context.params.post_id || comment.profile_id !== profile.id) throw notFound()

        const text = fields.text
        if (typeof text !== 'string' || text.trim() === '') throw unprocessable(["Text can't be blank."])
        const textCheck = checkMessageText(text)
        if (!textCheck.ok) throw unprocessable([`Text is too long: ${textCheck.message}`])
        const ageMs = clock.now() - Date.parse(comment.created_at)
        if (ageMs > PRIVATE_REPLY_WINDOW_MS) {
          throw unprocessable([
            `A private reply is allowed only within 7 days of the comment; this comment is ${Math.floor(ageMs / DAY_MS)} days old.`
          ])
        }
        if (comment.reply_message_id) throw unprocessable(['This comment already has a private reply; Instagram allows one per comment.'])

        return state.transaction(() => {
          let chat = state.chatWithParticipant(context.account, profile.id, comment.participant_external_id)
          if (!chat) {
            chat = newChat(
              profile,
              { external_id: comment.participant_external_id, username: comment.participant_username, name: comment.participant_name },
              clock.nowIso()
            )
            state.putChat(context.account, chat)
          }
          const message = outbox.accept(context.account, { chat, body: text, attachments: [], tag: null, externalCommentId: comment.id })
          state.claimCommentReply(context.account, comment.id, message.id)
          return { status: 202, body: message }
        })
      }
    }
  ]
}

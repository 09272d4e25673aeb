// POST /api/posts/:post_id/comments/:comment_id/private_reply?profile_id=: the one way to reach a
// person who has not written, and to answer outside the 24-hour window. Allowed up to 7 days after
// the comment was posted, once per comment; it opens (or creates) the chat with the comment's author
// and returns the pending message, whose `external_comment_id` is the comment's Instagram id.
import { checkMessageText } from '../../shared/media-rules.ts'
import { PRIVATE_REPLY_WINDOW_MS } from '../../shared/messaging-window.ts'
import { INTERACTIVE_PLATFORMS } from '../../shared/interactive-rules.ts'
import { platformName } from '../../shared/platforms.ts'
import { requireConnected } from '../profile-connections.ts'
import { unprocessable } from '../http-errors.ts'
import { newChat } from '../records.ts'
import type { Route } from '../router.ts'
import type { ApiDeps } from './deps.ts'
import { fieldsOf } from './params.ts'
import { requirePlatform, scopedComment, scopedPostOnProfile } from './scope.ts'

const DAY_MS = 24 * 60 * 60 * 1000

export function privateReplyRoutes({ state, clock, outbox }: ApiDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/posts/:post_id/comments/:comment_id/private_reply',
      isSend: true,
      handle: (context) => {
        const { post, profile } = scopedPostOnProfile(state, context, context.params.post_id)
        const comment = scopedComment(state, context, post, context.params.comment_id)
        requirePlatform(profile, INTERACTIVE_PLATFORMS, 'A private reply to a comment')
        requireConnected(profile, 'send private replies')
        if (comment.from_business) throw unprocessable(["This is the business's own comment; a private reply goes to the person who commented."])

        const text = fieldsOf(context.body).text
        if (typeof text !== 'string' || text.trim() === '') throw unprocessable(["Text can't be blank."])
        const textCheck = checkMessageText(text, profile.platform)
        if (!textCheck.ok) throw unprocessable([`Text is too long: ${textCheck.message}`])
        const ageMs = clock.now() - Date.parse(comment.posted_at)
        if (ageMs > PRIVATE_REPLY_WINDOW_MS) {
          throw unprocessable([
            `A private reply is allowed only within 7 days of the comment; this comment is ${Math.floor(ageMs / DAY_MS)} days old.`
          ])
        }
        if (comment.reply_message_id) {
          throw unprocessable([`This comment already has a private reply; ${platformName(profile.platform)} allows one per comment.`])
        }

        return state.transaction(() => {
          let chat = state.chatWithParticipant(context.account, profile.id, comment.author_external_id)
          if (!chat) {
            chat = newChat(
              profile,
              {
                external_id: comment.author_external_id,
                username: comment.author_username,
                name: comment.author_name,
                avatar_url: comment.author_avatar_url
              },
              clock.nowIso()
            )
            state.putChat(context.account, chat)
          }
          const message = outbox.accept(context.account, {
            chat,
            body: text,
            attachments: [],
            tag: null,
            externalCommentId: comment.external_id
          })
          state.posts.claimPrivateReply(context.account, comment.id, message.id)
          return { status: 202, body: message }
        })
      }
    }
  ]
}

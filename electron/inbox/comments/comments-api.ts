// The comments calls of the InboxApi (shared/inbox-api/comments.ts), each validated with its shared schema
// and answered as data: reading from the cache (threads, a chat's person's comments, search, the unread
// count), the actions through the outbox, and "New chat" by Instagram-scoped ID.
import type { CommentsInboxApi } from '../../../shared/inbox-api.ts'
import { runInboxCall } from '../inbox-call.ts'
import { focusLane, profileScope, type ActiveSession } from '../session/active-session.ts'
import type { InboxStore } from '../store/index.ts'
import { startChat } from './chat-starter.ts'
import type { CommentViews } from './comment-views.ts'

export interface CommentsApiDeps {
  store: () => InboxStore
  /** The signed-in session, or a failure the creator can act on. */
  session: () => ActiveSession
  views: () => CommentViews
  /** The Comments view is (not) in front: new comments then raise no notification. */
  setCommentsInFront: (inFront: boolean) => void
}

export function commentsInboxApi(deps: CommentsApiDeps): CommentsInboxApi {
  const views = () => deps.views()
  const profileId = () => profileScope(deps.session())
  const actions = () => deps.session().comments.actions
  /** Runs an action, then shows the comment as it is now (with the action waiting in the outbox). */
  const act = (commentId: string, run: () => unknown) => {
    run()
    return views().item(profileId(), commentId)
  }
  return {
    listComments: (args) => runInboxCall('listComments', args, (a) => views().feed(profileId(), a.filter, a.cursor, a.limit)),
    getCommentThread: (args) => runInboxCall('getCommentThread', args, (a) => views().threadOf(profileId(), a.commentId)),
    commentsOfChat: (args) =>
      runInboxCall('commentsOfChat', args, (a) => {
        deps.session()
        return views().ofChat(a.chatId)
      }),
    getCommentCounts: () => runInboxCall('getCommentCounts', undefined, () => ({ unread: deps.store().comments.unreadCount(profileId()) })),
    markCommentsSeen: () =>
      runInboxCall('markCommentsSeen', undefined, () => {
        deps.store().comments.markAllSeen(profileId())
        return null
      }),
    viewComments: (args) =>
      runInboxCall('viewComments', args, (a) => {
        deps.setCommentsInFront(a.inFront)
        return null
      }),
    privateReply: (args) => runInboxCall('privateReply', args, (a) => act(a.commentId, () => actions().privateReply(a.commentId, a.text))),
    replyToComment: (args) => runInboxCall('replyToComment', args, (a) => act(a.commentId, () => actions().publicReply(a.commentId, a.text))),
    setCommentHidden: (args) => runInboxCall('setCommentHidden', args, (a) => act(a.commentId, () => actions().setHidden(a.commentId, a.hidden))),
    setCommentLiked: (args) => runInboxCall('setCommentLiked', args, (a) => act(a.commentId, () => actions().setLiked(a.commentId, a.liked))),
    retryCommentAction: (args) => runInboxCall('retryCommentAction', args, (a) => views().item(profileId(), actions().retry(a.localId).id)),
    discardCommentAction: (args) => runInboxCall('discardCommentAction', args, (a) => views().item(profileId(), actions().discard(a.localId).id)),
    searchComments: (args) => runInboxCall('searchComments', args, (a) => (a.query.trim() === '' ? [] : views().search(profileId(), a.query, a.limit))),
    startChat: (args) =>
      runInboxCall('startChat', args, (a) => {
        const { profile, client } = focusLane(deps.session())
        return startChat(client, deps.store(), profile.id, a)
      })
  }
}

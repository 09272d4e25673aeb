// Comments on the profile group's posts (POSTPROXY.md §9): a post's comments (top level, each with its
// replies), one comment, the business's public reply, deleting its own comments, hiding, liking, and
// GET /api/comments, every comment across posts flat (the natural feed for an inbox).
//
// Choices where §9 is silent (documented in simulator/README.md): newest first everywhere, replies
// inside a thread oldest first; `from` / `to` are inclusive and filter on `created_at` (when Postproxy
// received the comment); the business's reply is posted at once (201, `synced`, with its Instagram
// id) and emits no comment.created (Meta does not notify an account of its own comments); hide,
// unhide, like, unlike and delete answer 200 `{"accepted": true}` and are idempotent.
import { commentTextMax } from '../../shared/comment-rules.ts'
import { networkName } from '../../shared/platforms.ts'
import type { Profile } from '../../shared/postproxy.ts'
import { businessSenderId, businessUsername } from '../business-identity.ts'
import { bulkCommentRecord, commentRecord } from '../comment-records.ts'
import type { SimComment, SimPost } from '../contracts.ts'
import { unprocessable } from '../http-errors.ts'
import { newFacebookCommentId, newId, newInstagramCommentId } from '../ids.ts'
import { commentPermalink } from '../post-records.ts'
import { requireConnected } from '../profile-connections.ts'
import type { StoredComment } from '../post-store.ts'
import type { Route, RouteContext } from '../router.ts'
import type { ApiDeps } from './deps.ts'
import { fieldsOf, listParam, optionalString, pagination, timestampParam } from './params.ts'
import { scopedComment, scopedPostOnProfile, visibleProfiles } from './scope.ts'
import type { SimState } from '../state.ts'


const ACCEPTED = { status: 200, body: { accepted: true } }

/** `from` / `to` (ISO 8601, inclusive) on when Postproxy received a comment. */
function receivedRange(query: URLSearchParams): { fromMs: number | null; toMs: number | null } {
  return { fromMs: timestampParam(query, 'from'), toMs: timestampParam(query, 'to') }
}

function commentText(fields: Record<string, unknown>, platform: string): string {
  const text = fields.text
  if (typeof text !== 'string' || text.trim() === '') throw unprocessable(["Text can't be blank."])
  const length = Array.from(text).length
  const max = commentTextMax(platform)
  if (length > max) {
    const where = networkName(platform)
    throw unprocessable([`Text is too long: ${where} allows at most ${max.toLocaleString('en')} characters in a comment (this one has ${length.toLocaleString('en')}).`])
  }
  return text
}

/** The thread a `parent_id` (hashid or Instagram id) names on this post; 422 naming the field otherwise. */
function threadFor(state: SimState, context: RouteContext, post: SimPost, parentId: string): string {
  const thread = state.posts.threadFor(context.account, post.id, parentId)
  if (thread === null) throw unprocessable([`parent_id ${parentId} does not name a comment on this post.`])
  return thread
}

/** The business's public reply, posted `now` (simulated). */
function businessComment(state: SimState, context: RouteContext, post: SimPost, profile: Profile, now: string): SimComment {
  const fields = fieldsOf(context.body)
  const text = commentText(fields, post.platform)
  const parentId = optionalString(fields, 'parent_id')
  const parentExternalId = parentId ? threadFor(state, context, post, parentId) : null
  const externalId = post.platform === 'facebook' ? newFacebookCommentId(post.external_id) : newInstagramCommentId()
  return {
    id: newId('cmt'),
    external_id: externalId,
    post_id: post.id,
    profile_id: profile.id,
    platform: post.platform,
    parent_external_id: parentExternalId,
    body: text,
    author_external_id: businessSenderId(profile),
    author_username: businessUsername(profile),
    author_name: profile.name ?? null,
    author_avatar_url: profile.avatar_url ?? null,
    from_business: true,
    like_count: 0,
    liked_by_business: false,
    is_hidden: false,
    permalink: commentPermalink(post.permalink, externalId, post.platform),
    posted_at: now,
    created_at: now
  }
}

function refuseOwn(comment: StoredComment, what: string): void {
  if (comment.from_business) throw unprocessable([`The business's own comments can't be ${what}; delete it instead.`])
}

export function commentRoutes({ state, clock }: ApiDeps): Route[] {
  /** POST …/comments/:id/<action>: changes one flag of a comment and answers `{"accepted": true}`. */
  const commentAction = (action: string, apply: (comment: StoredComment) => SimComment): Route => ({
    method: 'POST',
    path: `/api/posts/:post_id/comments/:id/${action}`,
    handle: (context) => {
      const { post, profile } = scopedPostOnProfile(state, context, context.params.post_id)
      const comment = scopedComment(state, context, post, context.params.id)
      requireConnected(profile, 'moderate comments')
      const { reply_message_id: _replyMessageId, ...updated } = apply(comment) as StoredComment
      state.posts.putComment(context.account, updated)
      return ACCEPTED
    }
  })

  return [
    {
      method: 'GET',
      path: '/api/posts/:post_id/comments',
      handle: (context) => {
        const { post } = scopedPostOnProfile(state, context, context.params.post_id)
        const { page, perPage } = pagination(context.query)
        const found = state.posts.topLevelPage(post.id, receivedRange(context.query), page, perPage)
        const replies = state.posts.repliesTo(post.id, found.data.map((comment) => comment.external_id))
        const data = found.data.map((comment) =>
          commentRecord(comment, replies.filter((reply) => reply.parent_external_id === comment.external_id))
        )
        return { status: 200, body: { ...found, data } }
      }
    },
    {
      method: 'GET',
      path: '/api/posts/:post_id/comments/:id',
      handle: (context) => {
        const { post } = scopedPostOnProfile(state, context, context.params.post_id)
        const comment = scopedComment(state, context, post, context.params.id)
        const replies = comment.parent_external_id === null ? state.posts.repliesTo(post.id, [comment.external_id]) : []
        return { status: 200, body: commentRecord(comment, replies) }
      }
    },
    {
      method: 'POST',
      path: '/api/posts/:post_id/comments',
      // A public reply is a send: the `drop_connection` fault drops the answer after storing it.
      isSend: true,
      handle: (context) => {
        const { post, profile } = scopedPostOnProfile(state, context, context.params.post_id)
        requireConnected(profile, 'reply to comments')
        const comment = businessComment(state, context, post, profile, clock.nowIso())
        state.posts.putComment(context.account, comment)
        return { status: 201, body: commentRecord(comment) }
      }
    },
    {
      method: 'DELETE',
      path: '/api/posts/:post_id/comments/:id',
      handle: (context) => {
        const { post, profile } = scopedPostOnProfile(state, context, context.params.post_id)
        const comment = scopedComment(state, context, post, context.params.id)
        requireConnected(profile, 'delete comments')
        if (!comment.from_business) {
          const author = comment.author_username ? `@${comment.author_username}` : comment.author_external_id
          throw unprocessable([`Only the business's own comments can be deleted; this one is by ${author}. Hide it instead.`])
        }
        state.posts.deleteComment(context.account, comment)
        return ACCEPTED
      }
    },
    commentAction('hide', (comment) => {
      refuseOwn(comment, 'hidden')
      return { ...comment, is_hidden: true }
    }),
    commentAction('unhide', (comment) => {
      refuseOwn(comment, 'hidden or unhidden')
      return { ...comment, is_hidden: false }
    }),
    commentAction('like', (comment) =>
      comment.liked_by_business ? comment : { ...comment, liked_by_business: true, like_count: comment.like_count + 1 }
    ),
    commentAction('unlike', (comment) =>
      comment.liked_by_business ? { ...comment, liked_by_business: false, like_count: Math.max(0, comment.like_count - 1) } : comment
    ),
    {
      method: 'GET',
      path: '/api/comments',
      handle: (context) => {
        const { page, perPage } = pagination(context.query)
        const visible = visibleProfiles(state, context)
        // `profiles` takes profile ids and network names, mixed; only what the request may see counts.
        const named = listParam(context.query, 'profiles')
        const profileIds = visible.filter((profile) => named === null || named.includes(profile.id)).map((profile) => profile.id)
        const byPlatform = named === null ? [] : visible.filter((profile) => named.includes(profile.platform)).map((profile) => profile.id)
        const found = state.posts.commentFeed({
          profileIds: [...new Set([...profileIds, ...byPlatform])],
          postIds: listParam(context.query, 'post_ids'),
          ...receivedRange(context.query),
          page,
          perPage
        })
        return { status: 200, body: { ...found, data: found.data.map(bulkCommentRecord) } }
      }
    }
  ]
}

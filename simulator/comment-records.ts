// The wire shapes of a comment (POSTPROXY.md §9), built from what the simulator keeps: the Comment of
// the per-post endpoints (top level with `replies`), the flat BulkComment of `GET /api/comments`, and
// the data of a `comment.created` webhook. Pure functions.
import type { BulkComment, Comment, CommentCreatedData } from '../shared/postproxy-comments.ts'
import type { SimComment, SimPost } from './contracts.ts'

/** Postproxy's status of a comment it holds in sync with the platform. */
export const SYNCED = 'synced'

function commentFields(comment: SimComment) {
  return {
    id: comment.id,
    external_id: comment.external_id,
    body: comment.body,
    status: SYNCED,
    author_username: comment.author_username,
    author_avatar_url: comment.author_avatar_url,
    author_external_id: comment.author_external_id,
    // Whether the business has liked it: Instagram shows the business its own like, and an inbox
    // needs it to show a like toggle.
    metadata: { liked_by_business: comment.liked_by_business },
    parent_external_id: comment.parent_external_id,
    like_count: comment.like_count,
    is_hidden: comment.is_hidden,
    permalink: comment.permalink,
    platform_data: null,
    attachments: [],
    posted_at: comment.posted_at,
    created_at: comment.created_at
  }
}

/** A comment of the per-post endpoints; a top-level one carries its `replies`, a reply `[]`. */
export function commentRecord(comment: SimComment, replies: readonly SimComment[] = []): Comment {
  return { ...commentFields(comment), replies: replies.map((reply) => commentRecord(reply)) }
}

/** A comment of `GET /api/comments`: flat, with its post, profile and platform. */
export function bulkCommentRecord(comment: SimComment): BulkComment {
  return { ...commentFields(comment), post_id: comment.post_id, profile_id: comment.profile_id, platform: comment.platform }
}

/** The `data` of `comment.created`: exactly the fields the SDKs' CommentCreatedData names. */
export function commentCreatedData(comment: SimComment, post: SimPost, replyCount: number): CommentCreatedData {
  return {
    id: comment.id,
    post_id: comment.post_id,
    platform_post_id: post.external_id,
    platform: comment.platform,
    external_id: comment.external_id,
    parent_external_id: comment.parent_external_id,
    body: comment.body,
    status: SYNCED,
    author_external_id: comment.author_external_id,
    author_name: comment.author_name,
    author_username: comment.author_username,
    author_avatar_url: comment.author_avatar_url,
    like_count: comment.like_count,
    reply_count: replyCount,
    is_hidden: comment.is_hidden,
    permalink: comment.permalink,
    platform_data: null,
    posted_at: comment.posted_at,
    created_at: comment.created_at
  }
}

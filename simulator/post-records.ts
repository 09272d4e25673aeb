// The wire Post of `GET /api/posts` (POSTPROXY.md §9) built from what the simulator keeps, and the
// platform's links to posts and comments. Pure functions.
import type { Post } from '../shared/postproxy-comments.ts'
import type { SimPost } from './contracts.ts'

/** Postproxy's status of a post that went out (its per-platform status is `published`). */
export const PROCESSED = 'processed'

export function postRecord(post: SimPost): Post {
  return {
    id: post.id,
    body: post.caption,
    status: PROCESSED,
    scheduled_at: null,
    created_at: post.created_at,
    // Every field the SDKs type a Media with; the simulator keeps no upload's source URL and no
    // media ever fails here.
    media: post.media.map((item) => ({
      id: item.id,
      url: item.url,
      content_type: item.content_type,
      status: PROCESSED,
      error_message: null,
      source_url: null
    })),
    platforms: [
      {
        platform: post.platform,
        status: 'published',
        params: null,
        permalink: post.permalink,
        // Which profile it went out on (what the comment calls' `profile_id` names), and the
        // platform's own id for it (comment.created's `platform_post_id`).
        profile_id: post.profile_id,
        platform_post_id: post.external_id,
        attempted_at: post.created_at,
        error: null,
        insights: null
      }
    ],
    // A post on Instagram has no thread (X, Threads and Bluesky ones can).
    thread: []
  }
}

/** `https://www.instagram.com/p/<code>/` on Instagram; null where the simulator has no link format. */
export function postPermalink(platform: string, shortcode: string): string | null {
  return platform === 'instagram' ? `https://www.instagram.com/p/${shortcode}/` : null
}

/** A Facebook Page post (`<page id>_<post number>`) links as `facebook.com/<page id>/posts/<post number>/`. */
export function facebookPostPermalink(postExternalId: string): string {
  const [pageId, postNumber] = postExternalId.split('_')
  return `https://www.facebook.com/${pageId}/posts/${postNumber}/`
}

/**
 * Instagram links a comment as `<post permalink>c/<comment id>/`; Facebook as the post's link with
 * `?comment_id=<comment number>`.
 */
export function commentPermalink(postPermalink: string | null, commentExternalId: string, platform = 'instagram'): string | null {
  if (!postPermalink) return null
  if (platform === 'facebook') return `${postPermalink}?comment_id=${commentExternalId.split('_').pop()}`
  return `${postPermalink}c/${commentExternalId}/`
}

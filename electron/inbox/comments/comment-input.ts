// Postproxy's shapes of a comment (the flat feed's BulkComment, a post's Comment with its replies, the data of
// comment.created) and of a post, as the store takes them; and who "the creator" is among comment authors.
import type { BulkComment, Comment, CommentCreatedData, Post } from '../../../shared/postproxy-comments.ts'
import type { Profile } from '../../../shared/postproxy.ts'
import type { CommentInput, PostInput } from '../store/index.ts'

/** The creator's account as comment authors name it: its Instagram id and handle when the profile carries them. */
export interface BusinessIdentity {
  isOwn(authorExternalId: string | null | undefined, authorUsername: string | null | undefined): boolean
}

export function businessIdentity(profile: Profile | null): BusinessIdentity {
  const ids = new Set<string>()
  const usernames = new Set<string>()
  if (profile) {
    ids.add(profile.id)
    if (typeof profile.external_id === 'string' && profile.external_id !== '') ids.add(profile.external_id)
    if (typeof profile.username === 'string' && profile.username !== '') usernames.add(profile.username.toLowerCase())
  }
  return {
    isOwn: (authorExternalId, authorUsername) =>
      (typeof authorExternalId === 'string' && ids.has(authorExternalId)) ||
      (typeof authorUsername === 'string' && usernames.has(authorUsername.toLowerCase()))
  }
}

function likedByBusiness(metadata: Record<string, unknown> | null | undefined): boolean | null {
  const liked = metadata?.liked_by_business
  return typeof liked === 'boolean' ? liked : null
}

type CommentFields = Comment | BulkComment

function fromCommentFields(comment: CommentFields, postId: string, profileId: string | null, platform: string | null, identity: BusinessIdentity): CommentInput {
  const { replies: _replies, ...raw } = comment as Comment
  return {
    id: comment.id,
    externalId: comment.external_id ?? null,
    postId,
    profileId,
    platform,
    parentExternalId: comment.parent_external_id ?? null,
    body: comment.body ?? null,
    authorExternalId: comment.author_external_id ?? null,
    authorUsername: comment.author_username ?? null,
    authorName: null,
    authorAvatarUrl: comment.author_avatar_url ?? null,
    likeCount: comment.like_count ?? null,
    likedByBusiness: likedByBusiness(comment.metadata),
    isHidden: comment.is_hidden ?? null,
    isOwn: identity.isOwn(comment.author_external_id, comment.author_username),
    permalink: comment.permalink ?? null,
    postedAt: comment.posted_at ?? null,
    createdAt: comment.created_at,
    raw
  }
}

/** A comment of `GET /api/comments`: it names its post, profile and platform. */
export function fromBulkComment(comment: BulkComment, identity: BusinessIdentity): CommentInput {
  return fromCommentFields(comment, comment.post_id, comment.profile_id, comment.platform, identity)
}

/** A comment of a post's thread (or one just created by the creator). */
export function fromPostComment(comment: Comment, post: { id: string; profileId: string | null; platform: string | null }, identity: BusinessIdentity): CommentInput {
  return fromCommentFields(comment, post.id, post.profileId, post.platform, identity)
}

/** The data of `comment.created`: no profile (the post says which), an author name, no like state. */
export function fromCommentCreated(data: CommentCreatedData, identity: BusinessIdentity): CommentInput {
  return {
    id: data.id,
    externalId: data.external_id ?? null,
    postId: data.post_id,
    profileId: null,
    platform: data.platform,
    parentExternalId: data.parent_external_id ?? null,
    body: data.body ?? null,
    authorExternalId: data.author_external_id ?? null,
    authorUsername: data.author_username ?? null,
    authorName: data.author_name ?? null,
    authorAvatarUrl: data.author_avatar_url ?? null,
    likeCount: data.like_count ?? null,
    likedByBusiness: null,
    isHidden: data.is_hidden ?? null,
    isOwn: identity.isOwn(data.author_external_id, data.author_username),
    permalink: data.permalink ?? null,
    postedAt: data.posted_at ?? null,
    createdAt: data.created_at,
    raw: { ...data }
  }
}

/** The media cache key of a post's image: its media id, else one made from the post's id. */
export function postImageKey(postId: string, mediaId: string | null | undefined): string {
  return typeof mediaId === 'string' && mediaId !== '' ? mediaId : `post-image-${postId}`
}

/**
 * A post as the store takes it. Postproxy lists where a post went out in `platforms`; the entry of this
 * network carries the permalink (and, from the simulator and newer answers, the profile it went out on).
 */
export function fromPost(post: Post, knownProfileId: string | null = null): PostInput {
  const platforms = post.platforms ?? []
  const entry = platforms.find((p) => typeof p.permalink === 'string') ?? platforms[0]
  const entryProfile = entry && typeof entry.profile_id === 'string' ? entry.profile_id : null
  const image = (post.media ?? []).find((m) => typeof m.url === 'string' && (m.content_type ?? 'image/').startsWith('image/'))
  return {
    id: post.id,
    profileId: entryProfile ?? knownProfileId,
    platform: entry?.platform ?? null,
    caption: post.body ?? null,
    permalink: entry?.permalink ?? null,
    imageKey: image ? postImageKey(post.id, image.id) : null,
    imageUrl: image?.url ?? null,
    createdAt: post.created_at,
    raw: post as Record<string, unknown>
  }
}

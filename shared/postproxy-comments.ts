// Posts and their comments (POSTPROXY.md §9): where a creator meets people who have not written yet,
// and the target of a private reply. Loose objects, like every Postproxy schema: unknown keys are kept.
import { z } from 'zod'
import { AttachmentSchema, IsoTimestamp } from './postproxy.ts'

const nullableString = z.string().nullable().optional()
const nullableTimestamp = IsoTimestamp.nullable().optional()

export const PostMediaSchema = z.looseObject({
  id: nullableString,
  url: nullableString,
  content_type: nullableString,
  status: nullableString
})

/** Where a post went out; a published Instagram post carries its `permalink` here. */
export const PostPlatformSchema = z.looseObject({
  platform: z.string(),
  status: nullableString,
  params: z.looseObject({}).nullable().optional(),
  permalink: nullableString
})

export const PostSchema = z.looseObject({
  id: z.string(),
  body: nullableString,
  status: nullableString,
  scheduled_at: nullableTimestamp,
  created_at: IsoTimestamp,
  media: z.array(PostMediaSchema).nullable().optional(),
  platforms: z.array(PostPlatformSchema).nullable().optional()
})
export type Post = z.infer<typeof PostSchema>

const commentFields = {
  id: z.string(),
  /** Instagram's own comment id: what a private reply's `external_comment_id` names. */
  external_id: nullableString,
  body: nullableString,
  status: nullableString,
  author_username: nullableString,
  author_avatar_url: nullableString,
  author_external_id: nullableString,
  metadata: z.looseObject({}).nullable().optional(),
  /** Set on a reply: the `external_id` of the comment it answers. */
  parent_external_id: nullableString,
  like_count: z.number().int().nonnegative().nullable().optional(),
  is_hidden: z.boolean().nullable().optional(),
  permalink: nullableString,
  platform_data: z.looseObject({}).nullable().optional(),
  attachments: z.array(AttachmentSchema).nullable().optional(),
  posted_at: nullableTimestamp,
  created_at: IsoTimestamp
}

export interface Comment extends z.infer<z.ZodObject<typeof commentFields>> {
  replies?: Comment[]
  [key: string]: unknown
}

/** A top-level comment of `GET /api/posts/:id/comments`, with its `replies`. */
export const CommentSchema: z.ZodType<Comment> = z.looseObject({
  ...commentFields,
  get replies() {
    return z.array(CommentSchema).optional()
  }
})

/** A comment of `GET /api/comments`: flat (replies are their own entries), with its post, profile and platform. */
export const BulkCommentSchema = z.looseObject({
  ...commentFields,
  post_id: z.string(),
  profile_id: z.string(),
  platform: z.string()
})
export type BulkComment = z.infer<typeof BulkCommentSchema>

/** The `data` of a `comment.created` webhook: the comment, flat, with its post and counts. */
export const CommentCreatedDataSchema = z.looseObject({
  id: z.string(),
  post_id: z.string(),
  platform_post_id: nullableString,
  platform: z.string(),
  external_id: nullableString,
  parent_external_id: nullableString,
  body: nullableString,
  status: nullableString,
  author_external_id: nullableString,
  author_name: nullableString,
  author_username: nullableString,
  author_avatar_url: nullableString,
  like_count: z.number().int().nonnegative().nullable().optional(),
  reply_count: z.number().int().nonnegative().nullable().optional(),
  is_hidden: z.boolean().nullable().optional(),
  permalink: nullableString,
  platform_data: z.looseObject({}).nullable().optional(),
  posted_at: nullableTimestamp,
  created_at: IsoTimestamp
})
export type CommentCreatedData = z.infer<typeof CommentCreatedDataSchema>

/** What hide / unhide / like / unlike / delete answer: `{"accepted": true}` (the action is carried out asynchronously). */
export const AcceptedResponseSchema = z.looseObject({ accepted: z.boolean() })
export type AcceptedResponse = z.infer<typeof AcceptedResponseSchema>

/** The comment of a `comment.created` envelope (its `data`, or `data.object` in the newer shape); null when malformed. */
export function envelopeComment(envelope: { data: Record<string, unknown> }): CommentCreatedData | null {
  for (const candidate of [envelope.data, envelope.data.object, envelope.data.comment]) {
    const parsed = CommentCreatedDataSchema.safeParse(candidate)
    if (parsed.success) return parsed.data
  }
  return null
}

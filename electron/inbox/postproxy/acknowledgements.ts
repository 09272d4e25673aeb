// Answers that only say "done" (deletes, comment moderation, removing ice breakers). Their shape is the
// least pinned-down part of the contract, so each is read tolerantly — every plausible shape is accepted
// and turned into one typed result — while anything else is still refused as malformed (POSTPROXY.md §9).
import { z } from 'zod'
import { AcceptedResponseSchema, CommentSchema, type Comment } from '../../../shared/postproxy-comments.ts'

/** `DELETE /api/webhooks/:id` (and a 204 with no body). */
export const DeleteResultSchema = z.looseObject({ deleted: z.literal(true) })
export type DeleteResult = z.infer<typeof DeleteResultSchema>
export const DELETED: DeleteResult = { deleted: true }

/**
 * Hide / unhide / like / unlike / delete a comment. Postproxy answers `{"accepted": true}` (the action runs
 * asynchronously); an answer with the comment as it now is is read too, and kept.
 */
export interface CommentActionResult {
  accepted: boolean
  /** The comment after the action, when the answer carried it. */
  comment: Comment | null
}

export const CommentActionResultSchema = z.unknown().transform((answer, ctx): CommentActionResult => {
  const comment = CommentSchema.safeParse(answer)
  if (comment.success) return { accepted: true, comment: comment.data }
  const acknowledged = AcceptedResponseSchema.safeParse(answer)
  if (acknowledged.success) return { accepted: acknowledged.data.accepted, comment: null }
  ctx.addIssue({ code: 'custom', message: 'expected {"accepted": true} or the comment' })
  return z.NEVER
})
/** A 204 with no body. */
export const ACCEPTED: CommentActionResult = { accepted: true, comment: null }

/**
 * `DELETE /api/profiles/:id/ice_breakers`: not pinned down by the SDKs, so an empty list, `{deleted}`,
 * `{success}` or `{accepted}` all mean removed. The result is the same either way.
 */
export const IceBreakersRemovedSchema: z.ZodType<DeleteResult> = z
  .union([
    z.looseObject({ ice_breakers: z.array(z.unknown()).length(0) }),
    DeleteResultSchema,
    z.looseObject({ success: z.literal(true) }),
    z.looseObject({ accepted: z.literal(true) })
  ])
  .transform((): DeleteResult => DELETED)

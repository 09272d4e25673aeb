// The comments part of the InboxApi contract (issue #10): the Comments view (threads across the profile's
// posts, filters, unread count), the actions on a comment (private reply, public reply, hide, like, each
// through the durable outbox), the cross-links between a chat and its person's comments, comment search,
// and starting a chat by Instagram-scoped ID. Comment text is data: the renderer shows it as text only.
import { z } from 'zod'
import type { ChatSummary } from './core.ts'
import { instagramScopedIdProblem } from '../comment-rules.ts'
import { idArg, type InboxResult } from './results.ts'

// ---------------------------------------------------------------- view models

export interface CommentAuthor {
  /** Their Instagram-scoped ID: the same id their chat has. Null when Postproxy did not say. */
  externalId: string | null
  username: string | null
  name: string | null
  avatarUrl: string | null
}

export interface CommentPost {
  id: string
  caption: string | null
  /** The post on Instagram, opened in the system browser. */
  permalink: string | null
  /** A URL the renderer can load: the local media cache, so thumbnails show offline. */
  thumbnailUrl: string | null
}

/** The chat the commenter already has with the creator: where the messaging window is, and a link to it. */
export interface CommentChatLink {
  chatId: string
  lastInboundAt: string | null
}

/** Whether a private reply can still be sent to a comment, or why not, or how it went. */
export type PrivateReplyState =
  | { state: 'available'; closesAt: string }
  | { state: 'too_old'; reason: string }
  /** Sent (by this app or elsewhere): the chat and message it became, when the cache holds them. */
  | { state: 'used'; chatId: string | null; messageId: string | null }
  | { state: 'queued' | 'sending'; localId: string }
  | { state: 'failed'; localId: string; reason: string; retryable: boolean }
  /** The creator's own comment, or a comment whose author Postproxy does not name. */
  | { state: 'not_possible'; reason: string }

export type CommentActionKind = 'public_reply' | 'hide' | 'unhide' | 'like' | 'unlike'

/** An action on a comment still in the outbox: waiting, going out, or refused (with the reason). */
export interface PendingCommentAction {
  localId: string
  kind: CommentActionKind
  state: 'queued' | 'sending' | 'failed'
  /** A public reply's text. */
  text: string | null
  error: string | null
  retryable: boolean
}

export interface CommentItem {
  id: string
  postId: string
  /** The network it is on ("instagram", "facebook" for a Page's post): its rules and the name its texts say. */
  platform: string
  /** Set on a reply: the Instagram id of the comment it answers. */
  parentExternalId: string | null
  body: string | null
  author: CommentAuthor
  /** When it was posted. */
  at: string
  likeCount: number
  /** Liked by the creator (what a queued like/unlike will make it, while it waits). */
  likedByYou: boolean
  /** Hidden (what a queued hide/unhide will make it, while it waits). */
  isHidden: boolean
  /** Written by the creator's account. */
  isOwn: boolean
  permalink: string | null
  /** Arrived since the creator last looked at the Comments view. */
  unread: boolean
  privateReply: PrivateReplyState
  /** Actions not delivered yet, or refused. */
  pending: PendingCommentAction[]
  chat: CommentChatLink | null
}

export interface CommentWithPost {
  comment: CommentItem
  post: CommentPost | null
}

/** A top-level comment with its replies (oldest first, as Instagram shows them). */
export interface CommentThread extends CommentWithPost {
  replies: CommentItem[]
  /** The creator replied in public or in private. */
  answered: boolean
}

export interface CommentSearchHit {
  commentId: string
  author: CommentAuthor
  /** Plain text, never HTML; `highlights` are [start, end) character ranges of the matched words. */
  snippet: { text: string; highlights: [number, number][] }
  /** The post it is on ("comment on …"). */
  postCaption: string | null
  at: string
}

// ---------------------------------------------------------------- call arguments

export const CommentFilterSchema = z.enum(['all', 'unanswered', 'hidden', 'has_chat'])
export type CommentFilter = z.infer<typeof CommentFilterSchema>

const commentId = idArg
const replyText = z.string().min(1).max(20_000)

/** An Instagram-scoped ID (IGSID), trimmed; its refusal reaches the creator as it is written (a `custom` issue). */
export const InstagramScopedId = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const problem = instagramScopedIdProblem(value)
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
  })

const optionalLabel = z
  .string()
  .trim()
  .max(100)
  .transform((value) => (value === '' ? undefined : value))
  .optional()

export const ListCommentsArgs = z.object({
  filter: CommentFilterSchema.default('all'),
  cursor: z.string().max(500).nullable().default(null),
  limit: z.number().int().min(1).max(200).default(50)
})

export const COMMENTS_API_ARGS = {
  listComments: ListCommentsArgs,
  getCommentThread: z.object({ commentId }),
  commentsOfChat: z.object({ chatId: idArg }),
  getCommentCounts: z.undefined(),
  markCommentsSeen: z.undefined(),
  viewComments: z.object({ inFront: z.boolean() }),
  privateReply: z.object({ commentId, text: replyText }),
  replyToComment: z.object({ commentId, text: replyText }),
  setCommentHidden: z.object({ commentId, hidden: z.boolean() }),
  setCommentLiked: z.object({ commentId, liked: z.boolean() }),
  retryCommentAction: z.object({ localId: idArg }),
  discardCommentAction: z.object({ localId: idArg }),
  searchComments: z.object({ query: z.string().max(500), limit: z.number().int().min(1).max(200).default(20) }),
  startChat: z.object({ participantExternalId: InstagramScopedId, username: optionalLabel, name: optionalLabel })
} as const satisfies Record<string, z.ZodType>

type Input<K extends keyof typeof COMMENTS_API_ARGS> = z.input<(typeof COMMENTS_API_ARGS)[K]>

export interface CommentsInboxApi {
  /** Threads across the profile's posts, newest activity first. */
  listComments(args: Input<'listComments'>): Promise<InboxResult<{ threads: CommentThread[]; nextCursor: string | null }>>
  /** The thread a comment (top-level or reply) belongs to. */
  getCommentThread(args: Input<'getCommentThread'>): Promise<InboxResult<CommentThread>>
  /** The chat participant's comments of the last 7 days: what a private reply can still answer. */
  commentsOfChat(args: Input<'commentsOfChat'>): Promise<InboxResult<CommentWithPost[]>>
  getCommentCounts(): Promise<InboxResult<{ unread: number }>>
  markCommentsSeen(): Promise<InboxResult<null>>
  /** The Comments view is (not) on screen: new comments raise no notification while it is in front. */
  viewComments(args: Input<'viewComments'>): Promise<InboxResult<null>>
  /** Queues a private reply (≤ 7 days after the comment, once per comment); its outcome follows through `comments-changed`. */
  privateReply(args: Input<'privateReply'>): Promise<InboxResult<CommentItem>>
  replyToComment(args: Input<'replyToComment'>): Promise<InboxResult<CommentItem>>
  setCommentHidden(args: Input<'setCommentHidden'>): Promise<InboxResult<CommentItem>>
  setCommentLiked(args: Input<'setCommentLiked'>): Promise<InboxResult<CommentItem>>
  retryCommentAction(args: Input<'retryCommentAction'>): Promise<InboxResult<CommentItem>>
  discardCommentAction(args: Input<'discardCommentAction'>): Promise<InboxResult<CommentItem>>
  searchComments(args: Input<'searchComments'>): Promise<InboxResult<CommentSearchHit[]>>
  /** Finds or creates the chat with this Instagram-scoped ID (which does not open the messaging window). */
  startChat(args: Input<'startChat'>): Promise<InboxResult<ChatSummary>>
}

// ---------------------------------------------------------------- pushes

export interface CommentsInboxEvents {
  /** Comments, their posts or their queued actions changed; the renderer refreshes what it shows. */
  'comments-changed': { commentIds: string[] }
  /** A new comment by someone else; the shell decides whether to notify. */
  'new-comment': { commentId: string; author: string; preview: string; /** As on `inbound-message`. */ profile?: string }
  /** The shell asks the renderer to show a comment (a notification was clicked). */
  'open-comment': { commentId: string }
  /** The shell asks the renderer for the New chat dialog (File ▸ New Chat…). */
  'new-chat': Record<string, never>
}

// How each action on a comment goes out of the outbox (one attempt, with the item's Idempotency-Key) and what
// its accepted answer leaves in the cache: a private reply's message (and the chat it opened), the creator's
// public reply, or a comment's new hidden / liked state.
import { z } from 'zod'
import type { Chat } from '../../../shared/postproxy.ts'
import { InboxFailure } from '../inbox-failure.ts'
import type { DeliveredAction, OutboxActionDelivery } from '../outbox/outbox-sender.ts'
import type { PostproxyClient } from '../postproxy/index.ts'
import type { CommentActionResult } from '../postproxy/acknowledgements.ts'
import type { InboxStore, OutboxActionKind, OutboxItem } from '../store/index.ts'
import { businessIdentity, fromPostComment } from './comment-input.ts'

/** What every comment action row carries (its `payload`): enough to go out even if the comment left the cache. */
export const CommentActionPayloadSchema = z.object({ commentId: z.string(), postId: z.string(), profileId: z.string() })
export type CommentActionPayload = z.infer<typeof CommentActionPayloadSchema>

function payloadOf(item: OutboxItem): CommentActionPayload {
  const parsed = CommentActionPayloadSchema.safeParse(item.payload)
  if (!parsed.success) throw new InboxFailure('internal', 'This queued action is damaged and cannot be sent. Discard it and do it again.')
  return parsed.data
}

type Options = { idempotencyKey: string; signal: AbortSignal; platform?: string }

export function commentDeliveries(client: PostproxyClient, store: InboxStore): Record<OutboxActionKind, OutboxActionDelivery> {
  const acknowledged = (result: CommentActionResult, commentId: string, change: { hidden: boolean } | { liked: boolean }): DeliveredAction => {
    if (!result.accepted) throw new InboxFailure('internal', 'Postproxy did not accept this action. Try again.')
    return {
      serverId: null,
      record: () => {
        const stored = store.comments.get(commentId)
        if (result.comment && stored) {
          const post = { id: stored.postId, profileId: stored.profileId, platform: stored.platform }
          store.comments.upsertComments([fromPostComment(result.comment, post, businessIdentity(null))], { source: 'current', unread: () => false })
        } else store.comments.applyAction(commentId, change)
      }
    }
  }
  // A refusal then speaks for the comment's network ("Facebook says: …"), when the cache still knows it.
  const withPlatform = (p: CommentActionPayload, options: Options): Options => ({ ...options, platform: store.comments.get(p.commentId)?.platform ?? undefined })
  const moderation = (
    call: (p: CommentActionPayload, options: Options) => Promise<CommentActionResult>,
    change: { hidden: boolean } | { liked: boolean }
  ): OutboxActionDelivery => ({
    deliver: async (item, options) => {
      const p = payloadOf(item)
      return acknowledged(await call(p, withPlatform(p, options)), p.commentId, change)
    }
  })

  return {
    private_reply: {
      deliver: async (item, options) => {
        const p = payloadOf(item)
        const message = await client.privateReply(p.postId, p.commentId, p.profileId, item.body ?? '', withPlatform(p, options))
        // The reply opens (or creates) the chat with the commenter: fetched first, outside the transaction.
        let chat: Chat | null = null
        if (!store.chats.has(message.chat_id)) {
          try {
            chat = await client.getChat(message.chat_id, { signal: options.signal })
          } catch {
            // The message is kept anyway; the chat arrives with the next sync.
          }
        }
        return {
          serverId: message.id,
          record: () => {
            if (chat) store.chats.upsertChat(chat)
            store.messages.upsertMessage(message)
          }
        }
      }
    },
    public_reply: {
      deliver: async (item, options) => {
        const p = payloadOf(item)
        const reply = await client.createComment(p.postId, p.profileId, item.body ?? '', { ...withPlatform(p, options), parentId: p.commentId })
        const parent = store.comments.get(p.commentId)
        return {
          serverId: null,
          record: () => {
            // The creator's own words, whatever the profile says about its handle.
            const input = { ...fromPostComment(reply, { id: p.postId, profileId: p.profileId, platform: parent?.platform ?? null }, businessIdentity(null)), isOwn: true }
            store.comments.upsertComments([input], { source: 'current', unread: () => false })
          }
        }
      }
    },
    hide_comment: moderation((p, o) => client.hideComment(p.postId, p.commentId, p.profileId, o), { hidden: true }),
    unhide_comment: moderation((p, o) => client.unhideComment(p.postId, p.commentId, p.profileId, o), { hidden: false }),
    like_comment: moderation((p, o) => client.likeComment(p.postId, p.commentId, p.profileId, o), { liked: true }),
    unlike_comment: moderation((p, o) => client.unlikeComment(p.postId, p.commentId, p.profileId, o), { liked: false })
  }
}

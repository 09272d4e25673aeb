// What the `new-comment` push says about a comment: who wrote it, as the creator knows them, and its text
// (the notification policy decides whether the text is shown).
import type { InboxEvents } from '../../../shared/inbox-api.ts'
import { INSTAGRAM, unnamedPerson } from '../../../shared/platforms.ts'
import type { StoredComment } from '../store/index.ts'

export function newCommentNotice(comment: StoredComment): InboxEvents['new-comment'] {
  return {
    commentId: comment.id,
    author: comment.authorUsername ?? comment.authorName ?? unnamedPerson(comment.platform ?? INSTAGRAM),
    preview: comment.body ?? 'Commented on your post'
  }
}

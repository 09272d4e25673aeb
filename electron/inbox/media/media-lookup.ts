// Which picture a media id names, for the shell's media route when the file is not cached yet: an
// attachment by its Postproxy id, or the story a message replied to (story-reply-media.ts).
import type { MessagesRepository } from '../store/messages.ts'
import type { MediaAttachment } from './media-cache.ts'
import { messageIdOfStoryReplyMedia, storyReplyMedia } from './story-reply-media.ts'

export function findMedia(messages: Pick<MessagesRepository, 'attachment' | 'getMessage'>, mediaId: string): MediaAttachment | null {
  const messageId = messageIdOfStoryReplyMedia(mediaId)
  if (messageId === null) return messages.attachment(mediaId)
  const stored = messages.getMessage(messageId)
  return stored ? storyReplyMedia(stored.message) : null
}

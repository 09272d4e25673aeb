// The picture of the story a participant replied to (`platform_data.story_reply.url`) is cached like an
// attachment, so a story reply shows what it answered offline and after the story expired on Instagram.
// It has no attachment id of its own: it is cached under one derived from the message's id.
import type { Message } from '../../../shared/postproxy.ts'
import type { MediaAttachment } from './media-cache.ts'

const PREFIX = 'story-reply:'

export function storyReplyMediaId(messageId: string): string {
  return `${PREFIX}${messageId}`
}

/** The message id a story-reply media id was derived from; null for an attachment id. */
export function messageIdOfStoryReplyMedia(mediaId: string): string | null {
  return mediaId.startsWith(PREFIX) ? mediaId.slice(PREFIX.length) : null
}

/** The story a message replies to, as the media cache fetches it; null when it has no story picture. */
export function storyReplyMedia(message: Pick<Message, 'id' | 'platform_data'>): MediaAttachment | null {
  const url = message.platform_data?.story_reply?.url
  return url ? { id: storyReplyMediaId(message.id), type: 'story_reply', url } : null
}

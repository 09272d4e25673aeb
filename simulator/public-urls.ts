// Media the simulator hosts is stored with a path (`/media/<id>`) and served with the full URL of the
// running server. A data file reused on another port (`--data`, port 0) therefore keeps working links.
import type { Chat, Message, Profile } from '../shared/postproxy.ts'

const MEDIA_PATH = '/media/'

export class PublicUrls {
  readonly base: string

  constructor(base: string) {
    this.base = base.replace(/\/+$/, '')
  }

  media(mediaId: string): string {
    return `${this.base}${MEDIA_PATH}${encodeURIComponent(mediaId)}`
  }

  toStored(url: string | null | undefined): string | null | undefined {
    if (typeof url === 'string' && url.startsWith(this.base + MEDIA_PATH)) return url.slice(this.base.length)
    return url
  }

  toPublic(url: string | null | undefined): string | null | undefined {
    if (typeof url === 'string' && url.startsWith(MEDIA_PATH)) return this.base + url
    return url
  }

  message(message: Message, direction: 'stored' | 'public'): Message {
    const map = direction === 'stored' ? this.toStored.bind(this) : this.toPublic.bind(this)
    const storyReply = message.platform_data?.story_reply
    if (!message.attachments?.length && !storyReply?.url) return message
    return {
      ...message,
      attachments: message.attachments?.map((attachment) => ({ ...attachment, url: map(attachment.url) })) ?? message.attachments,
      platform_data:
        storyReply?.url && message.platform_data
          ? { ...message.platform_data, story_reply: { ...storyReply, url: map(storyReply.url) } }
          : message.platform_data
    }
  }

  chat(chat: Chat, direction: 'stored' | 'public'): Chat {
    if (!chat.participant_avatar_url) return chat
    const map = direction === 'stored' ? this.toStored.bind(this) : this.toPublic.bind(this)
    return { ...chat, participant_avatar_url: map(chat.participant_avatar_url) }
  }

  profile(profile: Profile, direction: 'stored' | 'public'): Profile {
    if (!profile.avatar_url) return profile
    const map = direction === 'stored' ? this.toStored.bind(this) : this.toPublic.bind(this)
    return { ...profile, avatar_url: map(profile.avatar_url) }
  }
}

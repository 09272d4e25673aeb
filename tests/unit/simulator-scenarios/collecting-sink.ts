// A ScenarioSink that keeps everything a scenario writes, in order, as the server's state would.
import type { Chat, Message, Profile } from '../../../shared/postproxy.ts'
import type { IceBreaker } from '../../../shared/postproxy-interactive.ts'
import type { ScenarioSink, SimComment, SimMedia, SimPost } from '../../../simulator/contracts.ts'

export const MEDIA_BASE_URL = 'http://127.0.0.1:4010/media/'

export interface Collected {
  sink: ScenarioSink
  /** Every call, in order: what was written when. */
  calls: { kind: 'profile' | 'chat' | 'message' | 'post' | 'comment' | 'ice_breakers' | 'media'; id: string }[]
  profiles: Profile[]
  chats: Chat[]
  messages: Message[]
  posts: SimPost[]
  comments: SimComment[]
  iceBreakers: Map<string, IceBreaker[]>
  media: Map<string, SimMedia>
  /** The stored media behind a URL the sink handed out, if any. */
  mediaAt(url: string | null | undefined): SimMedia | undefined
}

export function collectingSink(): Collected {
  const collected: Omit<Collected, 'sink' | 'mediaAt'> = {
    calls: [],
    profiles: [],
    chats: [],
    messages: [],
    posts: [],
    comments: [],
    iceBreakers: new Map(),
    media: new Map()
  }
  const sink: ScenarioSink = {
    profile(profile) {
      collected.calls.push({ kind: 'profile', id: profile.id })
      collected.profiles.push(profile)
    },
    chat(chat) {
      collected.calls.push({ kind: 'chat', id: chat.id })
      collected.chats.push(chat)
    },
    message(message) {
      collected.calls.push({ kind: 'message', id: message.id })
      collected.messages.push(message)
    },
    post(post) {
      collected.calls.push({ kind: 'post', id: post.id })
      collected.posts.push(post)
    },
    comment(comment) {
      collected.calls.push({ kind: 'comment', id: comment.id })
      collected.comments.push(comment)
    },
    iceBreakers(profileId, iceBreakers) {
      collected.calls.push({ kind: 'ice_breakers', id: profileId })
      collected.iceBreakers.set(profileId, iceBreakers)
    },
    media(id, media) {
      collected.calls.push({ kind: 'media', id })
      if (collected.media.has(id)) throw new Error(`media id ${id} stored twice`)
      collected.media.set(id, media)
      return MEDIA_BASE_URL + id
    }
  }
  return {
    ...collected,
    sink,
    mediaAt: (url) => (url && url.startsWith(MEDIA_BASE_URL) ? collected.media.get(url.slice(MEDIA_BASE_URL.length)) : undefined)
  }
}

export const NOW = Date.parse('2026-06-01T12:00:00.000Z')
export const fixedClock = { now: () => NOW }

// Where scenarios write their data: straight into the state of one account. After a scenario has
// run, `finish` makes each chat's bookkeeping agree with its messages, whatever order the scenario
// wrote them in, so the window rules hold for generated data as for live data.
import type { Chat, Message, Profile } from '../shared/postproxy.ts'
import type { IceBreaker } from '../shared/postproxy-interactive.ts'
import type { AccountId, ScenarioSink, SimComment, SimMedia, SimPost } from './contracts.ts'
import { withInbound, withOutbound } from './records.ts'
import type { SimState } from './state.ts'

interface ChatActivity {
  lastInbound: string | null
  lastOutbound: string | null
}

export interface FinishableSink extends ScenarioSink {
  finish(): void
}

export function createScenarioSink(state: SimState, account: AccountId): FinishableSink {
  const activity = new Map<string, ChatActivity>()
  const later = (current: string | null, candidate: string) => (current === null || candidate > current ? candidate : current)

  return {
    profile(profile: Profile) {
      state.putProfile(account, profile)
    },
    chat(chat: Chat) {
      state.putChat(account, chat)
    },
    message(message: Message) {
      state.insertMessage(account, message)
      // Only what reached Instagram is activity: a pending or failed send has no external_posted_at.
      const at = message.external_posted_at
      if (!at) return
      const seen = activity.get(message.chat_id) ?? { lastInbound: null, lastOutbound: null }
      // ISO 8601 UTC strings of the same shape order like the instants they name.
      if (message.direction === 'inbound') seen.lastInbound = later(seen.lastInbound, at)
      else seen.lastOutbound = later(seen.lastOutbound, at)
      activity.set(message.chat_id, seen)
    },
    post(post: SimPost) {
      state.posts.putPost(account, post)
    },
    comment(comment: SimComment) {
      state.posts.putComment(account, comment)
    },
    iceBreakers(profileId: string, iceBreakers: IceBreaker[]) {
      state.setIceBreakers(account, profileId, iceBreakers)
    },
    media(id: string, media: SimMedia) {
      state.putMedia(account, id, media)
      return state.urls.media(id)
    },
    finish() {
      for (const [chatId, seen] of activity) {
        const chat = state.chat(account, chatId)
        if (!chat) continue
        let updated = chat
        if (seen.lastInbound) updated = withInbound(updated, seen.lastInbound)
        if (seen.lastOutbound) updated = withOutbound(updated, seen.lastOutbound)
        if (
          updated.last_inbound_at !== chat.last_inbound_at ||
          updated.last_outbound_at !== chat.last_outbound_at ||
          updated.last_message_at !== chat.last_message_at
        ) {
          state.putChat(account, updated)
        }
      }
      activity.clear()
    }
  }
}

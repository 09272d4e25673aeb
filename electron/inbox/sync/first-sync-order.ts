// In which order a first sync fetches chats' newest messages: the chats awaiting the creator's reply
// first (what they will open first), then the rest, each by latest activity. Under a rate limit this is
// what decides when the inbox becomes useful: every request costs the same, so the order is all there is.
import type { Chat } from '../../../shared/postproxy.ts'

/** The participant wrote last: the chat waits for a reply (and counts as unread after a first sync). */
export function awaitsReply(chat: Chat): boolean {
  if (!chat.last_inbound_at) return false
  return !chat.last_outbound_at || Date.parse(chat.last_inbound_at) >= Date.parse(chat.last_outbound_at)
}

function activityMs(chat: Chat): number {
  return chat.last_message_at ? Date.parse(chat.last_message_at) : Number.NEGATIVE_INFINITY
}

/** Chats awaiting a reply, newest activity first, then every other chat, newest activity first; each once. */
export function firstSyncOrder(chats: readonly Chat[]): Chat[] {
  const seen = new Set<string>()
  const unique = chats.filter((chat) => !seen.has(chat.id) && seen.add(chat.id))
  const byActivity = (a: Chat, b: Chat) => activityMs(b) - activityMs(a) || a.id.localeCompare(b.id)
  const waiting = unique.filter(awaitsReply).sort(byActivity)
  const rest = unique.filter((chat) => !awaitsReply(chat)).sort(byActivity)
  return [...waiting, ...rest]
}

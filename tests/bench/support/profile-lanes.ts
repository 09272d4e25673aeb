// The core's ProfileLanes as the multi-profile benchmarks drive them: one lane per messaging profile, no
// one listening to progress or announcements (no window, no notifications).
import type { PostproxyClient } from '../../../electron/inbox/postproxy/index.ts'
import { ProfileLanes } from '../../../electron/inbox/session/profile-lanes.ts'
import type { ChatCursor, InboxStore } from '../../../electron/inbox/store/index.ts'
import type { Profile } from '../../../shared/postproxy.ts'

/** Lanes over `profiles` (those without DMs get none), each calling through `clientFor(profile)`. */
export function benchLanes(store: InboxStore, profiles: readonly Profile[], clientFor: (profile: Profile) => PostproxyClient): ProfileLanes {
  store.profiles.upsertProfiles([...profiles])
  const lanes = new ProfileLanes({ store, now: Date.now, onProgress: () => {}, announceInbound: () => {}, announceComments: () => {}, cacheImage: () => {} })
  lanes.update(profiles.map((profile) => ({ profile, client: clientFor(profile) })))
  return lanes
}

/** The ids of the chats the cache holds for a profile (pages of 200, at most 100 pages). */
export function cachedChatIds(store: InboxStore, profileId: string): string[] {
  const ids: string[] = []
  let after: ChatCursor | undefined
  for (let page = 0; page < 100; page++) {
    const result = store.chats.listChats({ profileId, limit: 200, after })
    for (const item of result.chats) ids.push(item.chat.id)
    if (!result.nextCursor) break
    after = result.nextCursor
  }
  return ids
}

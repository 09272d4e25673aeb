// How a profile of the unified inbox is named where several share it (issue #13): the chat row's
// badge, the profile filter, the composer's "Replying as …", Settings' accounts and the notifications.
// Two profiles may carry the same name (a studio's Instagram account and its Facebook Page), so a profile
// is always named with its platform. With one messaging profile there is nothing to tell apart and
// none of this is shown.
import type { ProfileSummary } from './inbox-api.ts'
import { INSTAGRAM, MESSENGER, platformName } from './platforms.ts'

type NamedProfile = Pick<ProfileSummary, 'id' | 'name' | 'username' | 'platform' | 'messaging'>

const SHORT_NAMES: Record<string, string> = { [INSTAGRAM]: 'Instagram', [MESSENGER]: 'Messenger', tiktok: 'TikTok' }

/** The platform in a word, for a badge or a list: "Instagram", "Messenger", "TikTok"; others as platforms.ts names them. */
export function platformShortName(platform: string): string {
  return SHORT_NAMES[platform] ?? platformName(platform)
}

/** The profile's own name: its display name, else its handle, else its id. */
export function profileName(profile: Pick<ProfileSummary, 'id' | 'name' | 'username'>): string {
  const name = profile.name?.trim()
  if (name) return name
  return profile.username ? `@${profile.username}` : profile.id
}

/** The profiles whose direct messages are in the inbox, in the session's order. */
export function messagingProfiles<P extends Pick<ProfileSummary, 'messaging'>>(profiles: readonly P[]): P[] {
  return profiles.filter((p) => p.messaging)
}

/** Whether the inbox holds the chats of more than one profile: only then are chats badged with theirs. */
export function isUnifiedInbox(profiles: readonly Pick<ProfileSummary, 'messaging'>[]): boolean {
  return messagingProfiles(profiles).length > 1
}

/** "Clay & Tide Studio (Messenger)": for a notification's title, or null when there is only one messaging profile. */
export function profileNoticeName(profiles: readonly NamedProfile[], profileId: string): string | null {
  if (!isUnifiedInbox(profiles)) return null
  const profile = profiles.find((p) => p.id === profileId)
  return profile ? `${profileName(profile)} (${platformShortName(profile.platform)})` : null
}

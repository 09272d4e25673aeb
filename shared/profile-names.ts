// How a profile of the unified inbox is named where several share it (issue #13): the chat row's
// badge, the profile filter, the composer's "Replying as …", Settings' accounts and the notifications.
// Two profiles may carry the same name (a studio's Instagram account and its Facebook Page), so a profile
// is always named with its platform. With one messaging profile there is nothing to tell apart and
// none of this is shown.
import type { ProfileSummary } from './inbox-api.ts'
import { INSTAGRAM, MESSENGER, platformName } from './platforms.ts'

/** What naming needs: a ProfileSummary, or Postproxy's profile as the core holds it (its handle may be absent). */
interface NamedProfile {
  id: string
  name?: string | null
  username?: string | null
  platform: string
}

const SHORT_NAMES: Record<string, string> = { [INSTAGRAM]: 'Instagram', [MESSENGER]: 'Messenger', tiktok: 'TikTok' }

/** The platform in a word, for a badge or a list: "Instagram", "Messenger", "TikTok"; others as platforms.ts names them. */
export function platformShortName(platform: string): string {
  return SHORT_NAMES[platform] ?? platformName(platform)
}

/** The profile's own name: its display name, else its handle, else its id. */
export function profileName(profile: Omit<NamedProfile, 'platform'>): string {
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

/** "Clay & Tide Studio · Messenger": the receiving profile in a notification's title (the core adds it only when there are several). */
export function profileNoticeName(profile: NamedProfile): string {
  return `${profileName(profile)} · ${platformShortName(profile.platform)}`
}

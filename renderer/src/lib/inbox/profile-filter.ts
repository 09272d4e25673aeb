// The choices of the unified inbox's profile filter (issue #13): every profile's chats, or one
// messaging profile's, each with what waits unread there and, for a profile that cannot send now
// (expired, disconnected), a mark saying so. Pure, so the words are tested without a page.
import type { ProfileSummary } from '../../../../shared/inbox-api.ts'
import { messagingProfiles, platformShortName, profileName } from '../../../../shared/profile-names.ts'

export interface ProfileFilterOption {
  /** The profile id; null: all profiles. */
  value: string | null
  /** What the list shows, counts and marks included: "Messenger · Clay & Tide Studio · 3 unread · expired". */
  label: string
}

/** The mark of a profile that cannot send: its status when the network gave one ("expired"), else "can't send". */
export function problemMark(profile: Pick<ProfileSummary, 'problem' | 'status'>): string | null {
  if (profile.problem === null) return null
  return profile.status && profile.status !== 'active' ? profile.status : "can't send"
}

/** "Messenger · Clay & Tide Studio": the platform first, since two profiles may share a name. */
export function profileTitle(profile: Pick<ProfileSummary, 'id' | 'name' | 'username' | 'platform'>): string {
  return `${platformShortName(profile.platform)} · ${profileName(profile)}`
}

function withUnread(label: string, unread: number): string {
  return unread > 0 ? `${label} · ${unread} unread` : label
}

export function profileFilterOptions(profiles: readonly ProfileSummary[], unreadByProfile: Record<string, number> = {}): ProfileFilterOption[] {
  const shown = messagingProfiles(profiles)
  const total = shown.reduce((sum, p) => sum + (unreadByProfile[p.id] ?? 0), 0)
  return [
    { value: null, label: withUnread('All profiles', total) },
    ...shown.map((p) => {
      const mark = problemMark(p)
      const label = withUnread(profileTitle(p), unreadByProfile[p.id] ?? 0)
      return { value: p.id, label: mark ? `${label} · ${mark}` : label }
    })
  ]
}

// How the session shows a Postproxy profile to the renderer: which network, whether its DMs are in this
// inbox, and, when it cannot send, why — in words a creator can act on.
import type { ProfileSummary } from '../../../shared/inbox-api.ts'
import { INSTAGRAM, MESSENGER, platformName } from '../../../shared/platforms.ts'
import type { Profile } from '../../../shared/postproxy.ts'

/** Postproxy's direct messages reach Instagram accounts and Facebook Pages (Messenger). */
const MESSAGING_PLATFORMS: ReadonlySet<string> = new Set([INSTAGRAM, MESSENGER])

export function takesMessages(profile: Pick<Profile, 'platform'>): boolean {
  return MESSAGING_PLATFORMS.has(profile.platform)
}

/** Why the profile cannot send now (its token expired, its connection was removed); null while it can. */
export function profileProblem(profile: Profile, now: number): string | null {
  if (profile.status === 'active') return null
  const who = `The ${platformName(profile.platform)} connection of "${profile.name ?? profile.id}"`
  const what =
    profile.status === 'expired'
      ? `expired${profile.expires_at && Date.parse(profile.expires_at) <= now ? ` on ${new Date(profile.expires_at).toUTCString().slice(0, 16)}` : ''}`
      : 'is disconnected'
  return `${who} ${what}. Reconnect it in Postproxy to send messages; its conversations stay here to read.`
}

export function profileSummary(profile: Profile, accountId: string, now: number): ProfileSummary {
  return {
    id: profile.id,
    name: profile.name ?? null,
    username: typeof profile.username === 'string' ? profile.username : null,
    platform: profile.platform,
    status: profile.status,
    avatarUrl: profile.avatar_url ?? null,
    messaging: takesMessages(profile),
    problem: profileProblem(profile, now),
    accountId
  }
}

/** Messaging profiles first (Instagram, then Messenger), active before broken, then by name. */
export function byInboxOrder(a: Profile, b: Profile): number {
  const rank = (p: Profile) => (p.platform === INSTAGRAM ? 0 : p.platform === MESSENGER ? 1 : 2) + (p.status === 'active' ? 0 : 3)
  return rank(a) - rank(b) || (a.name ?? a.id).localeCompare(b.name ?? b.id)
}

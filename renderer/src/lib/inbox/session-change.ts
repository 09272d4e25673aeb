// What a new session means for the lists on screen (issue #13). The unified inbox keeps one session
// for every profile: choosing a profile filter (`selectProfile`) or adding or removing a Postproxy
// account changes the session without restarting it, so the lists reload instead of starting over.
import type { Session } from '../../../../shared/inbox-api.ts'

type SignedIn = Extract<Session, { state: 'signed_in' }>

export type SessionChange =
  /** Signed out (or never in): nothing to show. */
  | 'signed-out'
  /** Signed in now, or in again (another key or the demo): everything starts over. */
  | 'started'
  /** The profile filter changed: the lists show other chats and comments. */
  | 'refiltered'
  /** Profiles joined or left (an account was added or removed): the lists reload what they show. */
  | 'profiles-changed'
  /** Only details changed (a profile's name or problem): what is shown stays. */
  | 'same'

export function sessionChange(previous: SignedIn | null, next: SignedIn | null): SessionChange {
  if (!next) return 'signed-out'
  if (!previous || previous.mode !== next.mode || previous.accounts[0]?.id !== next.accounts[0]?.id) return 'started'
  if (previous.profileFilter !== next.profileFilter) return 'refiltered'
  const before = previous.profiles.map((p) => p.id).join('\n')
  const after = next.profiles.map((p) => p.id).join('\n')
  return before === after ? 'same' : 'profiles-changed'
}

/** Whether a chat of `profileId` is still listed under the session's filter (and its profile still there). */
export function profileShown(session: SignedIn, profileId: string): boolean {
  if (!session.profiles.some((p) => p.id === profileId)) return false
  return session.profileFilter === null || session.profileFilter === profileId
}

// Profiles whose connection changes while the simulator runs: one expires (its token ran out) or is
// disconnected (someone removed the app), is reconnected, or a new one is connected to the account.
// Postproxy reports these as `profile.disconnected` / `profile.connected` webhooks whose data is the
// SDKs' ProfileEventData: `{id, name, platform, profile_group_id, status, uid, username}`.
//
// What Postproxy does with DM calls on a profile that is not active is undocumented; the simulator's
// choice (simulator/README.md, "Profiles that change"): reads keep working from what Postproxy holds,
// every call that would have to reach the platform answers 422 naming the platform and the profile, and
// a send accepted before the connection broke fails with Meta's expired-token error when it comes due.
import type { Profile } from '../shared/postproxy.ts'
import { platformName } from '../shared/platforms.ts'
import type { AccountId, WebhookDispatcher } from './contracts.ts'
import type { SimulatedClock } from './clock.ts'
import { notFound, unprocessable } from './http-errors.ts'
import { newId, newPlatformAccountId } from './ids.ts'
import type { SimState } from './state.ts'

/** The platforms Postproxy connects (its SDKs' list). */
export const POSTPROXY_PLATFORMS = [
  'facebook',
  'instagram',
  'tiktok',
  'linkedin',
  'youtube',
  'twitter',
  'threads',
  'pinterest',
  'bluesky',
  'telegram',
  'google_business'
] as const

/** Meta's answer to a call made with a token that is no longer valid (OAuthException, code 190). */
export const EXPIRED_TOKEN_ERROR = '(#190) Error validating access token: The session is invalid because the user logged out or the token expired.'
export const EXPIRED_TOKEN_CODE = 190

const DAY_MS = 24 * 60 * 60 * 1000
/** Instagram's long-lived tokens last 60 days; a Page's token from one does not expire. */
const INSTAGRAM_TOKEN_MS = 60 * DAY_MS

export const PROFILE_CONNECTED = 'profile.connected'
export const PROFILE_DISCONNECTED = 'profile.disconnected'

/** The data of `profile.connected` / `profile.disconnected`: exactly the SDKs' ProfileEventData fields. */
export function profileEventData(profile: Profile): Record<string, unknown> {
  return {
    id: profile.id,
    name: profile.name ?? null,
    platform: profile.platform,
    profile_group_id: profile.profile_group_id ?? null,
    status: profile.status,
    uid: typeof profile.external_id === 'string' ? profile.external_id : null,
    username: typeof profile.username === 'string' ? profile.username : null
  }
}

export function isConnected(profile: Profile): boolean {
  return profile.status === 'active'
}

/** Why nothing reaches the platform through this profile now, and what fixes it. */
export function disconnectedSentence(profile: Profile, what: string): string {
  const connection = `The ${platformName(profile.platform)} connection of "${profile.name ?? profile.id}" (${profile.id})`
  const state = profile.status === 'expired' ? `expired${profile.expires_at ? ` at ${profile.expires_at}` : ''}` : 'is disconnected'
  return `${connection} ${state}; reconnect the profile in Postproxy to ${what}.`
}

/** 422 unless the profile is connected: for calls that would have to reach the platform. */
export function requireConnected(profile: Profile, what = 'do this'): void {
  if (!isConnected(profile)) throw unprocessable([disconnectedSentence(profile, what)])
}

export interface NewProfileInput {
  platform: string
  name?: string | null
  username?: string | null
  /** An existing group of the account; omitted: the first group without a profile on this platform, else a new one. */
  profile_group_id?: string | null
}

export class ProfileConnections {
  #state: SimState
  #clock: SimulatedClock
  #webhooks: WebhookDispatcher

  constructor(deps: { state: SimState; clock: SimulatedClock; webhooks: WebhookDispatcher }) {
    this.#state = deps.state
    this.#clock = deps.clock
    this.#webhooks = deps.webhooks
  }

  /** The token ran out: `expired`, `expires_at` when it did (default now); profile.disconnected. */
  expire(account: AccountId, profileId: string, at: string | null = null): Profile {
    const profile = this.#profile(account, profileId)
    const expiresAt = at ?? this.#clock.nowIso()
    if (Number.isNaN(Date.parse(expiresAt))) throw unprocessable(['At must be an ISO 8601 timestamp.'])
    return this.#change(account, profile, { ...profile, status: 'expired', expires_at: new Date(expiresAt).toISOString() })
  }

  /** The connection was removed (the app's access revoked): `inactive`; profile.disconnected. */
  disconnect(account: AccountId, profileId: string): Profile {
    const profile = this.#profile(account, profileId)
    return this.#change(account, profile, { ...profile, status: 'inactive' })
  }

  /** Connected again with a fresh token: `active`, a new `expires_at`; profile.connected. */
  reconnect(account: AccountId, profileId: string): Profile {
    const profile = this.#profile(account, profileId)
    const expiresAt = profile.platform === 'instagram' ? new Date(this.#clock.now() + INSTAGRAM_TOKEN_MS).toISOString() : null
    return this.#change(account, profile, { ...profile, status: 'active', expires_at: expiresAt })
  }

  /** A profile connected to the account now (Postproxy's "initialize connection" completed); profile.connected. */
  add(account: AccountId, input: NewProfileInput): Profile {
    const platform = input.platform
    if (!(POSTPROXY_PLATFORMS as readonly string[]).includes(platform)) {
      throw unprocessable([`Platform must be one of ${POSTPROXY_PLATFORMS.join(', ')}.`])
    }
    const profiles = this.#state.profiles(account)
    const groupId = this.#groupFor(profiles, platform, input.profile_group_id ?? null)
    const username = input.username ?? null
    const profile: Profile = {
      id: newId('prof'),
      name: input.name ?? (username ? `@${username}` : `My ${platformName(platform)}`),
      platform,
      status: 'active',
      profile_group_id: groupId,
      expires_at: platform === 'instagram' ? new Date(this.#clock.now() + INSTAGRAM_TOKEN_MS).toISOString() : null,
      avatar_url: null,
      external_id: newPlatformAccountId(platform),
      username
    }
    this.#state.putProfile(account, profile)
    const stored = this.#state.profile(account, profile.id)!
    this.#webhooks.emit(account, PROFILE_CONNECTED, profileEventData(stored))
    return stored
  }

  /** The group a new profile joins: Postproxy's groups hold at most one profile per platform. */
  #groupFor(profiles: Profile[], platform: string, requested: string | null): string {
    const groups = [...new Set(profiles.map((profile) => profile.profile_group_id).filter((id): id is string => Boolean(id)))]
    const taken = (group: string) => profiles.find((profile) => profile.profile_group_id === group && profile.platform === platform)
    if (requested) {
      if (!groups.includes(requested)) throw unprocessable([`Profile group id ${requested} is not a profile group of this account.`])
      const holder = taken(requested)
      if (holder) {
        throw unprocessable([
          `Profile group ${requested} already holds ${platformName(platform)} profile ${holder.id}; a profile group holds at most one profile per platform.`
        ])
      }
      return requested
    }
    return groups.find((group) => !taken(group)) ?? newId('pg')
  }

  #profile(account: AccountId, profileId: string): Profile {
    const profile = this.#state.profile(account, profileId)
    if (!profile) throw notFound()
    return profile
  }

  /** Stores the change; a webhook only when the profile went from connected to not, or back. */
  #change(account: AccountId, before: Profile, after: Profile): Profile {
    const { post_count: _postCount, ...stored } = after
    this.#state.putProfile(account, stored)
    const profile = this.#state.profile(account, after.id)!
    if (isConnected(before) !== isConnected(profile)) {
      this.#webhooks.emit(account, isConnected(profile) ? PROFILE_CONNECTED : PROFILE_DISCONNECTED, profileEventData(profile))
    }
    return profile
  }
}

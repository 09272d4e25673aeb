// The creator every scenario belongs to: Noor Haddad's "Clay & Tide Studio", a small ceramics studio
// selling handmade stoneware (mugs, bowls, vases), monthly restock drops and wheel-throwing workshops.
import type { Profile } from '../../shared/postproxy.ts'
import type { ScenarioOptions, ScenarioSink } from '../contracts.ts'
import { mix32, seedFrom } from './prng.ts'

export const CREATOR_NAME = 'Clay & Tide Studio'
export const CREATOR_USERNAME = 'clayandtide.studio'

/**
 * The studio's own Instagram account id: the sender of the business's reactions. Instagram business
 * ids are long numbers starting 17841.
 */
export function businessExternalId(seed: number): string {
  const value = mix32(seedFrom(seed, 'business'))
  return `17841${value.toString().padStart(10, '0')}`
}

export function writeCreatorProfile(sink: ScenarioSink, options: ScenarioOptions, avatarUrl: string | null): Profile {
  const profile: Profile = {
    id: options.profileId,
    name: CREATOR_NAME,
    platform: 'instagram',
    status: 'active',
    profile_group_id: null,
    expires_at: null,
    avatar_url: avatarUrl,
    // The studio's Instagram account: who the business's reactions and public replies come from, so
    // seeded reactions and live ones (POST /api/messages/:id/react) are one identity.
    external_id: businessExternalId(options.seed),
    username: CREATOR_USERNAME
  }
  sink.profile(profile)
  return profile
}

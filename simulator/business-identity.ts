// Who "the business" is on the platform: the sender of its reactions and the author of its public
// comment replies. One identity everywhere, so a seeded ❤️ and a live react/unreact are the same
// person's, and a comment the business wrote is recognisably its own (only those can be deleted).
import type { Profile } from '../shared/postproxy.ts'

/** The profile's Instagram account id when it carries one (`external_id`), else the profile id. */
export function businessSenderId(profile: Profile): string {
  return typeof profile.external_id === 'string' && profile.external_id !== '' ? profile.external_id : profile.id
}

/** The handle the business comments under: the profile's `username`, else its name. */
export function businessUsername(profile: Profile): string | null {
  if (typeof profile.username === 'string' && profile.username !== '') return profile.username
  return profile.name ?? null
}

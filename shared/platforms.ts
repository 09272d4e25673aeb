// The networks a Postproxy profile can be on, and how a person names them in a sentence. Error
// sentences take the chat's (or profile's) platform from here, never a hard-coded "Instagram", so the
// simulator and the app say "Facebook Messenger" where Messenger's rules apply.

/** Postproxy's platform ids for Meta's Messenger (a Facebook Page's inbox) and Instagram Direct. */
export const INSTAGRAM = 'instagram'
export const MESSENGER = 'facebook'

const PLATFORM_NAMES: Record<string, string> = {
  instagram: 'Instagram',
  facebook: 'Facebook Messenger',
  telegram: 'Telegram',
  bluesky: 'Bluesky'
}

/** How a person names a DM platform in a sentence ("Instagram", "Facebook Messenger"); others by their id. */
export function platformName(platform: string): string {
  return PLATFORM_NAMES[platform] ?? platform
}

/** Where a profile's posts and comments live: a Facebook Page's comments are on Facebook, its DMs on Messenger. */
const NETWORK_NAMES: Record<string, string> = { ...PLATFORM_NAMES, facebook: 'Facebook' }

/** How a person names the network a post or comment is on ("Instagram", "Facebook"); others by their id. */
export function networkName(platform: string): string {
  return NETWORK_NAMES[platform] ?? platform
}

/** What stands for a person the platform gave no name or handle: "Instagram user", "Facebook user". */
export function unnamedPerson(platform: string): string {
  return `${networkName(platform)} user`
}

/**
 * Whether the platform tells who a person is beyond their name (verified, follower count, who follows
 * whom): Instagram's profile API does, Messenger never does, so a Messenger person shows no signals.
 */
export function hasParticipantSignals(platform: string): boolean {
  return platform === INSTAGRAM
}

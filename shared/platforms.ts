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
